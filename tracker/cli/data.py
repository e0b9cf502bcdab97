"""Moving data in and out: seed, export, import jsonl|sipri, backup."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

import click

from tracker.cli.context import open_tracker
from tracker.inert import inert


@click.command()
@click.argument("names", nargs=-1, metavar="[NAME]...")
@click.pass_context
def seed(ctx: click.Context, names: tuple[str, ...]) -> None:
    """Load the public record shipped in seeds/.

    The seeds are the India-Russia record: the 2021-2031 programme, the S-400 contract
    and its schedule revisions, the AK-203 joint venture and its output, CAATSA notes.
    Loading twice appends nothing the second time.

    \b
    Example:
      tracker seed
      tracker seed s400 ak203
    """
    from tracker.cli.progress import progress_bar
    from tracker.service.seeds import read_seeds

    tracker = open_tracker(ctx)
    total = sum(len(f.events) for f in read_seeds(names or None))
    with progress_bar(total, "Seeding") as bar:
        loaded = tracker.seed(names or None, progress=bar.advance)
    for name, read, new in loaded:
        click.echo(f"{name}: {read} events, {new} new")


@click.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE instead of standard output.",
)
@click.pass_context
def export(ctx: click.Context, output: Path | None) -> None:
    """Write the whole log as JSON Lines, hashes included.

    `tracker import jsonl` reads it back into another database; exporting that database
    again gives a byte-identical file.

    \b
    Example:
      tracker export --output log.jsonl
    """
    from tracker.cli.files import cannot_write, replacing
    from tracker.cli.progress import progress_bar

    tracker = open_tracker(ctx)
    with progress_bar(tracker.head_position(), "Exporting") as bar:
        if output is None:
            try:
                count = tracker.export(sys.stdout.buffer, bar.advance)
                sys.stdout.buffer.flush()
            except BrokenPipeError:
                raise  # the reader stopped reading (| head): click exits quietly
            except OSError as e:  # stdout sent to a full disk
                raise cannot_write("standard output", e) from e
        else:
            # A reader never sees half a file; a full disk leaves none behind.
            with replacing(output) as out:
                count = tracker.export(out, bar.advance)
    if output is not None:
        click.echo(f"Exported {count} events to {output}.", err=True)


@click.group("import")
def import_() -> None:
    """Load a log export (jsonl) or a SIPRI export (sipri).

    \b
    Example:
      tracker import jsonl log.jsonl
      tracker import sipri trade-register.csv
    """


@import_.command("jsonl")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def import_jsonl(ctx: click.Context, file: Path) -> None:
    """Load a log exported with `tracker export`, checking its hash chain as it goes.

    Into an empty database, or one whose log the file extends: events already present are
    skipped. The file is read once, in one transaction: a broken file writes nothing.

    \b
    Example:
      tracker --db copy.db init && tracker --db copy.db import jsonl log.jsonl
    """
    from tracker.cli.progress import progress_bar

    tracker = open_tracker(ctx)
    with _opened(file) as source, progress_bar(_size_of(source), "Importing") as bar:
        result = tracker.import_jsonl(source, file.name, progress=bar.advance)
    click.echo(
        f"Imported {result.imported} events from {file.name} ({result.skipped} already present)."
    )


@import_.command("sipri")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--skip-bad-rows",
    is_flag=True,
    help="Import the deals that can be read and report the others (default: write nothing).",
)
@click.option(
    "--allow-shrink",
    is_flag=True,
    help="Import a release with no deals, or over 10% fewer than the log holds in its scope.",
)
@click.option(
    "--scope",
    "scope_text",
    metavar="SCOPE",
    help="What the file covers, for retractions: 'recipients=India', 'years=1990-2023'.",
)
@click.option(
    "--review",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the deals that could match more than one earlier deal to FILE.",
)
@click.pass_context
def import_sipri(
    ctx: click.Context,
    file: Path,
    skip_bad_rows: bool,
    allow_shrink: bool,
    scope_text: str | None,
    review: Path | None,
) -> None:
    """Import a SIPRI Arms Transfers Database export (register or by delivery year).

    Each deal becomes a contract with a delivery per year, SIPRI's comment and every SIPRI
    field, citing the release. The file goes in whole, in one transaction, or not at all.
    A newer release is matched deal by deal to what is already imported and recorded as
    new deals, corrections, retractions (deals it no longer lists, within the scope its
    preamble states or --scope gives) and unchanged deals. Rows that break a tracker rule
    as SIPRI published them are kept with a data-quality flag and listed.

    \b
    Example:
      tracker import sipri trade-register.csv
      tracker import sipri --scope recipients=India --review review.txt india.csv
    """
    from contextlib import ExitStack

    from tracker.cli.progress import Bar, progress_bar
    from tracker.importers.sipri import parse_scope
    from tracker.service.sipri import import_sipri as run

    tracker = open_tracker(ctx)
    scope = parse_scope(scope_text) if scope_text else None
    with ExitStack() as stack:
        bars: list[Bar] = []  # the bar starts once the file is read and the work is known
        result = run(
            tracker,
            file,
            skip_bad_rows=skip_bad_rows,
            allow_shrink=allow_shrink,
            scope=scope,
            review=review,
            on_total=lambda total: bars.append(
                stack.enter_context(progress_bar(total, "Importing"))
            ),
            progress=lambda n: bars[0].advance(n),
        )
    for bad in result.bad:
        click.echo(inert(f"Skipped {file.name} {bad}"), err=True)
    for flagged in result.flagged:
        click.echo(inert(f"Flagged {file.name} {flagged}"), err=True)
    for ambiguous in result.ambiguous:
        click.echo(inert(f"Ambiguous {file.name}: {ambiguous}"), err=True)
    click.echo(
        f"{result.release}: {result.deals} deals: {result.new} new, {result.corrected}"
        f" corrected, {result.retracted} retracted, {result.unchanged} unchanged;"
        f" {result.appended} events appended."
    )
    extra = [f"{len(result.flagged)} flagged (data quality)", f"{len(result.ambiguous)} ambiguous"]
    if result.bad:
        extra.append(f"{len(result.bad)} rows skipped")
    click.echo(", ".join(extra) + ".")
    if result.scope is None:
        click.echo("The file states no scope: nothing was retracted (see --scope).")


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def backup(ctx: click.Context, file: Path) -> None:
    """Copy a live SQLite database safely, then verify the copy.

    Uses SQLite's online backup API, so writers can go on meanwhile.

    \b
    Example:
      tracker backup backups/tracker-2026-11-24.db
    """
    tracker = open_tracker(ctx)
    result = tracker.backup(file)
    click.echo(f"Backed up {result.count} events to {file}; its hash chain verifies.")


def _opened(file: Path) -> BinaryIO:
    from tracker.errors import InvalidInputError

    try:
        return file.open("rb")
    except OSError as e:
        raise InvalidInputError(f"Cannot read {file}: {e.strerror}") from None


def _size_of(source: BinaryIO) -> int:
    """Bytes to read from ``source`` if it is a file, for the bar (a pipe's size is 0)."""
    import os

    return os.fstat(source.fileno()).st_size

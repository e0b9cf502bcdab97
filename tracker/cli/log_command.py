"""`tracker log`: one subcommand per kind of event, or a whole file with --file.

A file's format, its record ids ('id', 'target', 'event_id' or ids derived from the content)
and the building of its events are tracker.importers.eventfile's, shared with the seeds;
here its records are only read and their values checked first, so that a bad one is named
the way the `tracker log KIND` options name it ("'three' is not a positive whole number").
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tracker.cli import log_contract_kinds, log_other_kinds
from tracker.errors import InvalidInputError

if TYPE_CHECKING:
    from tracker.importers.eventfile import FileEvent

FILE_HELP = """\b
Record what happened: one event per `tracker log KIND ...`, or a file of
them with --file (all are logged or none). Run `tracker log KIND -h` for the
fields of each kind.

\b
A file is JSON Lines (.jsonl, .json: one object per line) or YAML (.yaml,
.yml: a list of mappings); the files in seeds/ are examples. Each record has
a "kind", the fields of that kind under the option names with '_' for '-'
(the argument of `tracker log KIND` is "reference", "contract",
"joint_venture", "subject" or "target_event_id"), "occurred", "sources" (a
list of {url, title, publisher, published}, or of URLs) and optionally
"confidence". Repeatable options take plural names: milestones (a list of
{label, quantity, due}), parties, partners (a {name: percent} mapping),
products, tags; a correction has "changes" (a {field: value} mapping) instead
of --set. Values are written as on the command line: "USD 5bn", "2021-12",
"by 2023", "6,01,427"; null leaves a field empty (a contract's "quantity":
null means the number is not known).

\b
Ids: "id" names a record within its file, so that a later correction or
retraction can say "target: <id>"; "event_id" gives the stored id outright.
Without either the id derives from the record's content, so logging the same
file twice logs nothing the second time. A file is a record: its refs are
exact (the prefixes `tracker log KIND` completes are not completed there).

\b
Example:
  tracker log delivery s400-india-2018 --quantity 1 --label "squadron 1" \\
    --occurred 2021-12 --source https://www.newsbytesapp.com/...
  tracker log --file events.jsonl --dry-run

\b
A line of events.jsonl:
  {"kind": "delivery", "contract": "s400-india-2018", "quantity": 1,
   "label": "squadron 1", "occurred": "2021-12", "id": "sq1",
   "sources": [{"url": "https://www.newsbytesapp.com/...", "title": "..."}]}
"""


@click.group(
    invoke_without_command=True,
    subcommand_metavar="KIND [ARGS]...",
    help=FILE_HELP,
    short_help="Record events: one by one, or from a file.",
)
@click.option(
    "--file",
    "path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Log every event in this .jsonl or .yaml file, all or none.",
)
@click.option("--actor", metavar="NAME", help="Who records it (default: your user name).")
@click.option("--dry-run", is_flag=True, help="Check everything; write nothing.")
@click.pass_context
def log(ctx: click.Context, path: Path | None, actor: str | None, dry_run: bool) -> None:
    if ctx.invoked_subcommand is not None:
        if path is not None:
            raise click.UsageError("Give either --file or a KIND, not both.")
        # `tracker log --dry-run delivery ...` means the same as `... delivery --dry-run`.
        defaults: dict[str, object] = {"dry_run": True} if dry_run else {}
        if actor:
            defaults["actor"] = actor
        ctx.default_map = {ctx.invoked_subcommand: defaults}
        return
    if path is None:
        click.echo(ctx.get_help())
        return
    log_file(ctx, path, actor, dry_run)


def log_file(ctx: click.Context, path: Path, actor: str | None, dry_run: bool) -> None:
    """Load, check and append every event of ``path`` in one transaction."""
    from tracker.cli.context import open_tracker
    from tracker.cli.progress import progress_bar
    from tracker.errors import DomainError, TrackerError

    loaded = load_events(path)
    events = [f.event for f in loaded]
    ids: list[str | None] = [f.event_id for f in loaded]
    lines = [f.line for f in loaded]
    if not events:
        click.echo(f"No events in {path.name}.")
        return
    tracker = open_tracker(ctx)
    with progress_bar(len(events), "Logging") as bar:
        try:
            logged = tracker.log(
                events, actor=actor, event_ids=ids, dry_run=dry_run, progress=bar.advance
            )
        except DomainError as e:
            where = f" line {lines[e.index]}" if e.index is not None else ""
            raise DomainError(f"{path.name}{where}: {e}") from e
        except TrackerError as e:
            raise TrackerError(f"{path.name}: {e}") from e
    if dry_run:
        from tracker.cli.log_submit import report

        report(logged, dry_run=True, details=False)
    new = [item for item in logged if not item.existed]
    again = len(logged) - len(new)
    verb = "Would log" if dry_run else "Logged"
    span = f" at positions {new[0].position}-{new[-1].position}" if new else ""
    tail = f" ({again} already logged)" if again else ""
    click.echo(f"{verb} {len(new)} events from {path.name}{span}{tail}.")
    if dry_run:
        click.echo("Dry run: nothing written.")


def load_events(path: Path) -> list[FileEvent]:
    """Every record of ``path`` as an event with its id and line; the first bad record is an
    InvalidInputError 'FILE line N: ...'."""
    from tracker.cli.event_fields import tidy
    from tracker.importers.eventfile import read_records, to_events

    records = []
    for line, record in read_records(path):
        if not isinstance(record, Mapping):
            raise InvalidInputError(
                f"{path.name} line {line}: expected an object with a 'kind', got {record!r}"
            )
        try:
            records.append((line, tidy(record)))
        except InvalidInputError as e:
            raise InvalidInputError(f"{path.name} line {line}: {e}") from None
    return to_events(records, path.name, path.name)


for _command in (*log_contract_kinds.COMMANDS, *log_other_kinds.COMMANDS):
    log.add_command(_command)

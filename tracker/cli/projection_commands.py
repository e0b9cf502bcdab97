"""The read models beside the log: projections status, catch-up, rebuild."""

from __future__ import annotations

import click

from tracker.cli.context import open_tracker
from tracker.cli.option_bundles import format_option
from tracker.cli.output import Column, emit

PROJECTION_COLUMNS = [
    Column("name", "Projection"),
    Column("checkpoint", "Checkpoint", right=True),
    Column("lag", "Lag", right=True),
    Column("version", "Version", right=True),
    Column("stale", "Stale"),
]


@click.group()
def projections() -> None:
    """Read models built from the log: status, catch-up, rebuild.

    Reads use the read models only while they are level with the log, and fold the log
    itself otherwise; every write (and catch-up) brings them level again.

    \b
    Example:
      tracker projections status
      tracker projections rebuild
    """


@projections.command("status")
@format_option
@click.pass_context
def projections_status(ctx: click.Context, fmt: str) -> None:
    """Checkpoint and lag of each read model.

    The checkpoint is the last log position applied, the lag how many events it is behind,
    and stale says its code changed since it was built (the next write or catch-up rebuilds
    it; reads fold the log meanwhile).

    \b
    Example:
      tracker projections status --format json
    """
    rows = [
        {
            "name": p.name,
            "checkpoint": p.position,
            "lag": p.lag,
            "version": p.version,
            "code_version": p.code_version,
            "stale": p.stale,
        }
        for p in open_tracker(ctx).projections()
    ]
    if fmt in ("table", "md"):
        for row in rows:
            row["version"] = f"{row['version']} (code {row['code_version']})"
            row["stale"] = "yes" if row["stale"] else "no"
    emit(rows, PROJECTION_COLUMNS, fmt, empty="No projections.")


@projections.command("rebuild")
@click.argument("names", nargs=-1, metavar="[NAME]...")
@click.pass_context
def projections_rebuild(ctx: click.Context, names: tuple[str, ...]) -> None:
    """Rebuild read models from the whole log.

    Empties the named projections (default: all) and replays the log into them. Safe at any
    time: the log is only read, and the rebuild is one transaction.

    \b
    Example:
      tracker projections rebuild
      tracker projections rebuild contracts
    """
    from tracker.cli.progress import progress_bar

    tracker = open_tracker(ctx)
    with progress_bar(tracker.head_position(), "Rebuilding") as bar:
        read = tracker.rebuild(names or None, bar.advance)
    which = ", ".join(names) if names else "all projections"
    click.echo(f"Rebuilt {which} from {read} events.")


@projections.command("catch-up")
@click.pass_context
def projections_catch_up(ctx: click.Context) -> None:
    """Apply to the read models the events they lack.

    Needed only after something other than the tracker changed the database (a checkpoint
    moved, a read model from another version of the code): the next write does the same.
    Does nothing when they are level.

    \b
    Example:
      tracker projections catch-up
    """
    from tracker.cli.progress import progress_bar

    tracker = open_tracker(ctx)
    with progress_bar(tracker.head_position(), "Catching up") as bar:
        read = tracker.level_projections(bar.advance)
    click.echo(f"Read models level with the log ({read} event{'' if read == 1 else 's'} applied).")

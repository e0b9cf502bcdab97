"""Keeping the read models level with the log: projections status, projections rebuild."""

from __future__ import annotations

import click

from tracker.cli.context import open_tracker
from tracker.cli.options import format_option
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
    """Read models built from the log: status, rebuild.

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
    and stale says its code changed since it was built (the next read or write rebuilds it).

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
    total = tracker.store.head_position()
    with progress_bar(total, "Rebuilding") as bar:
        read = tracker.rebuild(names or None, bar.advance)
    which = ", ".join(names) if names else "all projections"
    click.echo(f"Rebuilt {which} from {read} events.")

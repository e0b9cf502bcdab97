"""Reading the raw log: events, show."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from tracker.cli.context import open_tracker
from tracker.cli.options import format_option, read_options
from tracker.cli.output import Column, emit, emit_record

if TYPE_CHECKING:
    from datetime import date, datetime

    from tracker.store.records import RecordedEvent

EVENT_COLUMNS = [
    Column("position", "Pos", right=True),
    Column("occurred_text", "Occurred"),
    Column("stream_id", "Stream"),
    Column("event_type", "Type"),
    Column("sources_count", "Src", right=True),
]


@click.command()
@click.option("--stream", "stream_id", metavar="STREAM", help="Only this stream.")
@click.option("--type", "event_type", metavar="TYPE", help="Only this event type.")
@click.option("--after", type=click.IntRange(min=0), default=0, help="Only after this position.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many events.")
@read_options
@click.pass_context
def events(
    ctx: click.Context,
    stream_id: str | None,
    event_type: str | None,
    after: int,
    limit: int | None,
    fmt: str,
    as_of: date | None,
    known_at: datetime | None,
) -> None:
    """List events in log order.

    \b
    Example:
      tracker events --stream contract:s400-india-2018 --format json
    """
    tracker = open_tracker(ctx)
    found = tracker.events(
        stream_id=stream_id, event_type=event_type, after=after, limit=limit, known_at=known_at
    )
    rows = [event_row(e) for e in found if as_of is None or e.occurred.certainly_by(as_of)]
    emit(rows, EVENT_COLUMNS, fmt, empty="No events.")


@click.command()
@click.argument("event")
@format_option
@click.pass_context
def show(ctx: click.Context, event: str, fmt: str) -> None:
    """Show one event whole, by id or position.

    EVENT is an event id or a log position; shows its envelope, payload, sources and hashes.

    \b
    Example:
      tracker show 1b4e28ba-2fa1-11d2-883f-0016d3cca427
      tracker show 6
    """
    record = open_tracker(ctx).event(event_id(ctx, event))
    emit_record(event_row(record, full=True), fmt, title=f"Event {record.event_id}")


def event_id(ctx: click.Context, given: str) -> str:
    """An event id as given, or the id of the event at a log position such as '7'."""
    if not given.isdigit():
        return given
    from tracker.errors import TrackerError

    position = int(given)
    found = list(open_tracker(ctx).events(after=position - 1, limit=1))
    if not found or found[0].position != position:
        raise TrackerError(f"No event at position {position}")
    return found[0].event_id


def event_row(e: RecordedEvent, *, full: bool = False) -> dict[str, Any]:
    """An event as stable JSON keys."""
    sources = e.metadata.get("sources") or []
    row: dict[str, Any] = {
        "position": e.position,
        "event_id": e.event_id,
        "stream_id": e.stream_id,
        "stream_version": e.stream_version,
        "event_type": e.event_type,
        "schema_version": e.schema_version,
        "occurred": str(e.occurred),
        "occurred_text": e.occurred.human(),
        "recorded_at": e.recorded_at.isoformat().replace("+00:00", "Z"),
        "payload": e.payload,
        "sources_count": len(sources),
    }
    if full:
        row["metadata"] = e.metadata
        row["prev_hash"] = e.prev_hash
        row["hash"] = e.hash
    return row

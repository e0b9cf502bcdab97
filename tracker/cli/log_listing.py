"""Listing the raw log: `tracker events` and `tracker show`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from tracker.cli.context import open_tracker
from tracker.cli.option_bundles import filter_options, format_option, read_options
from tracker.cli.output import Column, emit, emit_record

if TYPE_CHECKING:
    from datetime import date, datetime

    from tracker.domain.values.sources import Source
    from tracker.domain.views.timeline import Fix
    from tracker.projections.filters import ContractFilter
    from tracker.service.eventlog import LogEntry

# A table has no room for a column of marks: they go under the summary, in brackets.
EVENT_COLUMNS = [
    Column("position", "Pos", right=True),
    Column("occurred_text", "Occurred", max_width=11),
    Column("event_type", "Type", max_width=17),
    Column("listed", "Summary", max_width=38),
]
MD_COLUMNS = [
    Column("position", "Pos", right=True),
    Column("occurred_text", "Occurred"),
    Column("event_type", "Type"),
    Column("summary", "Summary"),
    Column("marks", "Marks"),
]


@click.command()
@click.option("--stream", "stream_id", metavar="STREAM", help="Only this stream.")
@click.option("--type", "event_type", metavar="TYPE", help="Only this event type.")
@click.option("--after", type=click.IntRange(min=0), default=0, help="Only after this position.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many events.")
@click.option("--corrected", is_flag=True, help="Only events a later correction changed.")
@click.option("--retracted", is_flag=True, help="Only events a later retraction withdrew.")
@filter_options(paging=False)
@read_options
@click.pass_context
def events(
    ctx: click.Context,
    flt: ContractFilter,
    fmt: str,
    as_of: date | None,
    known_at: datetime | None,
    **given: Any,
) -> None:
    """List events in log order.

    Each event has a one-line summary and its marks.

    An event later corrected or retracted is marked with the position of the fix
    ("corrected by #7", "retracted by #9"); `tracker show` tells what the fix changed and
    why. JSON and CSV carry summary, marks, corrected_by and retracted_by as fields. The
    contract filters (--buyer, --system, ...) keep the events of the contracts they select.

    \b
    Example:
      tracker events --stream contract:s400-india-2018 --format json
      tracker events --corrected
      tracker events --buyer India --system S-400 --type DeliveryRecorded
    """
    found = _entries(ctx, flt, known_at, as_of, given)
    rows = [event_row(e) for e in found if as_of is None or e.record.occurred.certainly_by(as_of)]
    if fmt != "table":
        emit(rows, MD_COLUMNS, fmt, empty="No events.")
        return
    for row in rows:
        row["listed"] = row["summary"] + (f"\n[{row['marks']}]" if row["marks"] else "")
    emit(rows, EVENT_COLUMNS, fmt, empty="No events.")


def _entries(
    ctx: click.Context,
    flt: ContractFilter,
    known_at: datetime | None,
    as_of: date | None,
    given: dict[str, Any],
) -> list[LogEntry]:
    """The events asked for; with contract filters, only those of the contracts selected
    (as of ``as_of`` and as known at ``known_at``), at most --limit of them."""
    from itertools import islice

    from tracker.service.eventlog import EventFilter

    tracker = open_tracker(ctx)
    log = tracker.event_log(known_at)
    if not flt.narrows:
        return log.entries(EventFilter(known_at=known_at, **given))
    found, _ = tracker.contracts(flt, as_of=as_of, known_at=known_at)
    streams = {f"contract:{s.ref}" for s in found}
    everything = log.entries(EventFilter(known_at=known_at, **{**given, "limit": None}))
    return list(islice((e for e in everything if e.record.stream_id in streams), given["limit"]))


@click.command()
@click.argument("event")
@format_option
@click.pass_context
def show(ctx: click.Context, event: str, fmt: str) -> None:
    """Show one event whole, by id or position.

    EVENT is an event id or a log position; shows its envelope, summary, payload, sources
    (each as this event cited it: title, publisher, date, then the URL once) and hashes,
    and every correction ("corrected by #7 on 15 Jan 2026: occurred 2021 ->
    2022 (reason; sources)") or retraction made to it since.

    \b
    Example:
      tracker show 1b4e28ba-2fa1-11d2-883f-0016d3cca427
      tracker show 6
    """
    tracker = open_tracker(ctx)
    entry = tracker.event_log().entry(tracker.event(event_id(ctx, event)))
    row = event_row(entry, full=True)
    notes = [fix_text(f) for f in entry.fixes]
    row["fixes"] = notes if fmt == "json" else "\n".join(notes)
    cited = cited_sources(entry)
    row["sources"] = cited if fmt == "json" else "\n".join(cited)
    emit_record(row, fmt, title=f"Event {entry.record.event_id}")


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


def event_row(entry: LogEntry, *, full: bool = False) -> dict[str, Any]:
    """An event as stable JSON keys, with its summary and its marks."""
    e = entry.record
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
        "summary": entry.summary,
        "marks": marks(entry),
        "corrected_by": entry.corrected_by,
        "retracted_by": entry.retracted_by,
        "payload": e.payload,
        "sources_count": len(sources),
    }
    if full:
        row["metadata"] = e.metadata
        row["prev_hash"] = e.prev_hash
        row["hash"] = e.hash
    return row


def marks(entry: LogEntry) -> str:
    """'corrected by #7, #8; retracted by #9', or '' for an event never fixed."""
    parts = []
    if corrected := entry.corrected_by:
        parts.append("corrected by " + ", ".join(f"#{p}" for p in corrected))
    if (retracted := entry.retracted_by) is not None:
        parts.append(f"retracted by #{retracted}")
    return "; ".join(parts)


def fix_text(fix: Fix) -> str:
    """'corrected by #7 on Feb 2022: occurred 2021 -> 2022 (wrong year; https://e.org/c)'."""
    why = "; ".join([fix.reason, *(_source_text(s) for s in fix.sources)])
    if fix.kind == "retracted":
        return f"retracted by #{fix.position} ({why})"
    changed = ", ".join(f"{c.field} {c.old} -> {c.new}" for c in fix.changes) or "no change"
    return f"corrected by #{fix.position} on {fix.date.human()}: {changed} ({why})"


def cited_sources(entry: LogEntry) -> list[str]:
    """The event's sources as it cited them, one line each: 'Title, Publisher, 2018-10-05,
    https://...'; a source stored in a form no longer read is shown as stored."""
    from pydantic import ValidationError

    from tracker.domain.values.sources import Source

    lines = []
    for raw in entry.record.metadata.get("sources") or []:
        try:
            lines.append(_source_text(Source.model_validate(raw)))
        except ValidationError:
            lines.append(str(raw))
    return lines


def _source_text(source: Source) -> str:
    from tracker.reports.citations import cited_text

    return cited_text(source)

"""The log as a story: one entry per event, in world-date order, fixes annotated."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from tracker.domain.corrections import apply_changes
from tracker.domain.dates import FuzzyDate
from tracker.domain.envelope import Recorded
from tracker.domain.event_base import Confidence, DomainEvent
from tracker.domain.events import ContractSigned, EventCorrected, EventRetracted
from tracker.domain.sources import Source
from tracker.domain.views.summaries import summary
from tracker.errors import DomainError


class TimelineEntry(BaseModel):
    """One event as first recorded; ``current_summary`` shows it after corrections."""

    model_config = ConfigDict(frozen=True)

    date: FuzzyDate
    position: int
    event_id: str
    stream: str
    type: str
    summary: str
    sources: tuple[Source, ...]
    confidence: Confidence | None
    corrected: bool
    retracted: bool
    current_summary: str | None


def timeline_entries(records: Iterable[Recorded]) -> list[TimelineEntry]:
    """Every event ordered by when it happened (FuzzyDate.sort_key), then by position."""
    records = list(records)
    current: dict[str, DomainEvent] = {r.event_id: r.event for r in records}
    corrected: set[str] = set()
    retracted: set[str] = set()
    for r in sorted(records, key=lambda r: r.position):
        event = r.event
        if isinstance(event, EventRetracted):
            retracted.add(event.target_event_id)
        elif isinstance(event, EventCorrected) and event.target_event_id in current:
            target = event.target_event_id
            try:
                current[target] = apply_changes(current[target], event.changes, target)
                corrected.add(target)
            except DomainError:
                pass  # refused at append time; an old log may still hold one
    units = {e.reference: e.unit for e in current.values() if isinstance(e, ContractSigned)}
    entries = [
        TimelineEntry(
            date=r.event.occurred,
            position=r.position,
            event_id=r.event_id,
            stream=r.stream_id,
            type=r.event.type,
            summary=summary(r.event, units),
            sources=r.event.sources,
            confidence=r.event.confidence,
            corrected=r.event_id in corrected,
            retracted=r.event_id in retracted,
            current_summary=summary(current[r.event_id], units)
            if r.event_id in corrected
            else None,
        )
        for r in records
    ]
    return sorted(entries, key=lambda e: (e.date.sort_key, e.position))

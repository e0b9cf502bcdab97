"""The log as a story: one entry per event, at its corrected world date, fixes attached.

A corrected event stands where the record now puts it, with its current content; what it
said first (date and summary) and every fix (what changed, when, why, on whose source)
travel with it, so a report can show the superseded version beside the current one. The
correction and retraction events themselves are not entries of their own: they are shown
on the entry they fix (an orphan fix, whose target is not in the records, still is one).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from tracker.domain.events.catalogue import ContractSigned, EventCorrected, EventRetracted
from tracker.domain.events.event_base import Confidence, DomainEvent
from tracker.domain.rules.corrections import apply_changes
from tracker.domain.state.envelope import Recorded
from tracker.domain.values.dates import NO_BOUND, FuzzyDate
from tracker.domain.values.jsonable import jsonable
from tracker.domain.values.money import Money
from tracker.domain.values.sources import Source
from tracker.domain.views.summaries import summary
from tracker.errors import DomainError


class Change(BaseModel):
    """One field a correction replaced, both values as text ('2021' -> '2022')."""

    model_config = ConfigDict(frozen=True)

    field: str
    old: str
    new: str


class Fix(BaseModel):
    """A correction or retraction of an entry: when it was recorded, why, on what source."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["corrected", "retracted"]
    event_id: str
    position: int
    date: FuzzyDate
    reason: str
    sources: tuple[Source, ...]
    changes: tuple[Change, ...] = ()


class TimelineEntry(BaseModel):
    """One event as the record now holds it (corrections applied).

    ``date``, ``summary``, ``sources`` and ``confidence`` are current. For a corrected
    entry, ``original_date`` and ``original_summary`` are what was first recorded (else
    None). ``fixes`` lists its corrections and retraction in log order.
    """

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
    original_date: FuzzyDate | None = None
    original_summary: str | None = None
    fixes: tuple[Fix, ...] = ()

    @property
    def corrections(self) -> tuple[Fix, ...]:
        return tuple(f for f in self.fixes if f.kind == "corrected")

    @property
    def retraction(self) -> Fix | None:
        return next((f for f in self.fixes if f.kind == "retracted"), None)


def timeline_entries(records: Iterable[Recorded], as_of: date | None = None) -> list[TimelineEntry]:
    """Every event at its corrected date (FuzzyDate.sort_key), then by position; an
    undated one at its first source's publication date, else at the day it was recorded.

    With ``as_of``, only the entries whose corrected date is certainly by that day.
    """
    records = sorted(records, key=lambda r: r.position)
    current: dict[str, DomainEvent] = {r.event_id: r.event for r in records}
    fixes: dict[str, list[Fix]] = {}
    for r in records:
        fix = _fix(r, current)
        target = _target(r.event)
        if fix is not None and target is not None:
            fixes.setdefault(target, []).append(fix)
    units = {e.reference: e.unit for e in current.values() if isinstance(e, ContractSigned)}
    entries = [
        _entry(r, current[r.event_id], tuple(fixes.get(r.event_id, ())), units)
        for r in records
        if _target(r.event) not in current
    ]
    if as_of is not None:
        entries = [e for e in entries if e.date.certainly_by(as_of)]
    return sorted(entries, key=lambda e: (e.date.sort_key, e.position))


def _target(event: DomainEvent) -> str | None:
    """The event a correction or retraction fixes; None for any other event."""
    return event.target_event_id if isinstance(event, EventCorrected | EventRetracted) else None


def _fix(r: Recorded, current: dict[str, DomainEvent]) -> Fix | None:
    """The fix ``r`` makes (applying a correction to ``current``), or None."""
    event = r.event
    if isinstance(event, EventRetracted) and event.target_event_id in current:
        return Fix(
            kind="retracted",
            event_id=r.event_id,
            position=r.position,
            date=event.occurred,
            reason=event.reason,
            sources=event.sources,
        )
    if not isinstance(event, EventCorrected) or event.target_event_id not in current:
        return None
    target = event.target_event_id
    before = current[target]
    try:
        after = apply_changes(before, event.changes, target)
    except DomainError:
        return None  # refused at append time; an old log may still hold one
    current[target] = after
    changes = tuple(
        Change(field=name, old=value_text(getattr(before, name)), new=value_text(value))
        for name in event.changes
        if (value := getattr(after, name)) != getattr(before, name)
    )
    return Fix(
        kind="corrected",
        event_id=r.event_id,
        position=r.position,
        date=event.occurred,
        reason=event.reason,
        sources=event.sources,
        changes=changes,
    )


def _entry(
    r: Recorded, now: DomainEvent, fixes: tuple[Fix, ...], units: dict[str, str]
) -> TimelineEntry:
    corrected = any(f.kind == "corrected" for f in fixes)
    return TimelineEntry(
        date=_placed(now.occurred, r),
        position=r.position,
        event_id=r.event_id,
        stream=r.stream_id,
        type=r.event.type,
        summary=summary(now, units),
        sources=now.sources,
        confidence=now.confidence,
        corrected=corrected,
        retracted=any(f.kind == "retracted" for f in fixes),
        original_date=r.event.occurred if corrected else None,
        original_summary=summary(r.event, units) if corrected else None,
        fixes=fixes,
    )


def _placed(when: FuzzyDate, r: Recorded) -> FuzzyDate:
    """An undated event no dated source bounds stands at the day it was recorded (and says
    so): it had certainly happened by then."""
    if when.is_unknown and when.latest == NO_BOUND:
        return FuzzyDate.unknown(r.recorded_at.date(), basis="recorded")
    return when


def value_text(value: Any) -> str:
    """A field's value as a reader wants it: '2021-12', 'USD 5 bn', '3', 'none'."""
    if value is None:
        return "none"
    if isinstance(value, FuzzyDate | str | int):
        return str(value)
    if isinstance(value, Money):
        return value.human()
    return json.dumps(jsonable(value), ensure_ascii=False)

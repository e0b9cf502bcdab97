"""The log as it holds: each event with its one-line summary and the fixes made to it.

A listing shows events as they were recorded; an event later corrected or retracted is
marked with the positions of those fixes, so that the event to correct is found without a
`show` per event. Fixes are found among every correction and retraction the log held at
``known_at``, not only those in the listing (a `--limit` or `--stream` leaves them out).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING

from tracker.domain.events.catalogue import ContractSigned, EventCorrected, EventRetracted
from tracker.domain.state.envelope import Recorded
from tracker.domain.views.summaries import summary
from tracker.domain.views.timeline import Fix, timeline_entries
from tracker.errors import TrackerError
from tracker.projections.decode import to_domain
from tracker.store.eventstore import EventStore
from tracker.store.records import RecordedEvent

if TYPE_CHECKING:
    from tracker.service.app import Tracker


def events(
    tracker: Tracker,
    *,
    stream_id: str | None = None,
    event_type: str | None = None,
    after: int = 0,
    limit: int | None = None,
    known_at: datetime | None = None,
) -> Iterator[RecordedEvent]:
    """The stored events after position ``after`` (of one stream, of one type, recorded by
    ``known_at``), in log order, at most ``limit``."""
    return tracker.store.read_all(
        after, limit, known_at=known_at, stream_id=stream_id, event_type=event_type
    )


def event(tracker: Tracker, event_id: str) -> RecordedEvent:
    """The stored event ``event_id``; TrackerError if the log holds none."""
    found = tracker.store.get(event_id)
    if found is None:
        raise TrackerError(f"No event '{event_id}'")
    return found


def event_log(tracker: Tracker, known_at: datetime | None = None) -> EventLog:
    """The log as it held at ``known_at``, read for people: each event with its summary
    and the corrections and retraction made to it."""
    return EventLog(tracker.store, known_at)


@dataclass(frozen=True, slots=True)
class LogEntry:
    """A stored event, its summary as recorded, and its corrections and retraction in log
    order (what each changed, when, why, on what source)."""

    record: RecordedEvent
    summary: str
    fixes: tuple[Fix, ...] = ()

    @property
    def corrected_by(self) -> list[int]:
        return [f.position for f in self.fixes if f.kind == "corrected"]

    @property
    def retracted_by(self) -> int | None:
        return next((f.position for f in self.fixes if f.kind == "retracted"), None)


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which events a listing holds; ``corrected``/``retracted``: only events fixed so."""

    stream_id: str | None = None
    event_type: str | None = None
    after: int = 0
    limit: int | None = None
    known_at: datetime | None = None
    corrected: bool = False
    retracted: bool = False


class EventLog:
    """Reads the log for people: listings and single events, with summaries and marks."""

    def __init__(self, store: EventStore, known_at: datetime | None = None) -> None:
        self.store, self.known_at = store, known_at
        self.fixes = self._fixes()
        self.units = self._units()

    def entries(self, wanted: EventFilter) -> list[LogEntry]:
        """The events ``wanted`` selects, in log order, at most ``wanted.limit``."""
        records: Iterable[RecordedEvent] = self.store.read_all(
            wanted.after,
            None if wanted.corrected or wanted.retracted else wanted.limit,
            known_at=self.known_at,
            stream_id=wanted.stream_id,
            event_type=wanted.event_type,
        )
        if wanted.corrected or wanted.retracted:
            records = islice((r for r in records if self._fixed(r, wanted)), wanted.limit)
        return [self.entry(r) for r in records]

    def entry(self, record: RecordedEvent) -> LogEntry:
        """``record`` with its summary and fixes."""
        rec = to_domain(record)
        fixes = self.fixes.get(record.event_id)
        if not fixes:
            return LogEntry(record, summary(rec.event, self.units))
        [entry] = [e for e in timeline_entries([rec, *fixes]) if e.event_id == rec.event_id]
        return LogEntry(record, summary(rec.event, self.units), entry.fixes)

    def _fixed(self, record: RecordedEvent, wanted: EventFilter) -> bool:
        kinds = {type(r.event) for r in self.fixes.get(record.event_id, ())}
        return (not wanted.corrected or EventCorrected in kinds) and (
            not wanted.retracted or EventRetracted in kinds
        )

    def _fixes(self) -> dict[str, list[Recorded]]:
        """Every correction and retraction, by the event it fixes, in log order."""
        found: dict[str, list[Recorded]] = {}
        fixes = [*self._decoded("EventCorrected"), *self._decoded("EventRetracted")]
        for rec in sorted(fixes, key=lambda r: r.position):
            if isinstance(rec.event, EventCorrected | EventRetracted):
                found.setdefault(rec.event.target_event_id, []).append(rec)
        return found

    def _units(self) -> dict[str, str]:
        signed = (r.event for r in self._decoded("ContractSigned"))
        return {e.reference: e.unit for e in signed if isinstance(e, ContractSigned)}

    def _decoded(self, event_type: str) -> Iterator[Recorded]:
        for record in self.store.read_all(known_at=self.known_at, event_type=event_type):
            yield to_domain(record)

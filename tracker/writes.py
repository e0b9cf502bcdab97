"""The write use case: check an event against the rules, append it, project it: one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Connection

from tracker.domain.codec import encode
from tracker.domain.envelope import Recorded
from tracker.domain.event_base import DomainEvent
from tracker.domain.events import EventCorrected, EventRetracted, stream_of
from tracker.domain.rules import check
from tracker.domain.state import StreamState
from tracker.domain.views.summaries import summary
from tracker.errors import DomainError
from tracker.projections.batch import Batch
from tracker.projections.decode import to_domain
from tracker.projections.projector import Projector
from tracker.store.eventstore import EventStore
from tracker.store.records import NewEvent


@dataclass(frozen=True, slots=True)
class Logged:
    """What was appended (or, on a dry run, would have been)."""

    event_id: str
    stream_id: str
    stream_version: int
    position: int
    summary: str
    event: DomainEvent
    existed: bool = False


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back after every check has passed."""


class _BatchLookup:
    """The rules' view of the log: states from the open batch, targets from the store."""

    def __init__(self, batch: Batch, store: EventStore, conn: Connection) -> None:
        self.batch, self.store, self.conn = batch, store, conn

    def state(self, stream_id: str) -> StreamState | None:
        return self.batch.state(stream_id)

    def target(self, event_id: str) -> Recorded | None:
        found = self.store.get(event_id, self.conn)
        return to_domain(found) if found else None


def log_events(
    store: EventStore,
    projector: Projector,
    events: Sequence[DomainEvent],
    *,
    actor: str,
    today: date,
    event_ids: Sequence[str | None] | None = None,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> list[Logged]:
    """Append ``events`` in order, all or none, each checked against the log before it."""
    ids = list(event_ids) if event_ids is not None else [None] * len(events)
    correlation = str(uuid.uuid4())
    out: list[Logged] = []
    try:
        with store.transaction() as conn, projector.batch(conn) as batch:
            lookup = _BatchLookup(batch, store, conn)
            for n, (event, given_id) in enumerate(zip(events, ids, strict=True), start=1):
                out.append(
                    _log_one(store, batch, lookup, conn, event, given_id, actor, today, correlation)
                )
                if progress is not None:
                    progress(n)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return out


def _log_one(
    store: EventStore,
    batch: Batch,
    lookup: _BatchLookup,
    conn: Connection,
    event: DomainEvent,
    given_id: str | None,
    actor: str,
    today: date,
    correlation: str,
) -> Logged:
    event_id = given_id or str(uuid.uuid4())
    if given_id is not None and store.get(given_id, conn) is not None:
        # A retry of something stored already: the store returns it (or refuses other content).
        rec = store.append(
            _stream(event, lookup), [_new(event, event_id, actor, correlation)], conn=conn
        )[0]
        return _logged(to_domain(rec), existed=True)
    check(event, lookup, today)
    stream_id = _stream(event, lookup)
    [rec] = store.append(stream_id, [_new(event, event_id, actor, correlation)], conn=conn)
    recorded = to_domain(rec)
    batch.apply([recorded])
    return _logged(recorded)


def _stream(event: DomainEvent, lookup: _BatchLookup) -> str:
    stream = stream_of(event)
    if stream is not None:
        return stream
    assert isinstance(event, EventCorrected | EventRetracted)
    target = lookup.target(event.target_event_id)
    if target is None:
        raise DomainError(f"No event '{event.target_event_id}'")
    return target.stream_id


def _new(event: DomainEvent, event_id: str, actor: str, correlation: str) -> NewEvent:
    enc = encode(event)
    metadata: dict[str, object] = {
        "actor": actor,
        "sources": enc.sources,
        "correlation_id": correlation,
    }
    if isinstance(event, EventCorrected | EventRetracted):
        metadata["causation_id"] = event.target_event_id
    return NewEvent(
        event_id, enc.event_type, enc.schema_version, enc.occurred, enc.payload, metadata
    )


def _logged(rec: Recorded, *, existed: bool = False) -> Logged:
    return Logged(
        event_id=rec.event_id,
        stream_id=rec.stream_id,
        stream_version=rec.stream_version,
        position=rec.position,
        summary=summary(rec.event, {}),
        event=rec.event,
        existed=existed,
    )

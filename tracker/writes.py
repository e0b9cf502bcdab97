"""The write use case: check an event against the rules, append it, project it: one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.engine import Connection

from tracker.domain.codec import encode
from tracker.domain.envelope import Recorded
from tracker.domain.event_base import DomainEvent
from tracker.domain.events import EventCorrected, EventRetracted, stream_of
from tracker.domain.rules import check
from tracker.domain.state import StreamState
from tracker.domain.views.summaries import summary
from tracker.errors import DomainError, InvalidInputError
from tracker.projections.batch import Batch
from tracker.projections.decode import to_domain
from tracker.projections.projector import Projector
from tracker.store.eventstore import EventStore
from tracker.store.ids import new_event_id
from tracker.store.records import Expect, NewEvent, RecordedEvent


@dataclass(frozen=True, slots=True)
class Logged:
    """What was appended (or, on a dry run, would have been)."""

    event_id: str
    stream_id: str
    stream_version: int
    position: int
    event: DomainEvent
    existed: bool
    units: Mapping[str, str]

    @property
    def summary(self) -> str:
        """One line, as the timeline shows it (computed on demand: imports never ask)."""
        return summary(self.event, self.units)


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back after every check has passed."""


class _BatchLookup:
    """The rules' view of the log: states from the open batch (which already holds the
    events checked before in this run), targets from this run or from the store."""

    def __init__(self, batch: Batch, store: EventStore, conn: Connection) -> None:
        self.batch, self.store, self.conn = batch, store, conn
        self.pending: dict[str, Recorded] = {}

    def state(self, stream_id: str) -> StreamState | None:
        return self.batch.state(stream_id)

    def target(self, event_id: str) -> Recorded | None:
        if event_id in self.pending:
            return self.pending[event_id]
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
    prechecked: Sequence[bool] | None = None,
) -> list[Logged]:
    """Append ``events`` in order, all or none, each checked against the log before it.

    Each event is checked by the rules against the states as they stand after the events
    before it, folded into the open batch at the position it will take; then all are
    appended at once and the batch is written with them, in the same transaction.
    ``progress`` is called with the number of events checked since its last call.
    ``prechecked`` marks events the caller has already put through the same rules against
    the same states (an importer creating new streams of its own): they are not re-checked.
    """
    ids = [i or new_event_id() for i in (event_ids or [None] * len(events))]
    if len(ids) != len(events):
        raise ValueError("one event id (or None) per event")
    for event_id in ids:
        try:
            event_id.encode("utf-8")
        except UnicodeEncodeError:
            # Bytes of another encoding on a UTF-8 command line arrive as lone surrogates,
            # which no database driver can store.
            raise InvalidInputError(f"Event id {event_id!a} is not valid text") from None
    correlation = str(uuid.uuid4())
    out: list[Logged] = []
    try:
        with store.transaction() as conn, projector.batch(conn) as batch:
            lookup = _BatchLookup(batch, store, conn)
            batch.preload(s for e in events if (s := stream_of(e)) is not None)
            # Summaries name units of contracts (a JV's production): load them while the
            # transaction is open, since a retry is not checked and so would not load them.
            batch.preload(
                f"contract:{c}"
                for e in events
                if isinstance(c := getattr(e, "contract", None), str)
            )
            stored = store.existing_ids(ids, conn)
            position = store.head_in(conn).position
            items: list[tuple[str, list[NewEvent], Expect]] = []
            for n, (event, event_id) in enumerate(zip(events, ids, strict=True), start=1):
                retry = event_id in stored or event_id in lookup.pending
                try:
                    if not retry and not (prechecked and prechecked[n - 1]):
                        check(event, lookup, today)
                    stream_id = _stream(event, lookup)
                except DomainError as e:
                    e.index = n - 1  # which event of the batch, for callers naming a line
                    raise
                items.append((stream_id, [_new(event, event_id, actor, correlation)], Expect.ANY))
                if not retry:
                    position += 1
                    state = batch.state(stream_id)
                    rec = Recorded(
                        event_id,
                        position,
                        stream_id,
                        (state.version if state else 0) + 1,
                        datetime.now(UTC),
                        event,
                    )
                    batch.apply([rec])
                    lookup.pending[event_id] = rec
                if progress is not None and n % 500 == 0:
                    progress(500)
            if progress is not None and len(events) % 500:
                progress(len(events) % 500)
            appended = store.append_streams(items, conn=conn)
            units = batch.units()
            for (_, [new], _), [stored_rec] in zip(items, appended, strict=True):
                fresh = new.event_id in lookup.pending
                if fresh and stored_rec.position != lookup.pending[new.event_id].position:
                    raise RuntimeError("the log moved under an open write transaction")
                out.append(_logged(stored_rec, lookup.pending.get(new.event_id), units, not fresh))
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return out


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


def _logged(
    rec: RecordedEvent, pending: Recorded | None, units: Mapping[str, str], existed: bool
) -> Logged:
    domain = pending or to_domain(rec)
    return Logged(
        event_id=rec.event_id,
        stream_id=rec.stream_id,
        stream_version=rec.stream_version,
        position=rec.position,
        event=domain.event,
        existed=existed,
        units=units,
    )

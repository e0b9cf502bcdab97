"""The write use case: check an event against the rules, append it, project it: one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from sqlalchemy.engine import Connection

from tracker.domain.events.catalogue import (
    DeliveryRecorded,
    EventCorrected,
    EventRetracted,
    stream_of,
)
from tracker.domain.events.event_base import DomainEvent
from tracker.domain.rules.checks import check_and_fold, decide
from tracker.domain.state.envelope import Recorded
from tracker.domain.state.state import StreamState
from tracker.errors import DomainError, InvalidInputError
from tracker.service.logged import Logged, contract_named, new_event, units_of
from tracker.service.logged import logged as logged_as
from tracker.service.write_lookup import BatchLookup
from tracker.store.bulk import collector_paused
from tracker.store.eventstore import EventStore
from tracker.store.ids import new_event_id
from tracker.store.records import Expect, NewEvent, RecordedEvent

if TYPE_CHECKING:  # the caller's projector: loaded by the tracker when first used
    from tracker.projections.batch import Batch
    from tracker.projections.projector import Projector

#: An event to log in a chunk: its id, the event, and whether the caller decided it itself
#: (see ``prechecked``).
Item = tuple[str, DomainEvent, bool]
_Item = tuple[str, list[NewEvent], Expect]  # as the store appends it
#: The states of these streams, in order (None: no such stream).
StatesOf = Callable[[Sequence[str]], list[StreamState | None]]
# States a chunked write keeps between chunks (each SIPRI deal's is a few kB).
_KEEP = 2_000


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back after every check has passed."""

    def __init__(self, logged: list[Logged]) -> None:
        super().__init__()
        self.logged = logged


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
    ``prechecked`` marks events the caller decided itself, as they are to be recorded (an
    importer creating new streams of its own): on a stream new to the log, ``decide`` does
    not rework them; the rules check them like any other event.
    """
    ids = [i or new_event_id() for i in (event_ids or [None] * len(events))]
    if len(ids) != len(events):
        raise ValueError("one event id (or None) per event")
    _check_ids(ids)
    known = prechecked or [False] * len(events)
    call = _Call(events, ids, known, actor, today, str(uuid.uuid4()))
    # The pause ends after _log has returned and its batch is gone: see collector_paused.
    with collector_paused():
        try:
            return _log(store, projector, call, progress, dry_run)
        except _DryRun as done:
            return done.logged


def _check_ids(ids: Sequence[str]) -> None:
    for event_id in ids:
        try:
            event_id.encode("utf-8")
        except UnicodeEncodeError:
            # Bytes of another encoding on a UTF-8 command line arrive as lone surrogates,
            # which no database driver can store.
            raise InvalidInputError(f"Event id {event_id!a} is not valid text") from None


@dataclass(frozen=True, slots=True)
class _Call:
    """One call's events, their ids, which the caller decided itself, and who logs them when."""

    events: Sequence[DomainEvent]
    ids: list[str]
    prechecked: Sequence[bool]
    actor: str
    today: date
    correlation: str


def _log(
    store: EventStore,
    projector: Projector,
    call: _Call,
    progress: Callable[[int], None] | None,
    dry_run: bool,
) -> list[Logged]:
    with store.transaction() as conn, projector.batch(conn) as batch:
        lookup = BatchLookup(batch, store, conn)
        # Summaries name units of contracts (a JV's production): load them while the
        # transaction is open, since a retry is not checked and so would not load them.
        refs = {c for e in call.events if (c := contract_named(e)) is not None}
        units = [f"contract:{c}" for c in refs]
        items, appended = _append(store, call, lookup, conn, progress, units)
        logged = _outcome(items, appended, lookup, units_of(batch, refs))
        if dry_run:
            raise _DryRun(logged)
    return logged


def log_chunks(
    store: EventStore,
    projector: Projector,
    chunks: Iterable[Sequence[Item]],
    *,
    actor: str,
    today: date,
    opened: Callable[[StatesOf], None] | None = None,
) -> int:
    """Append every chunk's events in order, all in one transaction: all or none.

    Each event is checked and folded as ``log_events`` does it (an item's flag is its
    ``prechecked``). Each chunk is appended once checked, and the states the batch holds
    beyond ``_KEEP`` are written out and dropped, so memory holds one chunk and a bounded
    number of states, however many the whole has. Returns how many events were appended
    (not already in the log). A refused event's error carries ``index``, its place in its
    chunk; an error raised by ``chunks`` itself rolls everything back as well.
    ``opened`` is handed, once the transaction is open, the states of streams as the rules
    see them (folded from the log, with what this call has appended so far): a caller
    planning its chunks as they are taken reads them from there, and each is folded once.
    """
    correlation = str(uuid.uuid4())
    appended = 0
    # The pause ends after the batch is gone: see collector_paused.
    with collector_paused(), store.transaction(bulk=True) as conn, projector.batch(conn) as batch:
        lookup = BatchLookup(batch, store, conn)
        if opened is not None:
            opened(lambda streams: _states_of(batch, streams))
        for chunk in chunks:
            ids = [event_id for event_id, _, _ in chunk]
            _check_ids(ids)
            events = [event for _, event, _ in chunk]
            call = _Call(events, ids, [own for *_, own in chunk], actor, today, correlation)
            items, rows = _append(store, call, lookup, conn, None)
            appended += sum(rec is not None for rec in _checked(items, rows, lookup))
            # Later chunks find these events in the log, in this same transaction.
            lookup.next_call()
            batch.shed(_KEEP)
    return appended


def _states_of(batch: Batch, streams: Sequence[str]) -> list[StreamState | None]:
    batch.preload(streams)
    return [batch.state(s) for s in streams]


def _append(
    store: EventStore,
    call: _Call,
    lookup: BatchLookup,
    conn: Connection,
    progress: Callable[[int], None] | None,
    also: Sequence[str] = (),
) -> tuple[list[_Item], Sequence[Sequence[RecordedEvent]]]:
    """Check, fold and append one call's events in the open transaction: what was
    appended (or found there already), with the rows the store made of it. The states of
    the streams ``also`` names are loaded with those the events need."""
    stored = store.existing_ids(call.ids, conn)
    _load(call, lookup, stored, also)
    position = store.head_in(conn).position
    now = datetime.now(UTC)
    items: list[_Item] = []
    for n, (event, event_id) in enumerate(zip(call.events, call.ids, strict=True)):
        retry = event_id in stored or event_id in lookup.pending
        stream_id, event = _admit(call, n, lookup, None if retry else (position + 1, now))
        items.append(
            (stream_id, [new_event(event, event_id, call.actor, call.correlation)], Expect.ANY)
        )
        if not retry:
            position += 1
        if progress is not None and (n + 1) % 500 == 0:
            progress(500)
    if progress is not None and len(items) % 500:
        progress(len(items) % 500)
    return items, store.append_streams(items, conn=conn)


def _load(call: _Call, lookup: BatchLookup, stored: set[str], also: Sequence[str]) -> None:
    """Fetch what the call's events are checked against, a query for many at a time: the
    events they name (the targets of corrections and retractions, the deliveries logged
    again, which keep their match) and the states of their streams."""
    named = [
        e.target_event_id for e in call.events if isinstance(e, EventCorrected | EventRetracted)
    ]
    again = zip(call.events, call.ids, strict=True)
    named += [i for e, i in again if i in stored and isinstance(e, DeliveryRecorded)]
    lookup.fetch(named)
    streams = list(dict.fromkeys(s for e in call.events if (s := stream_of(e)) is not None))
    targets = (t.stream_id for i in named if (t := lookup.fetched.get(i)) is not None)
    lookup.batch.preload([*streams, *targets, *also])
    lookup.new_streams |= {s for s in streams if lookup.batch.state(s) is None}


def _admit(
    call: _Call, n: int, lookup: BatchLookup, at: tuple[int, datetime] | None
) -> tuple[str, DomainEvent]:
    """Decide the n-th event as it is to be recorded at position ``at`` (a delivery's
    matched milestones; the caller's own decision on a new stream stands), check it and
    fold it in; ``at`` None: a retry, which is not checked again and keeps the match it was
    first stored with."""
    event, event_id = call.events[n], call.ids[n]
    try:
        stream_id = _stream(event, lookup)
        if at is None:
            # A retry is compared with what was stored, match included: it takes that match.
            found = lookup.target(event_id) if isinstance(event, DeliveryRecorded) else None
            return stream_id, decide(event, lookup, stored=found.event) if found else event
        if not (call.prechecked[n] and stream_id in lookup.new_streams):
            event = decide(event, lookup)
        state = lookup.state(stream_id)
        version = (state.version if state else 0) + 1
        rec = Recorded(event_id, at[0], stream_id, version, at[1], event)
        # The rules fold the event to check it: that state goes in as it is.
        lookup.batch.put(rec, check_and_fold(rec, lookup, call.today))
    except DomainError as e:
        e.index = n  # which event of the call, for callers naming a line
        raise
    lookup.pending[event_id] = rec
    return stream_id, event


def _outcome(
    items: list[_Item],
    appended: Sequence[Sequence[RecordedEvent]],
    lookup: BatchLookup,
    units: Mapping[str, str],
) -> list[Logged]:
    checked = _checked(items, appended, lookup)
    return [logged_as(stored, rec, units) for [stored], rec in zip(appended, checked, strict=True)]


def _checked(
    items: list[_Item], appended: Sequence[Sequence[RecordedEvent]], lookup: BatchLookup
) -> list[Recorded | None]:
    """Each event of the call as it was checked (None: it was in the log already), once
    the store has put it at the position it was checked at."""
    out = []
    for (_, [new], _), [stored] in zip(items, appended, strict=True):
        pending = lookup.pending.get(new.event_id)
        if pending is not None and stored.position != pending.position:
            raise RuntimeError("the log moved under an open write transaction")
        out.append(pending)
    return out


def _stream(event: DomainEvent, lookup: BatchLookup) -> str:
    stream = stream_of(event)
    if stream is not None:
        return stream
    assert isinstance(event, EventCorrected | EventRetracted)
    target = lookup.target(event.target_event_id)
    if target is None:
        raise DomainError(f"No event '{event.target_event_id}'")
    return target.stream_id

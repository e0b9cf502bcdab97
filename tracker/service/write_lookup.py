"""The rules' view of the log while a write transaction is open.

States come from the open batch, which folds each stream from the log the first time the
transaction touches it (never from a read model) and then holds the events checked in this
transaction. Events a call names (the targets of its corrections and retractions, the
deliveries it logs again) are fetched for the whole call with one query, not one each.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.engine import Connection

from tracker.domain.state.envelope import Recorded
from tracker.domain.state.state import StreamState
from tracker.projections.batch import Batch
from tracker.projections.decode import to_domain
from tracker.store.eventstore import EventStore


class BatchLookup:
    """States from the open batch; targets from this call, from those fetched for it, or
    from the store."""

    def __init__(self, batch: Batch, store: EventStore, conn: Connection) -> None:
        self.batch, self.store, self.conn = batch, store, conn
        # The events checked in this call (a chunk of a chunked write), by id.
        self.pending: dict[str, Recorded] = {}
        # Events fetched for this call, by id; None: the log does not hold it.
        self.fetched: dict[str, Recorded | None] = {}
        # Streams the log did not hold when the call began: only there may the caller's own
        # decision stand (see writes.log_events, ``prechecked``); the rules check every event
        # all the same.
        self.new_streams: set[str] = set()

    def state(self, stream_id: str) -> StreamState | None:
        return self.batch.state(stream_id)

    def target(self, event_id: str) -> Recorded | None:
        if event_id in self.pending:
            return self.pending[event_id]
        if event_id not in self.fetched:
            found = self.store.get(event_id, self.conn)
            self.fetched[event_id] = to_domain(found) if found else None
        return self.fetched[event_id]

    def fetch(self, event_ids: Iterable[str]) -> None:
        """Fetch these events (those not checked in this call) with one query per 500."""
        wanted = [i for i in dict.fromkeys(event_ids) if i not in self.pending]
        wanted = [i for i in wanted if i not in self.fetched]
        if not wanted:
            return
        found = self.store.get_many(wanted, self.conn)
        for event_id in wanted:
            stored = found.get(event_id)
            self.fetched[event_id] = to_domain(stored) if stored else None

    def next_call(self) -> None:
        """Forget this call's events: later calls in the same transaction find them in the
        log (memory then holds one call's events, however many the transaction has)."""
        self.pending.clear()
        self.fetched.clear()

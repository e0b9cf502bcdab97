"""The append-only, hash-chained event log: the only writer of the events table.

This module is the store's public face and holds no SQL dialect: what differs between
SQLite and PostgreSQL lives behind ``tracker.store.backend.Backend``, and the row and its
hash live in ``tracker.store.rows``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Connection, Engine

from tracker.errors import StoreError
from tracker.store.append_checks import checked_existing, checked_version, wanted_events
from tracker.store.backend import backend_of, chunks
from tracker.store.behind import statements_behind
from tracker.store.engine import WRITE_OPTION
from tracker.store.errors import translate_db_error
from tracker.store.hashing import format_recorded_at
from tracker.store.records import Expect, ExpectedVersion, NewEvent, RecordedEvent
from tracker.store.rows import (
    COLUMNS,
    VOLATILE_METADATA,
    Head,
    StoredRow,
    decode,
    head_of,
    new_row,
    parse_time,
    recorded,
    row_hash,
)

__all__ = ["VOLATILE_METADATA", "EventStore", "Head", "insert_rows", "row_hash"]

_HEAD = "tracker_head"  # conn.info key: the head this write transaction knows
_HEAD_SQL = "SELECT position, hash, recorded_at FROM events ORDER BY position DESC LIMIT 1"
Items = list[tuple[str, list[NewEvent], ExpectedVersion]]


class EventStore:
    """Append and read events. Appends are atomic, serialised, and extend the hash chain."""

    def __init__(
        self,
        engine: Engine,
        *,
        clock: Callable[[], datetime] | None = None,
        page_size: int = 1000,
    ) -> None:
        self.engine = engine
        self._clock = clock or (lambda: datetime.now(UTC))
        self._page_size = page_size

    # --- writing ------------------------------------------------------------------------

    @contextmanager
    def transaction(self, *, bulk: bool = False) -> Iterator[Connection]:
        """A write transaction holding the log's write lock until it commits or rolls back:
        writers queue, readers do not, and positions commit in order, so a reader following
        ``position > last_seen`` never misses an event that commits later. ``bulk``: many
        batches to come, so SQLite may write one while the caller builds the next
        (tracker/store/behind.py)."""
        with translate_db_error(), self.engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                conn.info.pop(_HEAD, None)
                backend_of(conn).lock(conn)
                try:
                    with statements_behind(conn) if bulk else nullcontext():
                        yield conn
                finally:
                    conn.info.pop(_HEAD, None)

    def append(
        self,
        stream_id: str,
        events: Sequence[NewEvent],
        expected_version: ExpectedVersion = Expect.ANY,
        *,
        conn: Connection | None = None,
    ) -> list[RecordedEvent]:
        """Append ``events`` to ``stream_id`` atomically, all or nothing.

        An event whose id is stored already with the same content is returned as stored and
        not written again, whatever the expected version; with other content it raises
        DuplicateEventError. A stream not at ``expected_version`` raises ConcurrencyError.
        Pass ``conn`` (from ``transaction()``) to append inside a larger unit of work.
        """
        return self.append_streams([(stream_id, events, expected_version)], conn=conn)[0]

    def append_streams(
        self,
        items: Sequence[tuple[str, Sequence[NewEvent], ExpectedVersion]],
        *,
        conn: Connection | None = None,
    ) -> list[list[RecordedEvent]]:
        """Append to several streams at once, in the order given: ``append`` for each item,
        in one transaction, with one lookup and one batched insert."""
        if conn is None:
            with self.transaction() as own:
                return self.append_streams(items, conn=own)
        for stream_id, _, _ in items:
            if not stream_id or len(stream_id) > 200:
                raise StoreError(f"Invalid stream id {stream_id!r}: 1 to 200 characters")
        with translate_db_error():
            return self._append(conn, [(s, list(e), x) for s, e, x in items])

    def _append(self, conn: Connection, items: Items) -> list[list[RecordedEvent]]:
        wanted = wanted_events(items)
        streams = sorted({s for s, _, _ in items})
        cached = conn.info.get(_HEAD)
        known = cached if isinstance(cached, Head) else None
        seen = backend_of(conn).lookup(conn, list(wanted), streams, known)
        stored = checked_existing(seen.found, wanted)
        # recorded_at never goes backwards along the log, even if clocks do: "known at T"
        # must always mean a prefix of the log.
        recorded_at = max(format_recorded_at(self._clock()), seen.head.recorded_at)
        position, prev, versions = seen.head.position, seen.head.hash, seen.versions
        moment = parse_time(recorded_at)
        rows: list[StoredRow] = []
        out: list[list[RecordedEvent]] = []
        for stream_id, events, expected in items:
            fresh = [e for e in events if e.event_id not in stored]
            if fresh:
                version = checked_version(stream_id, versions.get(stream_id, 0), expected)
                for e in fresh:
                    position, version = position + 1, version + 1
                    row = new_row(position, stream_id, version, e, recorded_at, prev)
                    prev = row.hash
                    rows.append(row)
                    stored[e.event_id] = recorded(row, e, moment)
                versions[stream_id] = version
            out.append([stored[e.event_id] for e in events])
        if rows:
            insert_rows(conn, rows)
            conn.info[_HEAD] = Head(position, prev, recorded_at)
        return out

    def head_in(self, conn: Connection) -> Head:
        """The head as seen inside a write transaction (from ``transaction()``). The lock
        holds it still until the transaction ends, so the append there need not ask again."""
        head = conn.info[_HEAD] = self._head(conn)
        return head

    def _head(self, conn: Connection) -> Head:
        cached = conn.info.get(_HEAD)
        if isinstance(cached, Head):
            return cached
        return head_of(conn.exec_driver_sql(_HEAD_SQL).first())

    # --- reading ------------------------------------------------------------------------

    def head_position(self) -> int:
        """The position of the last event, 0 for an empty log."""
        return self.head().position

    def head(self) -> Head:
        """Position, hash and record time of the last event."""
        with translate_db_error(), self.engine.connect() as conn:
            return self._head(conn)

    def get(self, event_id: str, conn: Connection | None = None) -> RecordedEvent | None:
        """The stored event with this id, if any (inside ``conn``'s transaction if given)."""
        found = self._rows("WHERE event_id = ?", (event_id,), conn)
        return decode(found[0]) if found else None

    def get_many(self, event_ids: Sequence[str], conn: Connection) -> dict[str, RecordedEvent]:
        """The stored events with these ids, by id, those the log holds (inside ``conn``'s
        transaction): one query per 500 ids, where ``get`` asks once for each."""
        found: dict[str, RecordedEvent] = {}
        for chunk in chunks(list(dict.fromkeys(event_ids))):
            marks = ", ".join(["?"] * len(chunk))
            for row in self._rows(f"WHERE event_id IN ({marks})", tuple(chunk), conn):
                found[row.event_id] = decode(row)
        return found

    def existing_ids(self, event_ids: Sequence[str], conn: Connection) -> set[str]:
        """Which of these event ids the log holds (inside ``conn``'s transaction)."""
        found: set[str] = set()
        for chunk in chunks(list(dict.fromkeys(event_ids))):
            marks = ", ".join(["?"] * len(chunk))
            rows = self._rows(f"WHERE event_id IN ({marks})", tuple(chunk), conn)
            found.update(r.event_id for r in rows)
        return found

    def stream_version(self, stream_id: str) -> int:
        """The version of a stream (0 when it does not exist)."""
        where = "WHERE stream_id = ? ORDER BY stream_version DESC LIMIT 1"
        found = self._rows(where, (stream_id,))
        return found[0].stream_version if found else 0

    def read_stream(self, stream_id: str, from_version: int = 1) -> Iterator[RecordedEvent]:
        """Events of one stream in version order, from ``from_version`` on."""
        last = from_version - 1
        while True:
            page = self._rows(
                "WHERE stream_id = ? AND stream_version > ? ORDER BY stream_version LIMIT ?",
                (stream_id, last, self._page_size),
            )
            yield from map(decode, page)
            if len(page) < self._page_size:
                return
            last = page[-1].stream_version

    def read_streams(self, stream_ids: Sequence[str], conn: Connection) -> Iterator[RecordedEvent]:
        """Every event of these streams, each stream's in version order, inside ``conn``'s
        transaction: what the write path folds the rules' states from (one indexed query
        per 500 streams)."""
        for chunk in chunks(list(dict.fromkeys(stream_ids))):
            marks = ", ".join(["?"] * len(chunk))
            where = f"WHERE stream_id IN ({marks}) ORDER BY stream_id, stream_version"
            yield from map(decode, self._rows(where, tuple(chunk), conn))

    def read_all(
        self,
        after_position: int = 0,
        limit: int | None = None,
        *,
        known_at: datetime | None = None,
        stream_id: str | None = None,
        event_type: str | None = None,
        conn: Connection | None = None,
    ) -> Iterator[RecordedEvent]:
        """Events in position order after ``after_position``, fetched a page at a time.

        ``known_at`` keeps only what the log held at that moment (a prefix of the log).
        Pass ``conn`` to read inside a transaction (and see its own appends).
        """
        where, filters = "WHERE position > ?", []
        if known_at is not None:
            where, filters = f"{where} AND recorded_at <= ?", [format_recorded_at(known_at)]
        if stream_id is not None:
            where, filters = f"{where} AND stream_id = ?", [*filters, stream_id]
        if event_type is not None:
            where, filters = f"{where} AND event_type = ?", [*filters, event_type]
        where += " ORDER BY position LIMIT ?"
        last, left = after_position, limit
        while left is None or left > 0:
            size = self._page_size if left is None else min(self._page_size, left)
            page = self._rows(where, (last, *filters, size), conn)
            yield from map(decode, page)
            if len(page) < size:
                return
            last = page[-1].position
            left = None if left is None else left - len(page)

    def read_raw(
        self, after_position: int = 0, *, conn: Connection | None = None
    ) -> Iterator[StoredRow]:
        """Stored rows exactly as the database holds them, for verification and export
        (inside ``conn``'s transaction if given)."""
        last = after_position
        while True:
            page = self._rows(
                "WHERE position > ? ORDER BY position LIMIT ?", (last, self._page_size), conn
            )
            yield from page
            if len(page) < self._page_size:
                return
            last = page[-1].position

    def _rows(
        self, where: str, params: tuple[Any, ...], conn: Connection | None = None
    ) -> list[StoredRow]:
        """Whole rows of events ``where`` (SQL with ``?`` marks), inside ``conn`` if given."""
        if conn is None:
            with translate_db_error(), self.engine.connect() as own:
                return self._rows(where, params, own)
        with translate_db_error():
            return backend_of(conn).select(conn, where, params)


def insert_rows(conn: Connection, rows: Sequence[Sequence[Any]]) -> None:
    """Write rows (values in ``rows.COLUMNS`` order) to events. Only the store calls this,
    inside a write transaction holding the log's lock: a unique violation is then
    unreachable unless something bypassed the store, and comes out as a ConcurrencyError."""
    conn.info.pop(_HEAD, None)  # the head known to this transaction moves (see head_in)
    if rows:
        backend_of(conn).insert(conn, "events", COLUMNS, rows)

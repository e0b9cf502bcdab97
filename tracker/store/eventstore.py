"""The append-only, hash-chained event log: the only writer of the events table."""

from __future__ import annotations

import functools
from collections import namedtuple
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import orjson
from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from tracker.domain.dates import FuzzyDate
from tracker.errors import (
    ConcurrencyError,
    DuplicateEventError,
    StoreError,
)
from tracker.store.bulk import insert_many
from tracker.store.engine import LOCK_TIMEOUT_S, WRITE_OPTION, is_sqlite
from tracker.store.errors import driver_errors, translate_db_error
from tracker.store.hashing import (
    GENESIS_HASH,
    canonical_json,
    chain_hash,
    format_recorded_at,
    hashed_fields,
)
from tracker.store.records import Expect, ExpectedVersion, NewEvent, RecordedEvent
from tracker.store.schema import events_table as T

#: The log's write lock on PostgreSQL (migration 0003 makes every INSERT take it too).
PG_WRITE_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || '.events', 0))"
#: Metadata that says who appended and why, not what happened: a retry may differ in it.
VOLATILE_METADATA = frozenset({"actor", "correlation_id", "causation_id"})
_HEAD = "tracker_head"
_COLUMNS = (
    T.c.position,
    T.c.event_id,
    T.c.stream_id,
    T.c.stream_version,
    T.c.event_type,
    T.c.schema_version,
    T.c.occurred_precision,
    T.c.occurred_start,
    T.c.occurred_end,
    T.c.recorded_at,
    T.c.payload,
    T.c.metadata,
    T.c.prev_hash,
    T.c.hash,
)


@dataclass(frozen=True, slots=True)
class Head:
    position: int
    hash: str
    recorded_at: str


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
    def transaction(self) -> Iterator[Connection]:
        """A write transaction holding the log's write lock until it commits or rolls back.

        On PostgreSQL the lock is a transaction-scoped advisory lock on the schema's events
        table (every INSERT into events takes it too, by trigger): writers queue, readers do
        not, and positions commit in order, so a reader following ``position > last_seen``
        never misses an event that commits later. It needs no UPDATE privilege, unlike
        ``LOCK TABLE ... EXCLUSIVE``, so an insert-only role can write. On SQLite
        ``BEGIN IMMEDIATE`` does the same.
        """
        with translate_db_error(), self.engine.connect() as conn:
            conn.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                conn.info.pop(_HEAD, None)
                if not is_sqlite(conn):
                    # One round trip: the wait limit, then the lock.
                    conn.exec_driver_sql(
                        f"SET LOCAL lock_timeout = '{int(LOCK_TIMEOUT_S)}s'; {PG_WRITE_LOCK}"
                    )
                try:
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
        in one transaction, with a few set-wise queries and one batched insert."""
        if conn is None:
            with self.transaction() as own:
                return self.append_streams(items, conn=own)
        for stream_id, _, _ in items:
            if not stream_id or len(stream_id) > 200:
                raise StoreError(f"Invalid stream id {stream_id!r}: 1 to 200 characters")
        with translate_db_error():
            return self._append(conn, [(s, list(e), x) for s, e, x in items])

    def _append(
        self, conn: Connection, items: list[tuple[str, list[NewEvent], ExpectedVersion]]
    ) -> list[list[RecordedEvent]]:
        wanted = _wanted(items)
        found, versions, head = self._lookup(conn, list(wanted), sorted({s for s, _, _ in items}))
        stored = _checked_existing(found, wanted)
        recorded_at = max(format_recorded_at(self._clock()), head.recorded_at)
        # recorded_at never goes backwards along the log, even if clocks do: "known at T"
        # must always mean a prefix of the log.
        position, prev = head.position, head.hash
        moment = _parse_time(recorded_at)
        rows: list[dict[str, Any]] = []
        out: list[list[RecordedEvent]] = []
        for stream_id, events, expected in items:
            fresh = [e for e in events if e.event_id not in stored]
            if fresh:
                version = _checked_version(stream_id, versions.get(stream_id, 0), expected)
                for e in fresh:
                    position, version = position + 1, version + 1
                    row = _row(position, stream_id, version, e, recorded_at, prev)
                    prev = row["hash"]
                    rows.append(row)
                    stored[e.event_id] = _recorded(row, e, moment)
                versions[stream_id] = version
            out.append([stored[e.event_id] for e in events])
        if rows:
            insert_rows(conn, rows)
            conn.info[_HEAD] = Head(position, prev, recorded_at)
        return out

    def _lookup(
        self, conn: Connection, ids: list[str], streams: list[str]
    ) -> tuple[list[Any], dict[str, int], Head]:
        """What an append must know, read under the write lock: the stored rows among
        ``ids``, the versions of ``streams``, and the head (unless this transaction
        already knows it). On PostgreSQL the three queries go in one round trip."""
        cached = conn.info.get(_HEAD)
        if not is_sqlite(conn):
            return _lookup_postgres(conn, ids, streams, cached)
        # The bare driver: SQLAlchemy's result set-up cost more than SQLite's own work.
        raw = conn.connection.driver_connection
        assert raw is not None
        with driver_errors():
            found = [
                _StoredRow._make(row)
                for chunk in _chunks(ids)
                for row in raw.execute(_sqlite_in(_EXISTING, len(chunk)), chunk)
            ]
            versions = {
                stream: version
                for chunk in _chunks(streams)
                for stream, version in raw.execute(_sqlite_in(_VERSIONS, len(chunk)), chunk)
            }
            if isinstance(cached, Head):
                return found, versions, cached
            return found, versions, _head_of(raw.execute(_HEAD_SQL).fetchone())

    def head_in(self, conn: Connection) -> Head:
        """The head as seen inside a write transaction (from ``transaction()``). The lock
        holds it still until the transaction ends, so the append there need not ask again."""
        head = conn.info[_HEAD] = self._head(conn)
        return head

    def _head(self, conn: Connection) -> Head:
        cached = conn.info.get(_HEAD)
        if isinstance(cached, Head):
            return cached
        return _head_of(conn.exec_driver_sql(_HEAD_SQL).first())

    # --- reading ------------------------------------------------------------------------

    def head_position(self) -> int:
        """The position of the last event, 0 for an empty log."""
        with translate_db_error(), self.engine.connect() as conn:
            return conn.execute(select(func.max(T.c.position))).scalar_one_or_none() or 0

    def head(self) -> Head:
        """Position, hash and record time of the last event."""
        with translate_db_error(), self.engine.connect() as conn:
            return self._head(conn)

    def get(self, event_id: str, conn: Connection | None = None) -> RecordedEvent | None:
        """The stored event with this id, if any (inside ``conn``'s transaction if given)."""
        found = self._rows("WHERE event_id = ?", (event_id,), conn)
        return _decode(found[0]) if found else None

    def existing_ids(self, event_ids: Sequence[str], conn: Connection) -> set[str]:
        """Which of these event ids the log holds (inside ``conn``'s transaction)."""
        found: set[str] = set()
        ids = list(dict.fromkeys(event_ids))
        with translate_db_error():
            for start in range(0, len(ids), 500):
                query = select(T.c.event_id).where(T.c.event_id.in_(ids[start : start + 500]))
                found.update(conn.execute(query).scalars())
        return found

    def stream_version(self, stream_id: str) -> int:
        """The version of a stream (0 when it does not exist)."""
        with translate_db_error(), self.engine.connect() as conn:
            return (
                conn.execute(
                    select(func.max(T.c.stream_version)).where(T.c.stream_id == stream_id)
                ).scalar_one_or_none()
                or 0
            )

    def read_stream(self, stream_id: str, from_version: int = 1) -> Iterator[RecordedEvent]:
        """Events of one stream in version order, from ``from_version`` on."""
        last = from_version - 1
        while True:
            page = self._rows(
                "WHERE stream_id = ? AND stream_version > ? ORDER BY stream_version LIMIT ?",
                (stream_id, last, self._page_size),
            )
            yield from map(_decode, page)
            if len(page) < self._page_size:
                return
            last = page[-1].stream_version

    def read_streams(self, stream_ids: Sequence[str], conn: Connection) -> Iterator[RecordedEvent]:
        """Every event of these streams, each stream's in version order, inside ``conn``'s
        transaction: what the write path folds the rules' states from (one indexed query
        per 500 streams)."""
        for chunk in _chunks(list(dict.fromkeys(stream_ids))):
            marks = ", ".join(["?"] * len(chunk))
            where = f"WHERE stream_id IN ({marks}) ORDER BY stream_id, stream_version"
            yield from map(_decode, self._rows(where, tuple(chunk), conn))

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
            yield from map(_decode, page)
            if len(page) < size:
                return
            last = page[-1].position
            left = None if left is None else left - len(page)

    def read_raw(self, after_position: int = 0) -> Iterator[Any]:
        """Stored rows exactly as the database holds them, for verification and export."""
        last = after_position
        while True:
            page = self._rows(
                "WHERE position > ? ORDER BY position LIMIT ?", (last, self._page_size)
            )
            yield from page
            if len(page) < self._page_size:
                return
            last = page[-1].position

    def _rows(
        self, where: str, params: tuple[Any, ...], conn: Connection | None = None
    ) -> list[Any]:
        """Whole rows of events ``where`` (SQL with ``?`` marks) through the bare driver.

        Reading a row through SQLAlchemy's Row cost more than decoding it (cProfile of a
        100k-event read_all: _decode took 29 us a row on Rows, 7 us on plain tuples).
        """
        if conn is None:
            with translate_db_error(), self.engine.connect() as own:
                return self._rows(where, params, own)
        with translate_db_error():
            raw = conn.connection.driver_connection
        assert raw is not None
        sqlite = is_sqlite(conn)
        with driver_errors():
            if sqlite:
                return list(map(_StoredRow._make, raw.execute(_select(where, sqlite), params)))
            with raw.cursor() as cur:
                cur.execute(_select(where, sqlite), params)
                return list(map(_StoredRow._make, cur.fetchall()))


# --- what an append reads --------------------------------------------------------------

_SELECTED = ", ".join(c.name for c in _COLUMNS)
#: A stored row as the bare driver returns it, with the column names ``_decode`` reads.
_StoredRow = namedtuple("_StoredRow", [c.name for c in _COLUMNS])  # type: ignore[misc]
#: Queries with a placeholder list, written out once per engine (no SQL compiled per call).
_EXISTING = f"SELECT {_SELECTED} FROM events WHERE event_id IN ({{marks}})"
_VERSIONS = (
    "SELECT stream_id, max(stream_version) FROM events "
    "WHERE stream_id IN ({marks}) GROUP BY stream_id"
)
_HEAD_SQL = "SELECT position, hash, recorded_at FROM events ORDER BY position DESC LIMIT 1"
_EXISTING_PG = f"SELECT {_SELECTED} FROM events WHERE event_id = ANY(%s)"
_VERSIONS_PG = (
    "SELECT stream_id, max(stream_version) FROM events WHERE stream_id = ANY(%s) GROUP BY stream_id"
)
#: SQLite binds at most 32,766 values per statement; 500 keeps every statement small.
_IN_CHUNK = 500


def _chunks(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), _IN_CHUNK):
        yield values[start : start + _IN_CHUNK]


@functools.lru_cache(maxsize=64)
def _select(where: str, sqlite: bool) -> str:
    """``SELECT <every column> FROM events <where>`` in the driver's placeholder style."""
    sql = f"SELECT {_SELECTED} FROM events {where}"
    return sql if sqlite else sql.replace("?", "%s")


@functools.lru_cache(maxsize=64)
def _sqlite_in(template: str, count: int) -> str:
    return template.format(marks=", ".join(["?"] * count))


def _lookup_postgres(
    conn: Connection, ids: list[str], streams: list[str], cached: object
) -> tuple[list[Any], dict[str, int], Head]:
    """The lookups of ``EventStore._lookup`` as one pipeline: one round trip, not three."""
    raw = conn.connection.driver_connection
    assert raw is not None
    with driver_errors(), raw.cursor() as existing, raw.cursor() as versions, raw.cursor() as head:
        with raw.pipeline():
            if ids:
                existing.execute(_EXISTING_PG, (ids,))
            versions.execute(_VERSIONS_PG, (streams,))
            if not isinstance(cached, Head):
                head.execute(_HEAD_SQL)
        found = [_StoredRow._make(row) for row in existing.fetchall()] if ids else []
        known = {stream: version for stream, version in versions.fetchall()}
        top = cached if isinstance(cached, Head) else _head_of(head.fetchone())
    return found, known, top


def _head_of(row: Any) -> Head:
    if row is None:
        return Head(0, GENESIS_HASH, "")
    position, digest, recorded_at = row
    return Head(position, digest, recorded_at)


def _wanted(
    items: list[tuple[str, list[NewEvent], ExpectedVersion]],
) -> dict[str, tuple[str, NewEvent]]:
    """The events of an append by id; one id twice with different content is refused."""
    wanted: dict[str, tuple[str, NewEvent]] = {}
    for stream_id, events, _ in items:
        for e in events:
            if e.event_id in wanted and _content(*wanted[e.event_id]) != _content(stream_id, e):
                raise DuplicateEventError(
                    f"Event {e.event_id} appears twice with different content"
                )
            wanted[e.event_id] = (stream_id, e)
    return wanted


def _checked_existing(
    rows: list[Any], wanted: dict[str, tuple[str, NewEvent]]
) -> dict[str, RecordedEvent]:
    """The stored events among those wanted, each checked to carry the same content."""
    found: dict[str, RecordedEvent] = {}
    for row in rows:
        rec = _decode(row)
        if _stored_content(rec) != _content(*wanted[rec.event_id]):
            raise DuplicateEventError(
                f"Event {rec.event_id} is already stored at position {rec.position} "
                f"in stream '{rec.stream_id}' with different content"
            )
        found[rec.event_id] = rec
    return found


# --- encoding ---------------------------------------------------------------------------


def _row(
    position: int, stream_id: str, version: int, e: NewEvent, recorded_at: str, prev: str
) -> dict[str, Any]:
    try:
        payload = canonical_json(e.payload)
        metadata = canonical_json(e.metadata)
    except TypeError as exc:
        raise StoreError(f"Event {e.event_id} cannot be stored as JSON: {exc}") from exc
    start = e.occurred.earliest.isoformat() if e.occurred.earliest else ""
    end = e.occurred.latest.isoformat()
    precision = e.occurred.column_precision
    digest = chain_hash(
        prev,
        (
            str(position),
            *hashed_fields(
                e.event_id,
                stream_id,
                version,
                e.event_type,
                e.schema_version,
                precision,
                start,
                end,
                recorded_at,
                payload,
                metadata,
            ),
        ),
    )
    return {
        "position": position,
        "event_id": e.event_id,
        "stream_id": stream_id,
        "stream_version": version,
        "event_type": e.event_type,
        "schema_version": e.schema_version,
        "occurred_precision": precision,
        "occurred_start": start or None,
        "occurred_end": end,
        "recorded_at": recorded_at,
        "payload": payload,
        "metadata": metadata,
        "prev_hash": prev,
        "hash": digest,
    }


_INSERT_COLUMNS = tuple(c.name for c in _COLUMNS)


def insert_rows(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Write rows to events. Only the store calls this, inside a write transaction holding
    the log's lock: a unique violation is then unreachable unless something bypassed the
    store, and comes out as a ConcurrencyError."""
    conn.info.pop(_HEAD, None)  # the head known to this transaction moves (see head_in)
    insert_many(
        conn, "events", _INSERT_COLUMNS, [tuple(r[c] for c in _INSERT_COLUMNS) for r in rows]
    )


def _checked_version(stream_id: str, current: int, expected: ExpectedVersion) -> int:
    ok = (
        expected is Expect.ANY
        or (expected is Expect.NO_STREAM and current == 0)
        or (expected is Expect.STREAM_EXISTS and current > 0)
        or (isinstance(expected, int) and not isinstance(expected, bool) and expected == current)
    )
    if not ok:
        want = expected.value if isinstance(expected, Expect) else f"version {expected}"
        raise ConcurrencyError(f"Stream '{stream_id}' expected {want} but is at version {current}")
    return current


def _recorded(row: dict[str, Any], e: NewEvent, recorded_at: datetime) -> RecordedEvent:
    return RecordedEvent(
        position=row["position"],
        event_id=e.event_id,
        stream_id=row["stream_id"],
        stream_version=row["stream_version"],
        event_type=e.event_type,
        schema_version=e.schema_version,
        occurred=e.occurred,
        recorded_at=recorded_at,
        payload=e.payload,
        metadata=e.metadata,
        prev_hash=row["prev_hash"],
        hash=row["hash"],
    )


def row_hash(row: Any) -> str:
    """Recompute the hash of a stored row from its columns as stored."""
    return chain_hash(
        row.prev_hash,
        (
            str(row.position),
            *hashed_fields(
                row.event_id,
                row.stream_id,
                row.stream_version,
                row.event_type,
                row.schema_version,
                row.occurred_precision,
                row.occurred_start or "",
                row.occurred_end,
                row.recorded_at,
                row.payload,
                row.metadata,
            ),
        ),
    )


def _decode(row: Any) -> RecordedEvent:
    return RecordedEvent(
        position=row.position,
        event_id=row.event_id,
        stream_id=row.stream_id,
        stream_version=row.stream_version,
        event_type=row.event_type,
        schema_version=row.schema_version,
        occurred=_occurred(row.occurred_precision, row.occurred_start, row.occurred_end),
        recorded_at=_parse_time(row.recorded_at),
        payload=orjson.loads(row.payload),
        metadata=orjson.loads(row.metadata),
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


@functools.lru_cache(maxsize=4096)
def _occurred(precision: str, start: str | None, end: str) -> FuzzyDate:
    # A log holds few distinct world dates and FuzzyDate is immutable: parse each once.
    first = date.fromisoformat(start) if start else None
    return FuzzyDate.from_columns(precision, first, date.fromisoformat(end))


def _parse_time(text: str) -> datetime:
    """The stored 'YYYY-MM-DDTHH:MM:SS.ffffffZ' as an aware UTC datetime."""
    # fromisoformat reads the trailing Z as UTC since 3.11, many times faster than strptime.
    return datetime.fromisoformat(text)


def _content(stream_id: str, e: NewEvent) -> tuple[Any, ...]:
    """What makes two appends of one event id the same event."""
    meta = {k: v for k, v in e.metadata.items() if k not in VOLATILE_METADATA}
    return (
        stream_id,
        e.event_type,
        e.schema_version,
        str(e.occurred),
        canonical_json(e.payload),
        canonical_json(meta),
    )


def _stored_content(rec: RecordedEvent) -> tuple[Any, ...]:
    return _content(
        rec.stream_id,
        NewEvent(
            rec.event_id,
            rec.event_type,
            rec.schema_version,
            rec.occurred,
            rec.payload,
            rec.metadata,
        ),
    )

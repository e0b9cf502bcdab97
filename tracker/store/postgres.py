"""The event store on PostgreSQL, through the bare psycopg 3 driver.

Under the write lock every round trip to the server is time other writers wait, so the
lock and the three reads of an append go in one pipeline, and many rows go in by COPY: an
append of one event is four round trips (psycopg's BEGIN; lock and reads; insert; COMMIT),
the lock held over the last three, where it was five (the lock on its own), held over four.

The lock is taken with the transaction's first statement rather than on its own: ``lock``
only marks it due, and the first statement after it, whichever it is, takes it first: the
backend's own (``lookup``, ``select``, ``insert``) in the same pipeline, any other through
SQLAlchemy by the listener that ``watch`` puts on the engine. Nothing runs in the
transaction before the lock, as when it was taken at once.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Sequence
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from tracker.store import bulk
from tracker.store.backend import Lookup, TableRows, driver_connection
from tracker.store.engine import LOCK_TIMEOUT_S
from tracker.store.errors import driver_errors
from tracker.store.rows import SELECTED, Head, StoredRow, head_of

#: The log's write lock: a transaction-scoped advisory lock on the schema's events table.
#: Migration 0003 makes every INSERT take it too, keyed by the table's own schema.
WRITE_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || '.events', 0))"
_EXISTING = f"SELECT {SELECTED} FROM events WHERE event_id = ANY(%s)"
_VERSIONS = (
    "SELECT stream_id, max(stream_version) FROM events WHERE stream_id = ANY(%s) GROUP BY stream_id"
)
_HEAD = "SELECT position, hash, recorded_at FROM events ORDER BY position DESC LIMIT 1"


class PostgresBackend:
    """``%s`` parameters on the bare driver; pipelined reads; COPY for many rows."""

    def lock(self, conn: Connection) -> None:
        """The wait limit, then the advisory lock, taken before the transaction's first
        statement (see the module's doc). Writers queue, readers do not, and positions
        commit in order, so a reader following ``position > last_seen`` never misses an
        event that commits later. It needs no UPDATE privilege, unlike ``LOCK TABLE ...
        EXCLUSIVE``, so an insert-only role can write."""
        conn.info[_LOCK_DUE] = True
        if conn.engine not in _WATCHED:  # an engine not made by engine.connect: at once
            with driver_errors():
                _lock_if_due(conn, driver_connection(conn))

    def lookup(
        self, conn: Connection, ids: list[str], streams: list[str], head: Head | None
    ) -> Lookup:
        """One pipeline: one round trip for the lock (if due) and the three queries."""
        raw = driver_connection(conn)
        with driver_errors(), raw.cursor() as existing, raw.cursor() as versions:
            top = raw.cursor()
            with raw.pipeline():
                _lock_if_due(conn, raw)
                if ids:
                    existing.execute(_EXISTING, (ids,))
                versions.execute(_VERSIONS, (streams,))
                if head is None:
                    top.execute(_HEAD)
            found = [StoredRow._make(row) for row in existing.fetchall()] if ids else []
            known = {stream: version for stream, version in versions.fetchall()}
            if head is None:
                head = head_of(top.fetchone())
            top.close()
        return Lookup(found, known, head)

    def select(self, conn: Connection, where: str, params: tuple[Any, ...]) -> list[StoredRow]:
        raw = driver_connection(conn)
        with driver_errors(), raw.cursor() as cur:
            if conn.info.get(_LOCK_DUE):
                with raw.pipeline():
                    _lock_if_due(conn, raw)
                    cur.execute(_select(where), params)
            else:
                cur.execute(_select(where), params)
            return list(map(StoredRow._make, cur.fetchall()))

    def insert(
        self, conn: Connection, table: str, columns: tuple[str, ...], values: Sequence[Any]
    ) -> None:
        """An executemany for a few rows, COPY from ``bulk.COPY_FROM`` rows on (below it
        COPY's own round trips cost more)."""
        raw = driver_connection(conn)
        insert, copy_sql = _statements(table, columns)
        with driver_errors(), raw.cursor() as cur:
            if conn.info.get(_LOCK_DUE):
                with raw.pipeline():
                    _lock_if_due(conn, raw)
            if len(values) < bulk.COPY_FROM:
                cur.executemany(insert, values)
            else:
                with cur.copy(copy_sql) as copy:
                    for value in values:
                        copy.write_row(value)

    def insert_tables(self, conn: Connection, items: Sequence[TableRows]) -> None:
        for table, columns, values in items:
            self.insert(conn, table, columns, values)


POSTGRES = PostgresBackend()

_WATCHED: weakref.WeakSet[Engine] = weakref.WeakSet()
_LOCK_DUE = "tracker_pg_lock_due"  # conn.info key: lock() was called, the lock not yet taken
_LOCK_STATEMENTS = (f"SET LOCAL lock_timeout = '{int(LOCK_TIMEOUT_S)}s'", WRITE_LOCK)


def _lock_if_due(conn: Connection, raw: Any) -> None:
    """Send the lock's statements on ``raw`` if ``lock`` marked it due (in a pipeline, they
    go with what follows; outside one, they run at once)."""
    if conn.info.pop(_LOCK_DUE, False):
        for statement in _LOCK_STATEMENTS:
            raw.execute(statement)


def watch(engine: Engine) -> None:
    """Take a due lock before any statement that goes through SQLAlchemy, and forget it
    when the transaction ends (a connection's ``info`` outlives its checkout)."""
    _WATCHED.add(engine)
    event.listen(engine, "before_cursor_execute", _before_execute)
    event.listen(engine, "commit", _forget)
    event.listen(engine, "rollback", _forget)


def _before_execute(conn: Connection, *_: Any) -> None:
    if conn.info.get(_LOCK_DUE):
        with driver_errors():
            _lock_if_due(conn, driver_connection(conn))


def _forget(conn: Connection) -> None:
    conn.info.pop(_LOCK_DUE, None)


@functools.lru_cache(maxsize=64)
def _select(where: str) -> str:
    return f"SELECT {SELECTED} FROM events {where}".replace("?", "%s")


@functools.lru_cache(maxsize=32)
def _statements(table: str, columns: tuple[str, ...]) -> tuple[str, str]:
    names = ", ".join(columns)
    marks = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {table} ({names}) VALUES ({marks})", f"COPY {table} ({names}) FROM STDIN"

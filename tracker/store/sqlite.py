"""The event store on SQLite, through the bare sqlite3 driver.

SQLAlchemy's result set-up cost more than SQLite's own work on every query here (cProfile
of a 100k-event read_all: decoding took 29 us a row from SQLAlchemy Rows, 7 us from plain
tuples), so the store hands SQLite plain SQL and reads plain tuples. The write lock is the
engine's ``BEGIN IMMEDIATE`` (tracker/store/engine.py), taken as the transaction begins.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy.engine import Connection

from tracker.store.backend import Lookup, chunks, driver_connection
from tracker.store.behind import drained, run_behind
from tracker.store.errors import driver_errors
from tracker.store.rows import SELECTED, Head, StoredRow, head_of

_EXISTING = f"SELECT {SELECTED} FROM events WHERE event_id IN ({{marks}})"
_VERSIONS = (
    "SELECT stream_id, max(stream_version) FROM events "
    "WHERE stream_id IN ({marks}) GROUP BY stream_id"
)
_HEAD = "SELECT position, hash, recorded_at FROM events ORDER BY position DESC LIMIT 1"


class SQLiteBackend:
    """Plain SQL with ``?`` marks on the bare driver; one executemany per insert."""

    def lock(self, conn: Connection) -> None:
        """Nothing to do: the engine began the write transaction with BEGIN IMMEDIATE."""

    def lookup(
        self, conn: Connection, ids: list[str], streams: list[str], head: Head | None
    ) -> Lookup:
        drained(conn)
        raw = driver_connection(conn)
        with driver_errors():
            found = [
                StoredRow._make(row)
                for chunk in chunks(ids)
                for row in raw.execute(_in(_EXISTING, len(chunk)), chunk)
            ]
            versions = {
                stream: version
                for chunk in chunks(streams)
                for stream, version in raw.execute(_in(_VERSIONS, len(chunk)), chunk)
            }
            if head is None:
                head = head_of(raw.execute(_HEAD).fetchone())
        return Lookup(found, versions, head)

    def select(self, conn: Connection, where: str, params: tuple[Any, ...]) -> list[StoredRow]:
        drained(conn)
        raw = driver_connection(conn)
        with driver_errors():
            return list(map(StoredRow._make, raw.execute(_select(where), params)))

    def insert(
        self, conn: Connection, table: str, columns: tuple[str, ...], values: Sequence[Any]
    ) -> None:
        drained(conn)
        raw = driver_connection(conn)
        with driver_errors():
            if table == "events" and len(values) >= STAGE_FROM:
                _stage(raw, columns, values)
                run_behind(conn, functools.partial(_from_stage, raw, columns))
            else:
                raw.executemany(_insert(table, columns), values)


SQLITE = SQLiteBackend()

#: From this many events on, an insert goes through the staging table (``_staged``).
STAGE_FROM = 16
_STAGE = "tracker_staged_events"


def _stage(raw: Any, columns: tuple[str, ...], values: Sequence[Any]) -> None:
    """Many events into the staging table, to go into the log as one statement
    (``_from_stage``).

    A trigger that calls a function (the append check's ``json_valid`` and ``GLOB``, alembic
    0009) makes SQLite keep a statement journal for each INSERT statement: every page the
    statement changes is copied before it changes. One row per statement copied four
    16 KiB pages (the table's and its three indexes') for each row, and a row cost three
    times what it cost without the trigger. In one ``INSERT ... SELECT`` a page is copied
    once for the whole batch; the trigger still checks every row, in order, against the
    rows before it, and refuses as before (the statement, hence the batch, is undone).
    Bare driver, the register's 113,789 events in batches of about 2,000: executemany
    3.7-4.2 s, staged 2.1-2.9 s. The staging table is the connection's own (``temp``),
    empty again once the events are in, and rolled back with the transaction.
    """
    names = ", ".join(columns)
    raw.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE} AS SELECT {names} FROM events WHERE 0")
    raw.executemany(_insert(f"temp.{_STAGE}", columns), values)


def _from_stage(raw: Any, columns: tuple[str, ...]) -> None:
    """The staged events into the log, in the order staged; the staging table emptied.
    One long statement with nothing to bind: an import runs it behind (behind.py)."""
    names = ", ".join(columns)
    with driver_errors():
        try:
            raw.execute(
                f"INSERT INTO events ({names}) SELECT {names} FROM temp.{_STAGE} ORDER BY rowid"
            )
        finally:
            raw.execute(f"DELETE FROM temp.{_STAGE}")


@functools.lru_cache(maxsize=64)
def _in(template: str, count: int) -> str:
    return template.format(marks=", ".join(["?"] * count))


@functools.lru_cache(maxsize=64)
def _select(where: str) -> str:
    return f"SELECT {SELECTED} FROM events {where}"


@functools.lru_cache(maxsize=32)
def _insert(table: str, columns: tuple[str, ...]) -> str:
    marks = ", ".join(["?"] * len(columns))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"

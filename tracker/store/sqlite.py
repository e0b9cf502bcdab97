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
        raw = driver_connection(conn)
        with driver_errors():
            return list(map(StoredRow._make, raw.execute(_select(where), params)))

    def insert(
        self, conn: Connection, table: str, columns: tuple[str, ...], values: Sequence[Any]
    ) -> None:
        raw = driver_connection(conn)
        with driver_errors():
            raw.executemany(_insert(table, columns), values)


SQLITE = SQLiteBackend()


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

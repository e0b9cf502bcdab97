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

from tracker.store.backend import Lookup, TableRows, chunks, driver_connection
from tracker.store.behind import drained, is_behind, run_behind
from tracker.store.errors import driver_errors
from tracker.store.rows import SELECTED, Head, StoredRow, head_of

_EXISTING = f"SELECT {SELECTED} FROM events WHERE event_id IN ({{marks}})"
_VERSIONS = (
    "SELECT stream_id, max(stream_version) FROM events "
    "WHERE stream_id IN ({marks}) GROUP BY stream_id"
)
_HEAD = "SELECT position, hash, recorded_at FROM events ORDER BY position DESC LIMIT 1"


class SQLiteBackend:
    """Plain SQL with ``?`` marks on the bare driver; an executemany per table, or a staging
    table and one ``INSERT ... SELECT`` (``_stage``)."""

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
        self.insert_tables(conn, [(table, columns, values)])

    def insert_tables(self, conn: Connection, items: Sequence[TableRows]) -> None:
        """Each table's rows, staged where that pays (``_stage``): the staged ones then go
        in together, behind the caller inside ``statements_behind``."""
        drained(conn)
        raw = driver_connection(conn)
        staged: list[tuple[str, tuple[str, ...]]] = []
        behind = is_behind(conn)
        with driver_errors():
            for table, columns, values in items:
                # The log's rows always (its trigger), others when written behind; never a
                # full-text index's (its "rowid" is no column to stage).
                worth = table == "events" or behind
                if worth and len(values) >= STAGE_FROM and "rowid" not in columns:
                    _stage(raw, table, columns, values)
                    staged.append((table, columns))
                elif values:
                    raw.executemany(_insert(table, columns), values)
        if staged:
            run_behind(conn, functools.partial(_from_stages, raw, staged))


SQLITE = SQLiteBackend()

#: From this many rows on, an insert into the log goes through a staging table (``_stage``),
#: and, inside ``statements_behind``, an insert into a read model's table too.
STAGE_FROM = 16


def _stage(raw: Any, table: str, columns: tuple[str, ...], values: Sequence[Any]) -> None:
    """Many rows into ``table``'s staging table, to go in as one statement
    (``_from_stages``).

    For the log: a trigger that calls a function (the append check's ``json_valid`` and
    ``GLOB``, alembic 0009) makes SQLite keep a statement journal for each INSERT statement:
    every page the statement changes is copied before it changes. One row per statement
    copied four 16 KiB pages (the table's and its three indexes') for each row, and a row
    cost three times what it cost without the trigger. In one ``INSERT ... SELECT`` a page
    is copied once for the whole batch; the trigger still checks every row, in order,
    against the rows before it, and refuses as before (the statement, hence the batch, is
    undone). Bare driver, the register's 113,789 events in batches of about 2,000:
    executemany 3.7-4.2 s, staged 2.1-2.9 s.

    For every table: ``INSERT ... SELECT`` binds nothing, so it can run behind the caller
    (behind.py) where executemany needs Python's lock for every row. A staging table is the
    connection's own (``temp``), has the affinities of the table's columns (so a value is
    stored as a direct insert stores it), is empty again once its rows are in, and is
    rolled back with the transaction.
    """
    names = ", ".join(columns)
    raw.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {_STAGED}{table} AS SELECT {names} FROM {table} WHERE 0"
    )
    raw.executemany(_insert(f"temp.{_STAGED}{table}", columns), values)


_STAGED = "tracker_staged_"


def _from_stages(raw: Any, staged: Sequence[tuple[str, tuple[str, ...]]]) -> None:
    """Each staged table's rows into its table, in the order staged; the staging tables
    emptied. Long statements with nothing to bind: a bulk write runs them behind."""
    with driver_errors():
        try:
            for table, columns in staged:
                names = ", ".join(columns)
                raw.execute(
                    f"INSERT INTO {table} ({names}) "
                    f"SELECT {names} FROM temp.{_STAGED}{table} ORDER BY rowid"
                )
        finally:
            for table, _ in staged:
                raw.execute(f"DELETE FROM temp.{_STAGED}{table}")


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

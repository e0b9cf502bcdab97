"""Many rows into one table at once, by the fastest way each engine has.

SQLAlchemy's own executemany processes every row's parameters in Python, which cost as
much as SQLite's insert itself on a rebuild's hundred thousand timeline rows; on
PostgreSQL, COPY takes many rows in a fraction of the server's time of INSERTs.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy.engine import Connection

from tracker.store.engine import is_sqlite
from tracker.store.errors import driver_errors

#: From this many rows on, PostgreSQL gets COPY (its own round trips cost more below it).
COPY_FROM = 50


def insert_many(
    conn: Connection, table: str, columns: tuple[str, ...], values: Sequence[tuple[Any, ...]]
) -> None:
    """Insert ``values`` (tuples in the order of ``columns``) into ``table`` in ``conn``'s
    transaction: one prepared executemany on SQLite (and for a few rows on PostgreSQL),
    COPY for more on PostgreSQL. Driver errors come out as StoreErrors."""
    if not values:
        return
    raw = conn.connection.driver_connection
    assert raw is not None
    sqlite = is_sqlite(conn)
    insert, copy_sql = _statements(table, columns, sqlite)
    with driver_errors():
        if sqlite:
            raw.executemany(insert, values)
        elif len(values) < COPY_FROM:
            with raw.cursor() as cur:
                cur.executemany(insert, values)
        else:
            with raw.cursor() as cur, cur.copy(copy_sql) as copy:
                for value in values:
                    copy.write_row(value)


@functools.lru_cache(maxsize=32)
def _statements(table: str, columns: tuple[str, ...], sqlite: bool) -> tuple[str, str]:
    names = ", ".join(columns)
    marks = ", ".join(["?" if sqlite else "%s"] * len(columns))
    return f"INSERT INTO {table} ({names}) VALUES ({marks})", f"COPY {table} ({names}) FROM STDIN"

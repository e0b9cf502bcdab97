"""Bulk work: many rows into tables at once, and the collector policy while it runs.

SQLAlchemy's own executemany processes every row's parameters in Python, which cost as
much as SQLite's insert itself on a rebuild's hundred thousand rows; on PostgreSQL, COPY
takes many rows in a fraction of the server's time of INSERTs. Each backend module
(tracker/store/sqlite.py, postgres.py) holds its own way.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy.engine import Connection

from tracker.store.backend import TableRows, backend_of

#: From this many rows on, PostgreSQL gets COPY (its own round trips cost more below it).
COPY_FROM = 50


def insert_tables(conn: Connection, items: Sequence[TableRows]) -> None:
    """Insert each item's rows (tuples in the order of its columns) into its table, in the
    order given, in ``conn``'s transaction, by the engine's fastest way: on SQLite inside a
    bulk transaction they go in behind the caller (tracker/store/behind.py). Driver errors
    come out as StoreErrors."""
    items = [item for item in items if item[2]]
    if items:
        backend_of(conn).insert_tables(conn, items)


@contextmanager
def collector_paused() -> Iterator[None]:
    """The one collector policy for bulk work (a large write, an import, a replay): Python's
    cycle collector paused for the block (if it runs), resumed after.

    Bulk work builds many long-lived objects (states, facts, rows) and few cycles, so each
    full collection during it walks them all again for nothing: a fifth to a quarter of a
    large write's or a rebuild's time. Reference counting frees everything as before; a
    cycle made meanwhile (by a driver, say) is collected after the pause.
    """
    if not gc.isenabled():
        yield  # already paused by a caller (an import around many writes)
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@contextmanager
def kept_from_collections() -> Iterator[None]:
    """Everything alive now kept out of the collector's sweeps until the block ends: for a
    large, long-lived structure without cycles (an import's plan) that later bulk work
    would otherwise walk on every collection. Objects someone else froze are theirs:
    nested, this does nothing."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()

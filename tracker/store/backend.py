"""What the event store needs of a database engine: one small contract, one module each.

``EventStore`` speaks only to this protocol; the SQLite and PostgreSQL modules hold every
driver trick and dialect difference (placeholders, bare-driver cursors, pipelines, COPY,
the write lock), as eventsourcing keeps its recorders apart from its application.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.engine import Connection

from tracker.store.rows import Head, StoredRow


@dataclass(frozen=True, slots=True)
class Lookup:
    """What an append reads under the write lock before it writes."""

    found: list[StoredRow]  # the stored rows among the ids asked for
    versions: dict[str, int]  # the current version of each stream asked for that exists
    head: Head


#: Rows for one table: its name, its columns, and tuples in the order of the columns.
TableRows = tuple[str, tuple[str, ...], Sequence[Any]]


class Backend(Protocol):
    """The engine-specific part of the event store."""

    def lock(self, conn: Connection) -> None:
        """Take the log's write lock in ``conn``'s new transaction (held until it ends)."""

    def lookup(
        self, conn: Connection, ids: list[str], streams: list[str], head: Head | None
    ) -> Lookup:
        """The stored rows among ``ids``, the versions of ``streams``, and the head (``head``
        if the transaction knows it already)."""

    def select(self, conn: Connection, where: str, params: tuple[Any, ...]) -> list[StoredRow]:
        """Whole rows of events ``where`` (SQL with ``?`` marks), in the order it gives."""

    def insert(
        self, conn: Connection, table: str, columns: tuple[str, ...], values: Sequence[Any]
    ) -> None:
        """Insert ``values`` (tuples in ``columns`` order) into ``table``, in one batch."""

    def insert_tables(self, conn: Connection, items: Sequence[TableRows]) -> None:
        """``insert`` for each item, in the order given: rows for several tables at once."""


def backend_of(conn: Connection) -> Backend:
    """The backend for ``conn``'s engine."""
    if conn.dialect.name == "sqlite":
        from tracker.store.sqlite import SQLITE

        return SQLITE
    from tracker.store.postgres import POSTGRES

    return POSTGRES


def driver_connection(conn: Connection) -> Any:
    """The DB-API connection under ``conn`` (the backends' bare-driver paths use it)."""
    raw = conn.connection.driver_connection
    assert raw is not None
    return raw


#: Statements with a list of values: at most this many values each (SQLite binds at most
#: 32,766 per statement; 500 keeps every statement small on both engines).
IN_CHUNK = 500


def chunks(values: list[str]) -> list[list[str]]:
    """``values`` in lists of at most IN_CHUNK."""
    return [values[start : start + IN_CHUNK] for start in range(0, len(values), IN_CHUNK)]

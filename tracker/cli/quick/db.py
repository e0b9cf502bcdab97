"""The read models on the bare driver: sqlite3, or psycopg for PostgreSQL, in one snapshot.

A Reader answers only on a database at this code's schema revision whose projections are
level with the log (every checkpoint at the head, at the code's version): what the full
path would read without catching up first. Otherwise it raises Unhandled.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from tracker.cli.quick.errors import Unhandled

#: The schema revision and projection versions this code reads; tests check they equal
#: tracker.store.schema.SCHEMA_REVISION and tracker.projections.registry.VERSIONS (imported
#: here they would bring SQLAlchemy). Were they to differ, every answer goes the full way.
SCHEMA_REVISION = "0011"
VERSIONS = {"contracts": 4, "joint_ventures": 3, "agreements": 1, "topics": 1}
CHUNK = 500


class Reader:
    """One read-only snapshot of a tracker database; ``?`` marks parameters on both engines."""

    def __init__(self, conn: Any, dialect: str) -> None:
        self.conn, self.dialect = conn, dialect

    @property
    def postgres(self) -> bool:
        return self.dialect == "postgresql"

    def sql(self, query: str) -> str:
        return query.replace("?", "%s") if self.postgres else query

    def day(self, value: date) -> Any:
        """A date as a parameter: SQLite holds dates as ISO text (SQLAlchemy's Date)."""
        return value if self.postgres else value.isoformat()

    def all(self, query: str, params: Sequence[Any] = ()) -> list[Any]:
        cur = self.conn.cursor()
        try:
            cur.execute(self.sql(query), tuple(params))
            return list(cur.fetchall())
        finally:
            cur.close()

    def chunks(self, query: str, params: Sequence[Any] = ()) -> Iterator[list[Any]]:
        """The rows of ``query``, CHUNK at a time (a server-side cursor on PostgreSQL)."""
        cur = self.conn.cursor(name="quick_status") if self.postgres else self.conn.cursor()
        try:
            cur.execute(self.sql(query), tuple(params))
            while rows := cur.fetchmany(CHUNK):
                yield list(rows)
        finally:
            cur.close()

    def close(self) -> None:
        try:
            self.conn.rollback() if self.postgres else self.conn.execute("ROLLBACK")
        finally:
            self.conn.close()


def open_reader(url: str) -> Reader:
    """A Reader on ``url`` (as tracker.config.resolve_url gives it), level with the log."""
    if url.startswith("sqlite:///"):
        reader = Reader(_sqlite(url[len("sqlite:///") :]), "sqlite")
    elif url.startswith("postgresql+psycopg://"):
        reader = Reader(_postgres("postgresql://" + url.split("://", 1)[1]), "postgresql")
    else:
        raise Unhandled("database URL")
    try:
        require_level(reader)
    except BaseException:
        reader.close()
        raise
    return reader


def _sqlite(path: str) -> Any:
    if not path or path == ":memory:" or path.startswith("file:") or "?" in path:
        raise Unhandled("SQLite URL")
    if not Path(path).is_file():
        raise Unhandled("no database file")  # the full path says so in its own words
    import sqlite3

    conn = sqlite3.connect(path, timeout=5.0, isolation_level=None)
    conn.execute("BEGIN")  # one snapshot for the checks and every read after them
    return conn


def _postgres(conninfo: str) -> Any:
    import psycopg

    conn = psycopg.connect(conninfo, connect_timeout=5)
    conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    conn.read_only = True
    return conn


def require_level(reader: Reader) -> None:
    """Unhandled unless the schema is this code's and every projection is at the head."""
    (revision,) = reader.all("SELECT version_num FROM alembic_version")[0]
    if revision != SCHEMA_REVISION:
        raise Unhandled(f"schema revision {revision}")
    top = reader.all("SELECT position FROM events ORDER BY position DESC LIMIT 1")
    head = top[0][0] if top else 0
    marks = {
        name: (position, version)
        for name, position, version in reader.all(
            "SELECT name, position, version FROM projection_checkpoints"
        )
    }
    for name, version in VERSIONS.items():
        if marks.get(name) != (head, version):
            raise Unhandled(f"projection {name} is not level with the log")

"""Fresh databases for each measurement: a new SQLite file, or a new PostgreSQL schema.

Modules a measurement process loads import their libraries inside functions, so that each
process's peak RSS counts only what the system under test needs.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import quote

#: The same server the test suite uses (see tests/conftest.py).
PG_URL = os.environ.get(
    "TRACKER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@dataclass(frozen=True, slots=True)
class Db:
    """Where one measurement writes: an SQLite file, or a schema on the PostgreSQL server."""

    engine: str
    path: str = ""
    schema: str = ""
    #: Extra ``-c name=value`` settings for the tracker's PostgreSQL sessions (an experiment).
    pg_options: str = ""

    @property
    def url(self) -> str:
        """The SQLAlchemy URL the tracker opens."""
        if self.engine == "sqlite":
            return f"sqlite:///{self.path}"
        sep = "&" if "?" in PG_URL else "?"
        options = f"-csearch_path={self.schema} {self.pg_options}".strip()
        return f"{PG_URL}{sep}options={quote(options)}"

    def with_pg_options(self, options: str) -> Db:
        return Db(self.engine, self.path, self.schema, options)

    def pg_kwargs(self) -> dict[str, str | int]:
        """psycopg connection keywords for the server, with search_path set to the schema."""
        from sqlalchemy import make_url

        u = make_url(PG_URL)
        return {
            "host": u.host or "127.0.0.1",
            "port": u.port or 5432,
            "user": u.username or "postgres",
            "password": u.password or "",
            "dbname": u.database or "postgres",
            "options": f"-c search_path={self.schema}",
        }


@cache
def postgres_problem() -> str | None:
    """None when the PostgreSQL server answers; else why not."""
    import psycopg

    try:
        kwargs = Db("postgresql", schema="public").pg_kwargs()
        with psycopg.connect(**kwargs, connect_timeout=3) as conn:  # type: ignore[arg-type]
            conn.execute("SELECT 1")
    except Exception as e:
        return f"PostgreSQL not reachable at {PG_URL}: {str(e).strip().splitlines()[0]}"
    return None


@contextlib.contextmanager
def fresh_db(engine: str) -> Iterator[Db]:
    """An empty database on ``engine``, removed afterwards."""
    if engine == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
        try:
            yield Db("sqlite", path=str(folder / "bench.db"))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    import psycopg

    db = Db("postgresql", schema=f"bench_{uuid.uuid4().hex[:12]}")
    admin = {k: v for k, v in db.pg_kwargs().items() if k != "options"}
    with psycopg.connect(**admin, autocommit=True) as conn:  # type: ignore[arg-type]
        conn.execute(f'CREATE SCHEMA "{db.schema}"')
    try:
        yield db
    finally:
        with psycopg.connect(**admin, autocommit=True) as conn:  # type: ignore[arg-type]
            conn.execute(f'DROP SCHEMA "{db.schema}" CASCADE')


def server_version() -> str:
    import psycopg

    if postgres_problem():
        return ""
    kwargs = Db("postgresql", schema="public").pg_kwargs()
    with psycopg.connect(**kwargs) as conn:  # type: ignore[arg-type]
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else ""

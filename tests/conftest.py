"""Fixtures shared by every suite: a fresh database per test, on SQLite and on PostgreSQL.

PostgreSQL comes from TRACKER_TEST_POSTGRES_URL (default: the local server, user postgres,
database test). Each test gets its own schema there. Without a server the PostgreSQL cases
are skipped with the reason, unless TRACKER_REQUIRE_POSTGRES=1 (CI), where they fail.
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tracker.service.app import Tracker

PG_URL = os.environ.get(
    "TRACKER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_PG = os.environ.get("TRACKER_REQUIRE_POSTGRES") == "1"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@functools.cache
def postgres_problem() -> str | None:
    """None when the PostgreSQL test server answers; else why not."""
    import psycopg

    try:
        with psycopg.connect(_conninfo(PG_URL), connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as e:
        return f"PostgreSQL not reachable at {PG_URL}: {str(e).strip().splitlines()[0]}"
    return None


def _conninfo(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def need_postgres() -> None:
    problem = postgres_problem()
    if problem:
        if REQUIRE_PG:
            pytest.fail(f"{problem} (TRACKER_REQUIRE_POSTGRES=1)")
        pytest.skip(problem)


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A URL whose search_path is a fresh, empty schema, dropped after the test."""
    need_postgres()
    with fresh_pg_schema() as url:
        yield url


@contextmanager
def fresh_pg_schema() -> Iterator[str]:
    """A URL whose search_path is a new, empty schema, dropped on exit."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(_conninfo(PG_URL), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(_conninfo(PG_URL), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each engine."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tracker.db'}"
    url: str = request.getfixturevalue("pg_schema_url")
    return url


@pytest.fixture
def tracker(db_url: str) -> Iterator[Tracker]:
    """A migrated, empty tracker database on each engine."""
    t = Tracker.open(db_url, create=True)
    t.init()
    try:
        yield t
    finally:
        t.close()


@pytest.fixture
def sqlite_tracker(tmp_path: Path) -> Iterator[Tracker]:
    """A migrated, empty tracker on SQLite only (for tests that do not depend on the engine)."""
    t = Tracker.open(str(tmp_path / "tracker.db"), create=True)
    t.init()
    try:
        yield t
    finally:
        t.close()


def pytest_report_header(config: pytest.Config) -> str:
    problem = postgres_problem()
    return "postgresql: " + (problem or f"using {PG_URL}")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    problem = postgres_problem()
    if problem:
        terminalreporter.write_line(
            f"NOTE: PostgreSQL tests were SKIPPED: {problem}", yellow=True, bold=True
        )

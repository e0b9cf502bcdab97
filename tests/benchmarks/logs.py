"""Logs the corpus generator built, kept for one run so that later workloads reuse them.

Workload 3 keeps the database its import wrote; workloads 4 and 7 copy it (events,
projections and all) into their fresh database instead of importing the corpus again. A
log nobody kept yet is built here, through ``Tracker.log`` as workload 3 does. SQLite
copies live in the folder ``run.py`` names in TRACKER_BENCH_LOGS, PostgreSQL copies in a
schema named after it (copied server-side, in seconds); both are removed at the end.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.benchmarks.corpus import Corpus
from tests.benchmarks.databases import Db
from tests.benchmarks.harness import Sample

CACHE_ENV = "TRACKER_BENCH_LOGS"
_CHUNK = 2_000


@contextlib.contextmanager
def kept_logs() -> Iterator[Path]:
    """A folder for this run's logs, named in the environment the measurements inherit."""
    folder = Path(tempfile.mkdtemp(prefix="tracker-bench-logs-"))
    os.environ[CACHE_ENV] = str(folder)
    try:
        yield folder
    finally:
        _drop_pg_copies()
        os.environ.pop(CACHE_ENV, None)
        shutil.rmtree(folder, ignore_errors=True)


def _folder() -> Path:
    folder = os.environ.get(CACHE_ENV)
    if not folder:
        raise RuntimeError(
            f"{CACHE_ENV} is not set: run the benchmarks through tests.benchmarks.run"
        )
    return Path(folder)


def _name(corpus: Corpus) -> str:
    return f"log_{corpus.events}_{corpus.seed}_{corpus.batch}_{corpus.active}"


def _path(corpus: Corpus) -> Path:
    return _folder() / f"{_name(corpus)}.db"


def _pg_prefix() -> str:
    token = "".join(c for c in _folder().name.lower() if c.isalnum())[-10:]
    return f"benchlogs_{token}_"


def _pg_schema(corpus: Corpus) -> str:
    return _pg_prefix() + _name(corpus)


def keep(db: Db, corpus: Corpus) -> None:
    """Keep the log ``db`` holds as the log of ``corpus`` (unless one is kept)."""
    if db.engine == "sqlite":
        if not _path(corpus).exists():
            _sqlite_copy(Path(db.path), _path(corpus))
    elif not _pg_exists(db, _pg_schema(corpus)):
        _pg_copy(db, db.schema, _pg_schema(corpus))


def built(corpus: Corpus) -> Path:
    """The SQLite file holding ``corpus``'s log and projections, built if nobody kept it."""
    target = _path(corpus)
    if target.exists():
        return target
    from tracker.service.app import Tracker

    part = target.with_suffix(".building")
    part.unlink(missing_ok=True)
    tracker = Tracker.open(f"sqlite:///{part}", create=True)
    try:
        tracker.init()
        for ids, events in corpus.batches():
            tracker.log(events, event_ids=ids, actor="bench-corpus")
    finally:
        tracker.close()
    _sqlite_copy(part, target)
    part.unlink()
    return target


def fill(db: Db, corpus: Corpus) -> int:
    """Make the fresh database ``db`` hold ``corpus``'s log and projections; the event count.

    Run it in a process of its own (``harness.in_child``): it may build the log first.
    """
    if db.engine == "sqlite":
        _sqlite_copy(built(corpus), Path(db.path))
    elif _pg_exists(db, _pg_schema(corpus)):
        _pg_copy(db, _pg_schema(corpus), db.schema)
    else:
        _copy_rows(built(corpus), db)
        keep(db, corpus)
    return corpus.events


def filled(db: Db, corpus: Corpus) -> Sample:
    """``fill`` as a measurement's helper process runs it: how long the copy took."""
    start = time.perf_counter()
    events = fill(db, corpus)
    return Sample(events, time.perf_counter() - start)


def _sqlite_copy(source: Path, target: Path) -> None:
    """A consistent copy through SQLite's backup API (whatever the WAL holds), made whole
    under a temporary name, then renamed into place."""
    part = target.with_name(target.name + ".part")
    with (
        contextlib.closing(sqlite3.connect(source)) as src,
        contextlib.closing(sqlite3.connect(part)) as dst,
    ):
        src.backup(dst)
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    part.replace(target)


def _tables() -> list[Any]:
    """The tracker's tables, parents first (alembic_version is the migration's own)."""
    from sqlmodel import SQLModel

    # Importing them registers the events and projection tables on SQLModel.metadata.
    import tracker.projections.tables
    import tracker.store.schema  # noqa: F401

    return [t for t in SQLModel.metadata.sorted_tables if t.name != "alembic_version"]


def _admin(db: Db) -> Any:
    import psycopg

    kwargs = {k: v for k, v in db.pg_kwargs().items() if k != "options"}
    return psycopg.connect(**kwargs, autocommit=True)  # type: ignore[arg-type]


def _pg_exists(db: Db, schema: str) -> bool:
    with _admin(db) as conn:
        found = conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,))
        return found.fetchone() is not None


def _pg_copy(db: Db, source: str, target: str) -> None:
    """Every tracker table's rows from schema ``source`` to ``target``, server-side. A
    target that does not exist yet is created (as a copy, renamed into place when whole)."""
    tables = _tables()
    with _admin(db) as conn:
        if _pg_exists(db, target):
            with conn.transaction():
                for t in tables:
                    columns = ", ".join(f'"{c.name}"' for c in t.columns)
                    conn.execute(f'DELETE FROM "{target}"."{t.name}"')
                    # The log's check trigger takes rows only as the next link: in order.
                    order = ' ORDER BY "position"' if t.name == "events" else ""
                    conn.execute(
                        f'INSERT INTO "{target}"."{t.name}" ({columns}) '
                        f'SELECT {columns} FROM "{source}"."{t.name}"{order}'
                    )
            for t in tables:
                conn.execute(f'ANALYZE "{target}"."{t.name}"')
            return
        part = f"{target}_part"
        conn.execute(f'DROP SCHEMA IF EXISTS "{part}" CASCADE')
        conn.execute(f'CREATE SCHEMA "{part}"')
        for t in tables:
            conn.execute(f'CREATE TABLE "{part}"."{t.name}" AS TABLE "{source}"."{t.name}"')
        conn.execute(f'ALTER SCHEMA "{part}" RENAME TO "{target}"')


def _drop_pg_copies() -> None:
    from tests.benchmarks.databases import postgres_problem

    if postgres_problem():
        return
    db = Db("postgresql", schema="public")
    with _admin(db) as conn:
        like = _pg_prefix().replace("_", r"\_") + "%"
        found = conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", (like,))
        for (schema,) in found.fetchall():
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def _copy_rows(source: Path, db: Db) -> None:
    """Every tracker table's rows from the SQLite file into the (initialised) PostgreSQL
    schema: the stored bytes are the same on both engines, hash chain included."""
    from sqlalchemy import create_engine, delete, text

    tables = _tables()
    src, dst = create_engine(f"sqlite:///{source}"), create_engine(db.url)
    try:
        with src.connect() as read, dst.begin() as write:
            for table in tables:
                write.execute(delete(table))
                rows = read.execute(table.select()).mappings()
                while chunk := rows.fetchmany(_CHUNK):
                    write.execute(table.insert(), [dict(r) for r in chunk])
        with dst.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT")
            for table in tables:
                conn.execute(text(f'ANALYZE "{table.name}"'))
    finally:
        src.dispose()
        dst.dispose()

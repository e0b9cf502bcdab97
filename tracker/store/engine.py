"""Build the database engine in one place, with each engine's settings for a durable log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, make_url
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError

from tracker.config import describe, lock_timeout_s
from tracker.errors import DatabaseUnavailableError
from tracker.store.behind import drained

#: How long a writer waits for another writer before giving up (seconds).
LOCK_TIMEOUT_S = lock_timeout_s()
WRITE_OPTION = "tracker_write"
#: SQLite's page size for a new database file.
PAGE_SIZE = 16_384
#: The page cache of a connection while it writes, and otherwise (SQLite's default).
WRITE_CACHE_KIB = 32_768
READ_CACHE_KIB = 2_000
_BIG_CACHE = "tracker_write_cache"


def connect(url: str, *, create: bool = False) -> Engine:
    """An engine for ``url``. A missing SQLite file is created only when ``create`` is set.

    A URL that cannot be read (a port that is not a number, a malformed host) raises
    DatabaseUnavailableError, never a driver's own error.
    """
    try:
        if url.startswith("sqlite"):
            return _sqlite_engine(url, create)
        if url.startswith("postgresql"):
            return _postgres_engine(url)
    except (ArgumentError, ValueError) as e:
        raise DatabaseUnavailableError(
            f"Cannot read the database URL '{describe(url)}': {_why(e)}"
        ) from e
    raise DatabaseUnavailableError(
        f"Unsupported database URL '{describe(url)}': use a file path, sqlite:///PATH "
        "or postgresql+psycopg://..."
    )


def _why(e: Exception) -> str:
    first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    # SQLAlchemy reads the port with int() and lets its error through.
    return "the port is not a number" if "invalid literal for int()" in first else first


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


def _sqlite_engine(url: str, create: bool) -> Engine:
    path = url.split(":///", 1)[1] if ":///" in url else ""
    if path and path != ":memory:" and not path.startswith("file:"):
        file = Path(path)
        if not create and not file.exists():
            raise DatabaseUnavailableError(
                f"No tracker database at {file} (run 'tracker init' to create one)"
            )
        if create and not file.parent.exists():
            raise DatabaseUnavailableError(f"Cannot create {file}: {file.parent} does not exist")
    engine = create_engine(url, connect_args={"timeout": LOCK_TIMEOUT_S})
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    event.listen(engine, "checkin", _sqlite_on_checkin)
    event.listen(engine, "before_cursor_execute", _sqlite_before_execute)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is deferred and late).
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    try:
        tables = _tables(cur)
        if not tables:
            # Set before the first table (and before WAL, which fixes it): a contract's
            # state (a few kB of JSON) fits a 16 KiB page several times over, where at 4 KiB
            # each took a page of its own; the whole register then writes 13% fewer bytes.
            cur.execute(f"PRAGMA page_size={PAGE_SIZE}")
        if not tables or "alembic_version" in tables:
            # WAL is written into the file: never into another application's database,
            # which require_schema / init then refuse without having changed a byte.
            cur.execute("PRAGMA journal_mode=WAL")
        # FULL in WAL mode: a committed append survives power loss, at the peer's durability.
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute(f"PRAGMA busy_timeout={int(LOCK_TIMEOUT_S * 1000)}")
        cur.execute("PRAGMA foreign_keys=ON")
    finally:
        cur.close()


def _tables(cur: Any) -> set[str]:
    """The names of the file's tables (none for a new file)."""
    cur.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {row[0] for row in cur.fetchall()}


def _sqlite_on_begin(conn: Connection) -> None:
    # Writers take the write lock up front: a deferred transaction that later upgrades can
    # fail with "database is locked" instead of waiting its turn.
    immediate = conn.get_execution_options().get(WRITE_OPTION, False)
    # Straight to the driver: through exec_driver_sql this cost a result object per BEGIN.
    driver = conn.connection.driver_connection
    assert driver is not None
    if immediate:
        # A write can hold a whole import in its one transaction: from SQLite's default
        # 2 MiB cache, pages were spilled to the WAL and written again and again. Back to
        # the default when the connection is returned (a reader needs no more).
        driver.execute(f"PRAGMA cache_size=-{WRITE_CACHE_KIB}")
        # The staging tables (tracker/store/sqlite.py) live in temp, whose cache is SQLite's
        # smallest (temp.cache_size 0): a batch's staged rows were written to a temporary
        # file and read back. Given room, they stay in memory.
        driver.execute(f"PRAGMA temp.cache_size=-{WRITE_CACHE_KIB}")
        conn.connection.info[_BIG_CACHE] = True
    driver.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _sqlite_before_execute(conn: Connection, *_: Any) -> None:
    # A statement running behind the caller (tracker/store/behind.py) finishes first.
    drained(conn)


def _sqlite_on_checkin(dbapi_connection: Any, record: Any) -> None:
    if dbapi_connection is not None and record.info.pop(_BIG_CACHE, False):
        dbapi_connection.execute(f"PRAGMA cache_size=-{READ_CACHE_KIB}")
        dbapi_connection.execute("PRAGMA temp.cache_size=0")


def _postgres_engine(url: str) -> Engine:
    parsed = make_url(url)
    # Keep options the URL carries (tests use them to choose a search_path), and add ours:
    # a client that dies holding the table lock must not block writers for ever.
    carried = parsed.query.get("options", "")
    carried = " ".join(carried) if isinstance(carried, tuple) else carried
    options = f"{carried} -c idle_in_transaction_session_timeout=60000".strip()
    engine = create_engine(
        parsed.difference_update_query(["options"]),
        # No automatic server-side prepares: psycopg prepares a query after 5 runs and
        # PostgreSQL then keeps a generic plan made while the table was small, which later
        # scans the whole log for each "event_id IN (...)" (appends slowed 9x by 40k events).
        connect_args={"connect_timeout": 5, "options": options, "prepare_threshold": None},
    )
    from tracker.store.postgres import watch  # the write lock, taken with the first statement

    watch(engine)
    return engine

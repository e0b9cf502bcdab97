"""SQLite's page size and page cache: 16 KiB pages for a new file, a large cache only while
a write transaction is open, and a file made with other pages still works."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import text

from tracker.service.app import Tracker
from tracker.store.engine import PAGE_SIZE, READ_CACHE_KIB, WRITE_CACHE_KIB, connect


def _pragma(path: Path, name: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(f"PRAGMA {name}").fetchone()[0])


def test_a_new_database_file_has_16_kib_pages(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    Tracker.open(f"sqlite:///{db}", create=True).init()
    assert _pragma(db, "page_size") == PAGE_SIZE == 16_384


def test_a_file_made_with_4_kib_pages_keeps_them_and_still_takes_events(
    tmp_path: Path,
) -> None:
    db = tmp_path / "old.db"
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA page_size=4096")
        conn.execute("VACUUM")  # the page size is fixed when the first page is written
    tracker = Tracker.open(f"sqlite:///{db}", create=True)
    tracker.init()
    engine = connect(f"sqlite:///{db}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS scratch (x INTEGER)"))
    assert _pragma(db, "page_size") == 4096


def test_the_cache_is_large_while_writing_and_back_to_the_default_after(
    tmp_path: Path,
) -> None:
    db = tmp_path / "cache.db"
    tracker = Tracker.open(f"sqlite:///{db}", create=True)
    tracker.init()
    store = tracker.store
    with store.transaction() as conn:
        during = conn.exec_driver_sql("PRAGMA cache_size").scalar()
        temp_during = conn.exec_driver_sql("PRAGMA temp.cache_size").scalar()
        writer = conn.connection.driver_connection
    # The pool hands back the same connection: what a reader gets after the write.
    with store.engine.connect() as conn:
        after = conn.exec_driver_sql("PRAGMA cache_size").scalar()
        temp_after = conn.exec_driver_sql("PRAGMA temp.cache_size").scalar()
        assert conn.connection.driver_connection is writer
    assert during == -WRITE_CACHE_KIB
    assert after == -READ_CACHE_KIB
    # The staging tables' room (tracker/store/sqlite.py) while writing, SQLite's default after.
    assert (temp_during, temp_after) == (-WRITE_CACHE_KIB, 0)

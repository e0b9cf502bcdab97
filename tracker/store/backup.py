"""A consistent copy of a live SQLite database, taken with SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import Engine

from tracker.errors import StoreError
from tracker.store.engine import connect, is_sqlite
from tracker.store.eventstore import EventStore
from tracker.store.verify import VerifyResult, verify


def backup_sqlite(engine: Engine, target: Path) -> VerifyResult:
    """Copy the database page by page while writers go on; the copy is verified before use.

    The copy is written beside ``target`` and renamed into place only once it verifies.
    """
    if not is_sqlite(engine):
        raise StoreError(
            "tracker backup copies SQLite files; on PostgreSQL use pg_dump, or tracker export"
        )
    target = target.resolve()
    if not target.parent.is_dir():
        raise StoreError(f"Cannot write {target}: {target.parent} does not exist")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        with sqlite3.connect(partial) as copy:
            source.backup(copy)
        copy.close()
    except sqlite3.Error as e:
        partial.unlink(missing_ok=True)
        raise StoreError(f"Backup to {target} failed: {e}") from e
    finally:
        raw.close()
    checked = connect(f"sqlite:///{partial}")
    try:
        result = verify(EventStore(checked))
    finally:
        checked.dispose()
    if not result.ok:
        partial.unlink(missing_ok=True)
        raise StoreError(f"The backup does not verify (position {result.broken_at}); not kept")
    partial.replace(target)
    return result

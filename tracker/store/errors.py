"""Driver errors become tracker errors here, once, at the store boundary."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

from tracker.errors import (
    ConcurrencyError,
    DatabaseUnavailableError,
    NotATrackerDatabaseError,
    StoreBusyError,
    StoreError,
    TrackerError,
)
from tracker.store.engine import LOCK_TIMEOUT_S


@contextmanager
def translate_db_error() -> Iterator[None]:
    """Re-raise database driver errors as TrackerErrors with a one-line message."""
    try:
        yield
    except DBAPIError as e:
        earlier = _earlier_tracker_error(e) if "SAVEPOINT" in (e.statement or "") else None
        if earlier is not None:
            # A rollback failed because the error before it had ended the transaction
            # (SQLite rolls back by itself on a full disk: "no such savepoint"): that
            # earlier error is the one to tell.
            raise earlier from None
        raise translated(e) from e


def _earlier_tracker_error(e: BaseException) -> TrackerError | None:
    """The TrackerError that ``e`` was raised while handling, if any (a few links back)."""
    context = e.__context__
    for _ in range(4):
        if context is None or isinstance(context, TrackerError):
            return context
        context = context.__context__
    return None


@contextmanager
def driver_errors() -> Iterator[None]:
    """Errors of the bare driver (the hot paths go round SQLAlchemy) as the StoreErrors
    that ``translate_db_error`` gives for the same errors through SQLAlchemy."""
    try:
        yield
    except Exception as exc:
        if type(exc).__module__.split(".")[0] in ("psycopg", "sqlite3"):
            raise translated_driver_error(exc) from exc
        raise


def translated_driver_error(e: Exception) -> StoreError:
    """A driver exception raised outside SQLAlchemy as a StoreError."""
    if "duplicate key" in str(e) or "unique" in str(e).lower():
        return ConcurrencyError(f"The log changed while appending: {str(e).splitlines()[0]}")
    return translated(DBAPIError(None, None, e))


def translated(e: DBAPIError) -> StoreError:
    text = str(e.orig) if e.orig is not None else str(e)
    first = text.strip().splitlines()[0] if text.strip() else type(e).__name__
    low = text.lower()
    if "database is locked" in low or "lock timeout" in low or "locknotavailable" in low:
        return StoreBusyError(
            f"The log is busy: another writer held it for more than {LOCK_TIMEOUT_S:.0f} s; "
            "nothing was written, try again"
        )
    if "append-only" in low:
        return StoreError(f"Refused by the database: {first}")
    if "no such table" in low or ("relation" in low and "does not exist" in low):
        return NotATrackerDatabaseError(
            "The database has no tracker schema (run 'tracker init' or 'tracker db upgrade')"
        )
    if "file is not a database" in low or "not a database" in low:
        return NotATrackerDatabaseError("The file is not a tracker database (not SQLite)")
    if "disk is full" in low or "no space left" in low or "could not extend file" in low:
        return StoreError("The disk is full: nothing was written")
    if "readonly database" in low or "read-only" in low or "permission denied" in low:
        return StoreError(f"Not allowed: {first}")
    if isinstance(e, OperationalError) and (
        "connection" in low or "could not connect" in low or "unable to open" in low
    ):
        return DatabaseUnavailableError(f"Cannot open the database: {first}")
    if isinstance(e, ProgrammingError):
        return StoreError(f"Database error: {first}")
    return StoreError(f"Database error: {first}")

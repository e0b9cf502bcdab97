"""The database itself: creating and migrating its schema, its roles, checking and copying it.

Each function takes the open `Tracker`; Alembic, the chain walk and the audit are imported
where used, so that a read command starts without them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tracker.config import describe
from tracker.errors import NotATrackerDatabaseError, TrackerError

if TYPE_CHECKING:
    from pathlib import Path

    from tracker.projections.audit import AuditResult
    from tracker.service.app import Tracker
    from tracker.store.verify import VerifyResult


def require_schema(tracker: Tracker) -> None:
    """Fail with a clear message unless the database is a tracker at this code's revision."""
    from sqlalchemy import text

    from tracker.store.errors import translate_db_error
    from tracker.store.schema import SCHEMA_REVISION

    where = describe(tracker.url)
    try:
        with translate_db_error(), tracker.engine.connect() as conn:
            rev = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except NotATrackerDatabaseError as e:
        raise NotATrackerDatabaseError(
            f"{where} is not a tracker database (run 'tracker init' to create one)"
        ) from e
    except TrackerError as e:
        raise type(e)(f"{where}: {e}") from e
    if rev != SCHEMA_REVISION:
        raise NotATrackerDatabaseError(
            f"{where} is at schema revision {rev or 'none'}, this tracker needs "
            f"{SCHEMA_REVISION} (run 'tracker db upgrade')"
        )


def refuse_foreign(tracker: Tracker) -> None:
    """Raise NotATrackerDatabaseError if the database holds tables but no tracker schema."""
    from sqlalchemy import inspect

    from tracker.store.errors import translate_db_error

    with translate_db_error(), tracker.engine.connect() as conn:
        tables = sorted(inspect(conn).get_table_names())
    if tables and "alembic_version" not in tables:
        shown = ", ".join(tables[:3]) + (", ..." if len(tables) > 3 else "")
        raise NotATrackerDatabaseError(
            f"{describe(tracker.url)} is not a tracker database: it holds {len(tables)} "
            f"other table{'s' if len(tables) != 1 else ''} ({shown}); "
            "'tracker init --force' adds the tracker's tables beside them"
        )


def init(tracker: Tracker, *, force: bool = False) -> str:
    """Create the schema or migrate it to the latest revision; harmless when done already.

    Refuses (NotATrackerDatabaseError, nothing changed) a database that holds another
    application's tables, unless ``force``: then the tracker's tables go beside them.
    Returns the revision reached.
    """
    from tracker.store import migrate

    if not force:
        refuse_foreign(tracker)
    migrate.upgrade(tracker.engine)
    tracker.projector.catch_up()  # checkpoints exist from the start, at the code's versions
    return migrate.current_revision(tracker.engine) or "base"


def upgrade(tracker: Tracker, revision: str = "head") -> str:
    """Migrate a tracker database up to ``revision``; returns the revision reached.

    At this code's revision the read models are then brought level with the log (a new
    projection version rebuilds them), so that reads after an upgrade find them current.
    """
    from tracker.store import migrate
    from tracker.store.schema import SCHEMA_REVISION

    refuse_foreign(tracker)  # 'tracker init --force' is the way to share a database
    migrate.upgrade(tracker.engine, revision)
    reached = migrate.current_revision(tracker.engine) or "base"
    if reached == SCHEMA_REVISION:
        tracker.level_projections()
    return reached


def downgrade(tracker: Tracker, revision: str, *, drop_events: bool = False) -> str:
    """Migrate down to ``revision`` (an id, '-N' or 'base'); refuses to drop a log that
    holds events unless ``drop_events``. Returns the revision reached."""
    from tracker.store import migrate

    migrate.downgrade(tracker.engine, revision, drop_events=drop_events)
    return migrate.current_revision(tracker.engine) or "base"


def revisions(tracker: Tracker) -> tuple[str, str]:
    """The revision the database is at ('base' when empty) and the latest one known."""
    from tracker.store import migrate

    return (
        migrate.current_revision(tracker.engine) or "base",
        migrate.head_revision(tracker.engine),
    )


def grant_roles(tracker: Tracker, writer: str, reader: str, *, login: bool = False) -> list[str]:
    """Create (or update) a PostgreSQL role that may only append and read and one that may
    only read; returns the statements run (see tracker.store.roles)."""
    from tracker.store.roles import grant_roles as grant

    return grant(tracker.engine, writer, reader, login=login)


def verify(
    tracker: Tracker, against: str | None = None, progress: Callable[[int], None] | None = None
) -> tuple[VerifyResult, str | None]:
    """Walk the chain; with ``against`` (a digest 'POSITION:HASH', checked before the walk),
    also say why the log no longer extends it, if it does not."""
    from tracker.store.verify import extends, parse_digest, verify

    if against:
        parse_digest(against)  # a malformed digest is refused before the log is read
    result = verify(tracker.store, progress)
    problem = extends(tracker.store, against, result) if against else None
    return result, problem


def verify_read_models(tracker: Tracker) -> AuditResult:
    """Compare every read model with a fresh fold of the log; the first row that differs.

    Read-only (the reader role may run it); ``rebuild`` repairs what it finds.
    """
    from tracker.projections.audit import audit

    return audit(tracker.store)


def backup(tracker: Tracker, target: Path) -> VerifyResult:
    """A consistent copy of a live SQLite database (the online backup API), verified."""
    from tracker.store.backup import backup_sqlite

    return backup_sqlite(tracker.engine, target)

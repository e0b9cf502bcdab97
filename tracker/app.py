"""The service: one method per use case, each in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine

from tracker.config import describe, resolve_url
from tracker.errors import NotATrackerDatabaseError, TrackerError
from tracker.store.engine import connect
from tracker.store.errors import translate_db_error
from tracker.store.eventstore import EventStore
from tracker.store.records import RecordedEvent
from tracker.store.schema import SCHEMA_REVISION
from tracker.store.verify import VerifyResult, extends, verify


@dataclass
class Tracker:
    """A tracker database: its engine, its event store and its projections."""

    url: str
    engine: Engine
    store: EventStore

    @classmethod
    def open(cls, db: str | None = None, *, create: bool = False) -> Tracker:
        """Open the database named by --db / TRACKER_DATABASE_URL / ./tracker.db."""
        url = resolve_url(db)
        engine = connect(url, create=create)
        tracker = cls(url, engine, EventStore(engine))
        if not create:
            tracker.require_schema()
        return tracker

    def close(self) -> None:
        self.engine.dispose()

    # --- schema -------------------------------------------------------------------------

    def require_schema(self) -> None:
        """Fail with a clear message unless the database is a tracker at this code's revision."""
        from sqlalchemy import text

        where = describe(self.url)
        try:
            with translate_db_error(), self.engine.connect() as conn:
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

    def init(self) -> str:
        """Create the schema or migrate it to the latest revision; harmless when done already."""
        from tracker.store import migrate

        migrate.upgrade(self.engine)
        return migrate.current_revision(self.engine) or "base"

    # --- reading the log ----------------------------------------------------------------

    def events(
        self,
        *,
        stream_id: str | None = None,
        event_type: str | None = None,
        after: int = 0,
        limit: int | None = None,
        known_at: datetime | None = None,
    ) -> Iterator[RecordedEvent]:
        return self.store.read_all(
            after, limit, known_at=known_at, stream_id=stream_id, event_type=event_type
        )

    def event(self, event_id: str) -> RecordedEvent:
        found = self.store.get(event_id)
        if found is None:
            raise TrackerError(f"No event '{event_id}'")
        return found

    def verify(
        self, against: str | None = None, progress: Callable[[int], None] | None = None
    ) -> tuple[VerifyResult, str | None]:
        """Walk the chain; with ``against``, also check the log still extends that digest."""
        result = verify(self.store, progress)
        problem = extends(self.store, against, result) if against else None
        return result, problem

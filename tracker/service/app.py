"""The service: one method per use case, each in one transaction."""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from tracker.config import describe, resolve_url
from tracker.domain.dates import parse_day, today_in_utc
from tracker.errors import NotATrackerDatabaseError, StoreError, TrackerError
from tracker.projections.filters import ContractFilter
from tracker.projections.projector import Projector
from tracker.projections.reader import FoldedStates, TableStates
from tracker.service import views
from tracker.store.engine import connect
from tracker.store.errors import translate_db_error
from tracker.store.eventstore import EventStore
from tracker.store.schema import SCHEMA_REVISION

# Writing, verifying and their types are imported where used: a read command starts
# without the rules, the write path or the chain walk.
if TYPE_CHECKING:
    from pathlib import Path
    from typing import IO

    from sqlalchemy.engine import Engine

    from tracker.domain.event_base import DomainEvent
    from tracker.domain.views import AgreementView, ContractStatus, ProductionView, ScheduleView
    from tracker.domain.views.trends import Question, Trends
    from tracker.projections.audit import AuditResult
    from tracker.projections.projector import ProjectionStatus
    from tracker.projections.reader import StateSource
    from tracker.service.eventlog import EventLog
    from tracker.service.writes import Logged
    from tracker.store.records import RecordedEvent
    from tracker.store.transfer import ImportResult
    from tracker.store.verify import VerifyResult

Progress = Callable[[int], None]


def default_today() -> date:
    """Today in UTC, or TRACKER_TODAY (YYYY-MM-DD) to pin it for reproducible output."""
    pinned = os.environ.get("TRACKER_TODAY")
    return parse_day(pinned) if pinned else today_in_utc()


def default_actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass
class Tracker:
    """A tracker database: its engine, its event store and its projections."""

    url: str
    engine: Engine
    store: EventStore
    projector: Projector = field(init=False)
    today: Callable[[], date] = default_today

    def __post_init__(self) -> None:
        self.projector = Projector(self.store)

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

    def init(self, *, force: bool = False) -> str:
        """Create the schema or migrate it to the latest revision; harmless when done already.

        Refuses (NotATrackerDatabaseError, nothing changed) a database that holds another
        application's tables, unless ``force``: then the tracker's tables go beside them.
        """
        from tracker.store import migrate

        if not force:
            self.refuse_foreign()
        migrate.upgrade(self.engine)
        self.projector.catch_up()  # checkpoints exist from the start, at the code's versions
        return migrate.current_revision(self.engine) or "base"

    def refuse_foreign(self) -> None:
        """Raise NotATrackerDatabaseError if the database holds tables but no tracker schema."""
        from sqlalchemy import inspect

        with translate_db_error(), self.engine.connect() as conn:
            tables = sorted(inspect(conn).get_table_names())
        if tables and "alembic_version" not in tables:
            shown = ", ".join(tables[:3]) + (", ..." if len(tables) > 3 else "")
            raise NotATrackerDatabaseError(
                f"{describe(self.url)} is not a tracker database: it holds {len(tables)} "
                f"other table{'s' if len(tables) != 1 else ''} ({shown}); "
                "'tracker init --force' adds the tracker's tables beside them"
            )

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

    def event_log(self, known_at: datetime | None = None) -> EventLog:
        """The log as it held at ``known_at``, read for people: each event with its summary
        and the corrections and retraction made to it."""
        from tracker.service.eventlog import EventLog

        return EventLog(self.store, known_at)

    def verify(
        self, against: str | None = None, progress: Callable[[int], None] | None = None
    ) -> tuple[VerifyResult, str | None]:
        """Walk the chain; with ``against``, also check the log still extends that digest."""
        from tracker.store.verify import extends, verify

        result = verify(self.store, progress)
        problem = extends(self.store, against, result) if against else None
        return result, problem

    def import_jsonl(
        self, source: IO[bytes], name: str, progress: Progress | None = None
    ) -> ImportResult:
        """Load a log export read once from ``source`` and bring the projections level, in
        one transaction: all of it, or nothing. ``progress`` gets the bytes read."""
        from tracker.store.transfer import import_lines

        with self.store.transaction() as conn:
            result = import_lines(self.store, source, name=name, progress=progress, conn=conn)
            try:
                self.projector.level(conn)
            except TrackerError as e:
                if "nothing was written" in str(e):
                    raise
                raise type(e)(f"{e}; nothing was imported") from e
        return result

    def verify_read_models(self) -> AuditResult:
        """Compare every read model with a fresh fold of the log; the first row that differs.

        Read-only (the reader role may run it); ``rebuild`` repairs what it finds.
        """
        from tracker.projections.audit import audit

        return audit(self.store)

    def backup(self, target: Path) -> VerifyResult:
        """A consistent copy of a live SQLite database (the online backup API), verified."""
        from tracker.store.backup import backup_sqlite

        return backup_sqlite(self.engine, target)

    # --- writing ------------------------------------------------------------------------

    def log(
        self,
        events: Sequence[DomainEvent],
        *,
        actor: str | None = None,
        event_ids: Sequence[str | None] | None = None,
        dry_run: bool = False,
        progress: Progress | None = None,
        prechecked: Sequence[bool] | None = None,
    ) -> list[Logged]:
        """Check and append events, all or none, projections updated in the same transaction."""
        from tracker.service.writes import log_events

        return log_events(
            self.store,
            self.projector,
            events,
            actor=actor or default_actor(),
            today=self.today(),
            event_ids=event_ids,
            dry_run=dry_run,
            progress=progress,
            prechecked=prechecked,
        )

    def seed(
        self, names: Iterable[str] | None = None, progress: Progress | None = None
    ) -> list[tuple[str, int, int]]:
        """Load seeds (all or the named ones): (name, events read, events appended) each.

        Event ids are stable, so loading again appends nothing.
        """
        from tracker.service.seeds import read_seeds

        files = read_seeds(names)
        events = [e for f in files for e in f.events]
        logged = self.log(
            [e.event for e in events],
            actor="seed",
            event_ids=[e.event_id for e in events],
            progress=progress,
        )
        new = {lg.event_id for lg in logged if not lg.existed}
        return [(f.name, len(f.events), sum(e.event_id in new for e in f.events)) for f in files]

    # --- reading views ------------------------------------------------------------------

    def source(self, as_of: date | None = None, known_at: datetime | None = None) -> StateSource:
        """Current states from the projections, or states folded from the log as it stood."""
        if as_of is not None or known_at is not None:
            return FoldedStates(self.store, as_of=as_of, known_at=known_at)
        try:
            self.level_projections()
        except StoreError:
            # The catch-up could not be written (a full disk, say): read the log itself.
            return FoldedStates(self.store)
        return TableStates(self.engine)

    def _source_of(
        self,
        flt: ContractFilter,
        refs: Iterable[str] | None,
        as_of: date | None,
        known_at: datetime | None,
    ) -> StateSource:
        """``source``, folding only the streams of the contracts ``flt`` and ``refs`` can
        select when they narrow (FoldedStates.selected). As known at a past moment, the
        record itself differs (later corrections), so only named refs narrow then."""
        named = list(refs) if refs else None
        axis = flt.record_axis if known_at is None else ContractFilter()
        if (as_of is None and known_at is None) or not (named or axis.narrows):
            return self.source(as_of, known_at)
        try:
            self.level_projections()
        except StoreError:
            return FoldedStates(self.store, as_of=as_of, known_at=known_at)
        chosen = views.with_parties(axis)
        return FoldedStates.selected(
            self.store, self.engine, chosen, named, as_of=as_of, known_at=known_at
        )

    def status(
        self,
        refs: Iterable[str] | None = None,
        *,
        as_of: date | None = None,
        known_at: datetime | None = None,
    ) -> list[ContractStatus]:
        return views.status(self.source(as_of, known_at), refs, as_of or self.today())

    def contracts(
        self,
        flt: ContractFilter,
        refs: Iterable[str] | None = None,
        *,
        as_of: date | None = None,
        known_at: datetime | None = None,
    ) -> tuple[list[ContractStatus], int]:
        """The statuses passing ``flt`` (read from the typed tables, or folded from the log
        for ``as_of``/``known_at``), at most ``flt.limit``, and how many passed in all."""
        refs = list(refs) if refs else None
        source = self._source_of(flt, refs, as_of, known_at)
        return views.status_page(source, flt, refs, as_of or self.today())

    def contract_stream(
        self,
        flt: ContractFilter,
        refs: Iterable[str] | None = None,
        *,
        as_of: date | None = None,
        known_at: datetime | None = None,
    ) -> Iterator[ContractStatus]:
        """The statuses ``contracts`` gives, one at a time (streamed from the typed tables)."""
        refs = list(refs) if refs else None
        source = self._source_of(flt, refs, as_of, known_at)
        return views.status_stream(source, flt, refs, as_of or self.today())

    def schedule(
        self, ref: str, *, as_of: date | None = None, known_at: datetime | None = None
    ) -> ScheduleView:
        source = self._source_of(ContractFilter(), [ref], as_of, known_at)
        return views.schedule_of(source, ref, as_of or self.today())

    def schedules(
        self,
        flt: ContractFilter,
        refs: Iterable[str] | None = None,
        *,
        as_of: date | None = None,
        known_at: datetime | None = None,
    ) -> tuple[list[ScheduleView], int]:
        """The schedules of the contracts ``contracts`` gives, and how many passed in all."""
        refs = list(refs) if refs else None
        source = self._source_of(flt, refs, as_of, known_at)
        return views.schedules_of(source, flt, refs, as_of or self.today())

    def production(
        self,
        jv: str | None = None,
        *,
        as_of: date | None = None,
        known_at: datetime | None = None,
        flt: ContractFilter | None = None,
    ) -> list[ProductionView]:
        return views.production_of(self.source(as_of, known_at), jv, as_of or self.today(), flt)

    def agreements(
        self,
        *,
        as_of: date | None = None,
        known_at: datetime | None = None,
        country: str | None = None,
    ) -> list[AgreementView]:
        today = as_of or self.today()
        return views.agreements_of(self.source(as_of, known_at), today, country)

    def programmes(
        self,
        refs: Iterable[str] | None = None,
        *,
        country: str | None = None,
        system: str | None = None,
        start: date | None = None,
        end: date | None = None,
        as_of: date | None = None,
        known_at: datetime | None = None,
        flt: ContractFilter | None = None,
    ) -> list[views.Programme]:
        """Contracts with their status, schedule, production and timeline (for reports)."""
        return views.programmes(
            self.store,
            self.source(as_of, known_at),
            as_of or self.today(),
            refs=refs,
            country=country,
            system=system,
            flt=flt,
            start=start,
            end=end,
            as_of=as_of,
            known_at=known_at,
        )

    def trends(self, question: Question, *, known_at: datetime | None = None) -> Trends:
        """Partners' shares of SIPRI's TIV delivered over periods: from the transfers table,
        or, with ``known_at``, from the log as it held then (folded)."""
        from tracker.domain.parties import party_id
        from tracker.domain.views.trends import trends
        from tracker.projections.transfers import folded_transfers, stored_transfers, stored_world

        source = self.source(None, known_at)
        if not isinstance(source, TableStates):
            return trends(folded_transfers(source.contracts()), question)
        q = question
        if not (q.recipient or q.supplier):
            return trends(stored_transfers(self.engine), q)
        # Only the subject's rows are read; the world's volume is summed in SQL.
        mine = stored_transfers(
            self.engine,
            recipient_id=party_id(q.recipient) if q.recipient else None,
            supplier_id=party_id(q.supplier) if q.supplier else None,
        )
        return trends(mine, q, stored_world(self.engine, q.system, q.category))

    # --- projections --------------------------------------------------------------------

    def projections(self) -> list[ProjectionStatus]:
        return self.projector.status()

    def level_projections(self, progress: Progress | None = None) -> int:
        """Catch the projections up with the log if they lag (after an import, an upgrade)."""
        if all(p.lag == 0 and not p.stale for p in self.projector.status()):
            return 0
        return self.projector.catch_up(progress)

    def rebuild(self, names: Iterable[str] | None = None, progress: Progress | None = None) -> int:
        return self.projector.rebuild(names, progress)

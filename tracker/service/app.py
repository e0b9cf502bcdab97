"""The service's facade: open a database, then one method per use case.

Each use case lives in its family's module (schema, transfer, eventlog, seeds, writes,
views, schedules, reporting, trade, sipri), one transaction each; a method here only hands it the
tracker. Reads never write: they read the projections when those are level with the log,
else fold the log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING

from tracker.config import actor as login_name
from tracker.config import pinned_today, resolve_url
from tracker.domain.values.days import parse_day, today_in_utc
from tracker.projections.filters import ContractFilter
from tracker.service import eventlog, readmodels, schema, trade, transfer
from tracker.store.engine import connect
from tracker.store.eventstore import EventStore

# Writing, reading and their types are imported where used: a read command starts without
# the rules or the write path, a write (a dry run above all) without the read side's table
# classes and views (the family modules import theirs inside their functions).
if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from tracker.domain.events.event_base import DomainEvent
    from tracker.domain.views import AgreementView, ContractStatus, ProductionView, ScheduleView
    from tracker.projections.projector import Projector
    from tracker.projections.reader import StateSource
    from tracker.service.reporting import Programme
    from tracker.service.writes import Logged

Progress = Callable[[int], None]


def default_today() -> date:
    """Today in UTC, or TRACKER_TODAY (YYYY-MM-DD) to pin it for reproducible output."""
    pinned = pinned_today()
    return parse_day(pinned) if pinned else today_in_utc()


@dataclass
class Tracker:
    """A tracker database: its engine, its event store and its projections."""

    url: str
    engine: Engine
    store: EventStore
    today: Callable[[], date] = default_today

    @cached_property
    def projector(self) -> Projector:
        """The projections' applier (made on first use: its module loads the table classes)."""
        from tracker.projections.projector import Projector

        return Projector(self.store)

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

    # --- the database: schema, roles, checks, copies (service/schema.py) ------------------

    require_schema = schema.require_schema
    refuse_foreign = schema.refuse_foreign
    init = schema.init
    upgrade = schema.upgrade
    downgrade = schema.downgrade
    revisions = schema.revisions
    grant_roles = schema.grant_roles
    verify = schema.verify
    verify_read_models = schema.verify_read_models
    backup = schema.backup

    # --- the whole log out and in as JSON Lines (service/transfer.py) -------------------

    export = transfer.export
    import_jsonl = transfer.import_jsonl

    # --- reading the log ----------------------------------------------------------------

    events = eventlog.events
    event = eventlog.event
    event_log = eventlog.event_log

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
            actor=actor or login_name(),
            today=self.today(),
            event_ids=event_ids,
            dry_run=dry_run,
            progress=progress,
            prechecked=prechecked,
        )

    def seed(
        self, names: Iterable[str] | None = None, progress: Progress | None = None
    ) -> list[tuple[str, int, int]]:
        """Load seeds (all or the named ones): (name, events read, events appended) each."""
        from tracker.service.seeds import seed  # reads YAML: loaded only when seeding

        return seed(self, names, progress)

    # --- reading views ------------------------------------------------------------------

    def source(self, as_of: date | None = None, known_at: datetime | None = None) -> StateSource:
        """Current states from the projections when they are level with the log, else (or
        as the log stood) folded from it: a read never catches the projections up."""
        from tracker.projections.as_of import AsOfStates
        from tracker.projections.reader import FoldedStates, TableStates

        if known_at is not None or not self.tables_current():
            return FoldedStates(self.store, as_of=as_of, known_at=known_at)
        if as_of is not None:
            return AsOfStates(self.store, self.engine, as_of)  # the fold's answers, faster
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
        from tracker.projections.reader import FoldedStates
        from tracker.service.views import with_parties

        named = list(refs) if refs else None
        axis = flt.record_axis if known_at is None else ContractFilter()
        if known_at is None or not (named or axis.narrows):
            return self.source(as_of, known_at)
        if not self.tables_current():  # the tables cannot choose: fold the whole log
            return FoldedStates(self.store, as_of=as_of, known_at=known_at)
        chosen = with_parties(axis)
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
        from tracker.service import views

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
        from tracker.service import views

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
        from tracker.service import views

        refs = list(refs) if refs else None
        source = self._source_of(flt, refs, as_of, known_at)
        return views.status_stream(source, flt, refs, as_of or self.today())

    def schedule(
        self, ref: str, *, as_of: date | None = None, known_at: datetime | None = None
    ) -> ScheduleView:
        from tracker.service import schedules

        source = self._source_of(ContractFilter(), [ref], as_of, known_at)
        return schedules.schedule_of(source, ref, as_of or self.today())

    def schedules(
        self,
        flt: ContractFilter,
        refs: Iterable[str] | None = None,
        *,
        as_of: date | None = None,
        known_at: datetime | None = None,
    ) -> tuple[list[ScheduleView], int]:
        """The schedules of the contracts ``contracts`` gives, and how many passed in all."""
        from tracker.service import schedules

        refs = list(refs) if refs else None
        source = self._source_of(flt, refs, as_of, known_at)
        return schedules.schedules_of(source, flt, refs, as_of or self.today())

    def production(
        self,
        jv: str | None = None,
        *,
        as_of: date | None = None,
        known_at: datetime | None = None,
        flt: ContractFilter | None = None,
    ) -> list[ProductionView]:
        from tracker.service import views

        return views.production_of(self.source(as_of, known_at), jv, as_of or self.today(), flt)

    def agreements(
        self,
        *,
        as_of: date | None = None,
        known_at: datetime | None = None,
        country: str | None = None,
    ) -> list[AgreementView]:
        from tracker.service import views

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
    ) -> list[Programme]:
        """Contracts with their status, schedule, production and timeline (for reports)."""
        from tracker.service import reporting

        return reporting.programmes(
            self,
            refs,
            country=country,
            system=system,
            flt=flt,
            start=start,
            end=end,
            as_of=as_of,
            known_at=known_at,
        )

    trends = trade.trends  # the transfers table or, as known at a moment, the log folded

    # --- the read models: lag, catching up, rebuilding (service/readmodels.py) ----------

    head_position = readmodels.head_position
    projections = readmodels.projections
    tables_current = readmodels.current
    level_projections = readmodels.catch_up
    rebuild = readmodels.rebuild

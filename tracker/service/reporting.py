"""Programmes for reports, a batch of contracts at a time.

A report on the whole register reads its contracts' statuses, states and events in
batches (one query per batch, not one per stream) and hands each programme on as soon as it
is made, so the register never sits in memory at once. ``programmes`` gives the same
programmes as a list.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import islice
from typing import TYPE_CHECKING

from tracker.domain.state.envelope import Recorded
from tracker.domain.state.state import ContractState, JointVentureState
from tracker.domain.values.due_dates import production_started
from tracker.domain.views import (
    ContractStatus,
    ProductionView,
    ScheduleView,
    TimelineEntry,
    production,
    schedule,
    timeline_entries,
)
from tracker.projections.decode import to_domain
from tracker.projections.filters import ContractFilter
from tracker.service import views
from tracker.store.errors import translate_db_error
from tracker.store.eventstore import EventStore

if TYPE_CHECKING:
    from tracker.domain.values.dates import FuzzyDate
    from tracker.service.app import Tracker

#: Contracts read and made into programmes together: one query for their events.
BATCH = 500


@dataclass(frozen=True, slots=True)
class Programme:
    """One contract's story: its status, schedule, production and timeline entries."""

    status: ContractStatus
    schedule: ScheduleView
    production: tuple[ProductionView, ...]
    entries: tuple[TimelineEntry, ...]


def programmes(
    tracker: Tracker,
    refs: Iterable[str] | None = None,
    *,
    country: str | None = None,
    system: str | None = None,
    flt: ContractFilter | None = None,
    start: date | None = None,
    end: date | None = None,
    as_of: date | None = None,
    known_at: datetime | None = None,
) -> list[Programme]:
    """The programmes matching the filters, each with its entries in world-date order.

    A programme is a contract's stream with its joint venture's and its agreement's.
    Entries stand at their corrected world dates; ``as_of`` keeps those certainly by that
    day, ``start``/``end`` those whose date can fall in that window. ``flt`` (by default
    every contract) selects and orders the contracts; ``country`` and ``system``, kept for
    older callers, narrow it as its own fields do.
    """
    found = programme_stream(
        tracker,
        refs,
        country=country,
        system=system,
        flt=flt,
        start=start,
        end=end,
        as_of=as_of,
        known_at=known_at,
    )
    return list(found)


def programme_stream(
    tracker: Tracker,
    refs: Iterable[str] | None = None,
    *,
    country: str | None = None,
    system: str | None = None,
    flt: ContractFilter | None = None,
    start: date | None = None,
    end: date | None = None,
    as_of: date | None = None,
    known_at: datetime | None = None,
    up_to: int | None = None,
) -> Iterator[Programme]:
    """The programmes ``programmes`` gives, in its order, one at a time.

    ``up_to`` (a log position) leaves out the events appended after it: two reads of the
    same report then tell the same story even if someone logs in between.
    """
    flt = flt or ContractFilter()
    flt = replace(flt, country=country or flt.country, system=system or flt.system)
    today = as_of or tracker.today()
    source = tracker.source(as_of, known_at)
    ventures = {v.venture.reference: v for v in source.joint_ventures()}
    chosen = views.status_stream(source, flt, list(refs) if refs else None, today)
    while batch := list(islice(chosen, BATCH)):
        states = {s.contract.reference: s for s in source.contracts([c.ref for c in batch])}
        streams = {c.ref: _streams(c.ref, states[c.ref]) for c in batch}
        wanted = list(dict.fromkeys(s for each in streams.values() for s in each))
        records = _records(tracker.store, wanted, known_at, up_to)
        for status in batch:
            mine = [r for stream in streams[status.ref] for r in records.get(stream, ())]
            yield _programme(status, states[status.ref], mine, ventures, today, (start, end), as_of)


def _streams(ref: str, state: ContractState) -> list[str]:
    """The contract's stream, then its joint venture's and its agreement's."""
    signing = state.contract
    streams = [f"contract:{ref}"]
    streams += [f"jv:{signing.joint_venture}"] if signing.joint_venture else []
    streams += [f"agreement:{signing.agreement}"] if signing.agreement else []
    return streams


def _records(
    store: EventStore, streams: Sequence[str], known_at: datetime | None, up_to: int | None
) -> dict[str, list[Recorded]]:
    """Each stream's events (as the log held them at ``known_at``), up to ``up_to``."""
    found: dict[str, list[Recorded]] = {}
    if known_at is not None:
        read = (r for s in streams for r in store.read_all(stream_id=s, known_at=known_at))
        for r in read:
            if up_to is None or r.position <= up_to:
                found.setdefault(r.stream_id, []).append(to_domain(r))
        return found
    with translate_db_error(), store.engine.connect() as conn:
        for r in store.read_streams(streams, conn):
            if up_to is None or r.position <= up_to:
                found.setdefault(r.stream_id, []).append(to_domain(r))
    return found


def _programme(
    status: ContractStatus,
    state: ContractState,
    records: list[Recorded],
    ventures: dict[str, JointVentureState],
    today: date,
    window: tuple[date | None, date | None],
    as_of: date | None,
) -> Programme:
    # Entries stand at their corrected dates: the as-of cut runs after the fixes apply.
    entries = [e for e in timeline_entries(records, as_of) if _in_window(e.date, *window)]
    jv = ventures.get(state.contract.joint_venture or "")
    ordered = {status.ref: status.ordered} if status.ordered else {}
    produced = (production(jv, ordered, today),) if jv else ()
    plan = schedule(state, today, production_started(jv, status.ref))
    return Programme(status, plan, produced, tuple(entries))


def _in_window(when: FuzzyDate, start: date | None, end: date | None) -> bool:
    if start is not None and when.latest < start:
        return False
    return not (end is not None and (when.earliest or when.latest) > end)

"""The read use cases: views of contracts, schedules, production and agreements."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime

from tracker.domain.figures.contracts import deliveries, ordered
from tracker.domain.state.state import ContractState, JointVentureState
from tracker.domain.values.dates import FuzzyDate
from tracker.domain.values.due_dates import production_started
from tracker.domain.values.opaque_refs import sipri_key_of
from tracker.domain.values.parties import canonical_party, party_id
from tracker.domain.views import (
    AgreementView,
    ContractStatus,
    MilestoneStatus,
    ProductionView,
    ScheduleView,
    TimelineEntry,
    agreements,
    production,
    schedule,
    timeline_entries,
)
from tracker.errors import TrackerError
from tracker.projections.as_of import AsOfStates
from tracker.projections.decode import to_domain
from tracker.projections.filters import ContractFilter  # re-exported for the CLI
from tracker.projections.reader import StateSource, TableStates
from tracker.projections.status_table import StatusTable
from tracker.store.eventstore import EventStore


def status(source: StateSource, refs: Iterable[str] | None, today: date) -> list[ContractStatus]:
    """One status per contract (all, or the named ones, in the order named)."""
    return status_page(source, ContractFilter(), refs, today)[0]


def status_page(
    source: StateSource, flt: ContractFilter, refs: Iterable[str] | None, today: date
) -> tuple[list[ContractStatus], int]:
    """The statuses passing ``flt`` (of the named refs, in the order named, if any), at
    most ``flt.limit``, and how many passed in all. Refs may be unique prefixes."""
    wanted = list(dict.fromkeys(resolve_ref(source, r) for r in refs)) if refs else None
    flt = with_parties(flt)
    found, total = source.statuses(flt, today, wanted)
    if wanted:
        rank = {r: n for n, r in enumerate(wanted)}
        found.sort(key=lambda s: rank[s.ref])
    return found, total


def status_stream(
    source: StateSource, flt: ContractFilter, refs: Iterable[str] | None, today: date
) -> Iterator[ContractStatus]:
    """The statuses ``status_page`` gives, one at a time: streamed from the typed tables
    when no refs are named, so that all of them never sit in memory at once (as of a day,
    all but those folded, see AsOfStates)."""
    if refs or not isinstance(source, TableStates | AsOfStates):
        yield from status_page(source, flt, refs, today)[0]
        return
    yield from source.stream(with_parties(flt), today)


def with_parties(flt: ContractFilter) -> ContractFilter:
    """The filter with its parties as the logging commands resolve them ('usa' -> ...)."""

    def party(name: str | None) -> str | None:
        return canonical_party(name) if name and name.strip() else name

    return replace(
        flt, buyer=party(flt.buyer), seller=party(flt.seller), country=party(flt.country)
    )


def resolve_ref(source: StateSource, text: str) -> str:
    """The contract ref ``text`` names: itself, the one ref it is a prefix of, or for an old
    opaque SIPRI ref ('sipri-tr-7c74...', 'sipri-32127') the contract storing its key."""
    found = source.refs(text)
    if not found and sipri_key_of(text) is not None:
        found = [r for r in _keyed(source, text) if source.refs(r) == [r]]
    if len(found) == 1:
        return found[0]
    if not found:
        raise TrackerError(f"No contract '{text}'")
    shown = ", ".join(found[:10]) + (", ..." if len(found) > 10 else "")
    raise TrackerError(f"Contract '{text}' is ambiguous: {shown}")


def _keyed(source: StateSource, text: str) -> list[str]:
    """The refs of the contracts storing the SIPRI key the opaque ref ``text`` spells, as the
    status table's sipri_id holds it, for a source that reads the tables (one that folds
    the log answers by itself: FoldedStates.refs)."""
    engine = getattr(source, "engine", None)
    return [] if engine is None else StatusTable(engine).refs(text)


def chosen_refs(
    source: StateSource, flt: ContractFilter, refs: Iterable[str] | None, today: date
) -> tuple[list[str], int]:
    """The refs of the contracts ``status_page`` gives, in its order, and how many passed."""
    found, total = status_page(source, flt, refs, today)
    return [s.ref for s in found], total


def schedule_of(source: StateSource, ref: str, today: date) -> ScheduleView:
    ref = resolve_ref(source, ref)
    states = source.contracts([ref])
    if not states:
        raise TrackerError(f"No contract '{ref}'")
    return schedule_view(states[0], today, source.joint_ventures(), source.possible(ref))


def schedules_of(
    source: StateSource, flt: ContractFilter, refs: Iterable[str] | None, today: date
) -> tuple[list[ScheduleView], int]:
    """The schedules of the contracts ``chosen_refs`` gives, in its order, and how many passed."""
    wanted, total = chosen_refs(source, flt, refs, today)
    states = {s.contract.reference: s for s in source.contracts(wanted)}
    ventures = source.joint_ventures()
    return [schedule_view(states[r], today, ventures, source.possible(r)) for r in wanted], total


def schedule_view(
    state: ContractState,
    today: date,
    ventures: list[JointVentureState],
    possible: ContractState | None = None,
) -> ScheduleView:
    """The contract's schedule; with no milestone but deliveries (a SIPRI deal), each
    year's deliveries as one delivered milestone labelled with the year. ``possible``: the
    contract as of ``today`` with the deliveries dated across that day kept too (see
    StateSource.possible); their years are pending, and say how many may be after it."""
    view = schedule(state, today, _started(ventures, state))
    if view.milestones:
        return view
    years = delivery_years(state, possible, today)
    return view.model_copy(update={"milestones": years})


def delivery_years(
    state: ContractState, possible: ContractState | None = None, day: date | None = None
) -> tuple[MilestoneStatus, ...]:
    """One delivered, on-time milestone per year of delivery: its total, at its last date.
    With ``possible`` (see schedule_view), a year with deliveries that may have come after
    ``day`` is one pending milestone of them all, the certain ones as delivered."""
    quantities: dict[int, int] = {}
    last: dict[int, FuzzyDate] = {}
    for step in deliveries(state):
        year = step.occurred.latest.year
        quantities[year] = quantities.get(year, 0) + step.increment
        last[year] = step.occurred
    years = {
        year: _delivered_milestone(year, quantity, last[year])
        for year, quantity in quantities.items()
        if quantity
    }
    if possible is not None and day is not None:
        for year, maybe in _maybe_by_year(possible, day).items():
            years[year] = _possible_milestone(year, quantities.get(year, 0), maybe, day)
    return tuple(years[y] for y in sorted(years))


def _maybe_by_year(possible: ContractState, day: date) -> dict[int, int]:
    """Per year: how many the deliveries that may or may not have come by ``day`` bring."""
    maybe: dict[int, int] = {}
    for step in deliveries(possible):
        if not step.occurred.certainly_by(day) and step.increment > 0:
            year = step.occurred.latest.year
            maybe[year] = maybe.get(year, 0) + step.increment
    return maybe


def _possible_milestone(year: int, certain: int, maybe: int, day: date) -> MilestoneStatus:
    """A year some of whose deliveries may be after ``day``: pending, not late (the year
    has not ended), with the certain ones as delivered."""
    due = FuzzyDate.parse(str(year))
    after = f"{day.day} {day:%b %Y}"
    return MilestoneStatus(
        label=str(year),
        quantity=certain + maybe,
        due=due,
        original_due=due,
        delivered=None,
        delivered_quantity=certain,
        state="pending",
        slip_days=0,
        slip_words=f"may be after {after}" if not certain else f"{maybe:,} may be after {after}",
        moved_days=0,
        moved_words="not moved",
        history=(),
    )


def _delivered_milestone(year: int, quantity: int, last: FuzzyDate) -> MilestoneStatus:
    due = FuzzyDate.parse(str(year))
    return MilestoneStatus(
        label=str(year),
        quantity=quantity,
        due=due,
        original_due=due,
        delivered=last,
        delivered_quantity=quantity,
        state="on time",
        slip_days=0,
        slip_words="delivered in the year",
        moved_days=0,
        moved_words="not moved",
        history=(),
    )


def _started(ventures: list[JointVentureState], state: ContractState) -> FuzzyDate | None:
    """When the contract's joint venture began production for it (for relative due dates)."""
    jv = state.contract.joint_venture
    own = [v for v in ventures if v.venture.reference == jv] if jv else []
    return production_started(own[0] if own else None, state.contract.reference)


def production_of(
    source: StateSource, jv: str | None, today: date, flt: ContractFilter | None = None
) -> list[ProductionView]:
    """Each joint venture's output (or JV's), for the contracts passing ``flt`` if given."""
    views = _production(source, jv, today)
    if flt is None or not flt.narrows:
        return views
    keep = set(chosen_refs(source, replace(flt, limit=None), None, today)[0])
    kept = [
        v.model_copy(update={"contracts": tuple(c for c in v.contracts if c.contract in keep)})
        for v in views
    ]
    return [v for v in kept if v.contracts]


def _production(source: StateSource, jv: str | None, today: date) -> list[ProductionView]:
    ventures = source.joint_ventures()
    if jv is not None:
        ventures = [v for v in ventures if v.venture.reference == jv]
        if not ventures:
            raise TrackerError(f"No joint venture '{jv}'")
    refs = {f.event.contract for v in ventures for f in v.production}
    targets = {
        s.contract.reference: n for s in source.contracts(refs) if (n := ordered(s)) is not None
    }
    return [production(v, targets, today) for v in ventures]


def agreements_of(
    source: StateSource, today: date, country: str | None = None
) -> list[AgreementView]:
    """Every agreement, or those with ``country`` (a party name or alias) among its parties."""
    found = list(agreements(source.agreements(), today))
    if country is None:
        return found
    wanted = party_id(canonical_party(country))
    return [a for a in found if wanted in {party_id(p) for p in a.parties}]


@dataclass(frozen=True, slots=True)
class Programme:
    """One contract's story: its status, schedule, production and timeline entries."""

    status: ContractStatus
    schedule: ScheduleView
    production: tuple[ProductionView, ...]
    entries: tuple[TimelineEntry, ...]


def programmes(
    store: EventStore,
    source: StateSource,
    today: date,
    *,
    refs: Iterable[str] | None = None,
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
    flt = flt or ContractFilter()
    flt = replace(flt, country=country or flt.country, system=system or flt.system)
    chosen = status_page(source, flt, refs, today)[0]
    states = {s.contract.reference: s for s in source.contracts([c.ref for c in chosen])}
    ventures = {v.venture.reference: v for v in source.joint_ventures()}
    out = []
    for s in chosen:
        signing = states[s.ref].contract
        streams = [f"contract:{s.ref}"]
        streams += [f"jv:{signing.joint_venture}"] if signing.joint_venture else []
        streams += [f"agreement:{signing.agreement}"] if signing.agreement else []
        records = [
            to_domain(r)
            for stream in streams
            for r in store.read_all(stream_id=stream, known_at=known_at)
        ]
        # Entries stand at their corrected dates: the as-of cut runs after the fixes apply.
        entries = [e for e in timeline_entries(records, as_of) if _in_window(e.date, start, end)]
        jv = ventures.get(signing.joint_venture or "")
        produced = (production(jv, {s.ref: s.ordered} if s.ordered else {}, today),) if jv else ()
        plan = schedule(states[s.ref], today, production_started(jv, s.ref))
        out.append(Programme(s, plan, produced, tuple(entries)))
    return out


def _in_window(when: FuzzyDate, start: date | None, end: date | None) -> bool:
    if start is not None and when.latest < start:
        return False
    return not (end is not None and (when.earliest or when.latest) > end)

"""The schedule use cases: a contract's milestones, or each year's deliveries for a SIPRI
deal that has none."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from tracker.domain.figures.contracts import deliveries
from tracker.domain.state.state import ContractState, JointVentureState
from tracker.domain.values.dates import FuzzyDate
from tracker.domain.values.due_dates import production_started
from tracker.domain.views import MilestoneStatus, ScheduleView, schedule
from tracker.errors import TrackerError
from tracker.projections.filters import ContractFilter
from tracker.projections.reader import StateSource
from tracker.service.refs import resolve_ref
from tracker.service.views import chosen_refs


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

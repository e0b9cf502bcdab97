"""Joint-venture output per contract: made, against the order, the plans and the deadline.

Reports count; plans (ProductionPlanned, or any report marked 'planned') never do. The
arithmetic is in production_pace.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from pydantic import BaseModel, ConfigDict

from tracker.domain.events.catalogue import ProductionPlanned, ProductionRecorded
from tracker.domain.figures.ledger import Step, running_totals
from tracker.domain.state.state import Fact, JointVentureState
from tracker.domain.values.dates import FuzzyDate
from tracker.domain.values.estimates import Estimate, Tally
from tracker.domain.views import production_pace as pace


class ProductionPoint(BaseModel):
    """One production report: what it added and the running total after it."""

    model_config = ConfigDict(frozen=True)

    date: FuzzyDate
    output: int
    cumulative: int
    indigenisation_percent: Decimal | None
    # When the report or a figure before it was not exact: the running total's bounds and
    # printed form ('~48,000'); a chart never draws such a point as exact.
    estimate: Estimate | None = None


class PlannedRate(BaseModel):
    """A planned monthly rate, in force from ``start`` until a later plan's start."""

    model_config = ConfigDict(frozen=True)

    start: FuzzyDate
    per_month: int


class ContractProduction(BaseModel):
    """A joint venture's output for one contract, against its plans and its deadline.

    ``cumulative`` counts reports only, never plans. Rates are whole units a month:
    ``rate_per_month`` is the recent rate from the reports (see production_pace);
    ``planned_rate_per_month`` the plan in force on the day of the view (else the next);
    ``required_rate_per_month`` what is needed from the view's day (or the last report, if
    later) to make the deadline's quantity by the deadline's last day, rounded up.
    ``projected_completion`` goes on from the last report at the recent rate;
    ``projected_completion_at_plan`` at the recent rate until the plan starts, then at the
    planned rates. ``by_year`` spreads each report's increment over the days since the
    report before it (or since production started).
    """

    model_config = ConfigDict(frozen=True)

    contract: str
    target: int | None
    cumulative: int
    points: tuple[ProductionPoint, ...]
    by_year: dict[int, int]
    production_started: FuzzyDate | None
    indigenisation_percent: Decimal | None
    last_report: FuzzyDate | None
    days_since_last_report: int | None
    rate_per_month: int | None
    planned_rate_per_month: int | None
    planned_from: FuzzyDate | None
    planned_rates: tuple[PlannedRate, ...]
    deadline: FuzzyDate | None
    deadline_quantity: int | None
    required_rate_per_month: int | None
    projected_completion: date | None
    projected_completion_at_plan: date | None
    complete: bool
    verdict: str
    # Bounds and printed form of ``cumulative`` when a report was not exact; else None.
    cumulative_estimate: Estimate | None = None


class ProductionView(BaseModel):
    """Everything a joint venture produced, per contract, as of a day."""

    model_config = ConfigDict(frozen=True)

    joint_venture: str
    name: str
    as_of: date
    contracts: tuple[ContractProduction, ...]


def produced_for(jv_states: Iterable[JointVentureState], contract: str) -> Tally | None:
    """Total produced for ``contract`` by the given joint ventures, with its bounds; None
    if none reported."""
    totals = [
        steps[-1].tally
        for jv in jv_states
        if (steps := running_totals(f for f in jv.production if f.event.contract == contract))
    ]
    if not totals:
        return None
    total = totals[0]
    for more in totals[1:]:
        total = total.plus(more)
    return total


def production(
    jv_state: JointVentureState, targets: Mapping[str, int], today: date
) -> ProductionView:
    """Output per contract; ``targets`` maps a contract ref to its ordered quantity."""
    refs = {f.event.contract for f in jv_state.production}
    refs |= {f.event.contract for f in jv_state.plans}
    return ProductionView(
        joint_venture=jv_state.venture.reference,
        name=jv_state.venture.name,
        as_of=today,
        contracts=tuple(
            _for_contract(
                [f for f in jv_state.production if f.event.contract == ref],
                [f for f in jv_state.plans if f.event.contract == ref],
                Goal(ref, targets.get(ref), _started(jv_state, ref)),
                today,
            )
            for ref in sorted(refs)
        ),
    )


@dataclass(frozen=True, slots=True)
class Goal:
    """What a contract's output is measured against: its order and when production began."""

    contract: str
    ordered: int | None
    started: FuzzyDate | None


def _started(jv_state: JointVentureState, ref: str) -> FuzzyDate | None:
    """When production for ``ref`` began: the earliest note on the joint venture tagged
    'production', or report for ``ref`` of unknown size ('first batch produced'), that is
    not a plan, if any."""
    marks: list[Fact[Any]] = [
        *(f for f in jv_state.notes if "production" in f.event.tags),
        *(f for f in jv_state.production if f.event.size_unknown and f.event.contract == ref),
    ]
    marks = [f for f in marks if f.event.confidence != "planned"]
    return min(marks, key=lambda f: f.world_order).event.occurred if marks else None


def _for_contract(
    facts: list[Fact[ProductionRecorded]],
    plans: list[Fact[ProductionPlanned]],
    goal: Goal,
    today: date,
) -> ContractProduction:
    steps = running_totals(facts)
    percents = {f.event_id: f.event.indigenisation_percent for f in facts}
    reported = tuple(
        ProductionPoint(
            date=s.occurred,
            output=s.increment,
            cumulative=s.total,
            indigenisation_percent=percents[s.event_id],
            estimate=s.tally.estimate(),
        )
        for s in steps
    )
    # Before the first report, or with no report of a figure yet.
    started = goal.started if not steps or _before(goal.started, steps[0]) else None
    pts = pace.points(steps, started.latest if started else None)
    made = steps[-1].total if steps else 0
    last = pts[-1] if pts else pace.Point(today, 0)
    rate = pace.recent_rate(pts)
    rates = pace.rate_plans(plans)
    in_force = pace.plan_in_force(rates, today)
    aim = pace.target(plans)
    goal_qty = (aim.quantity or goal.ordered) if aim else None
    needed = (
        pace.needed_rate(made, goal_qty, max(today, last.day), aim.due.latest)
        if aim and goal_qty
        else None
    )
    complete = goal.ordered is not None and made >= goal.ordered
    ordered = goal.ordered
    return ContractProduction(
        contract=goal.contract,
        target=ordered,
        cumulative=made,
        cumulative_estimate=steps[-1].tally.estimate() if steps else None,
        points=reported,
        by_year=pace.spread_by_year(pts),
        production_started=started,
        indigenisation_percent=next(
            (p.indigenisation_percent for p in reversed(reported) if p.indigenisation_percent),
            None,
        ),
        last_report=steps[-1].occurred if steps else None,
        days_since_last_report=(today - steps[-1].occurred.latest).days if steps else None,
        rate_per_month=_shown(rate),
        planned_rate_per_month=in_force.per_month if in_force else None,
        planned_from=in_force.given_from if in_force else None,
        planned_rates=tuple(PlannedRate(start=p.given_from, per_month=p.per_month) for p in rates),
        deadline=aim.due if aim else None,
        deadline_quantity=goal_qty,
        required_rate_per_month=_shown(needed, up=True),
        projected_completion=None
        if complete or ordered is None or not steps
        else pace.finish_at_rate(last, ordered, rate),
        projected_completion_at_plan=None
        if complete or ordered is None
        else pace.finish_at_plan(last, ordered, rates, rate),
        complete=complete,
        verdict=verdict(Pace(made, goal_qty, aim.due if aim else None, complete), rate, needed),
    )


def _before(started: FuzzyDate | None, first: Step) -> bool:
    return started is not None and started.latest < first.occurred.latest


def _shown(per_day: Fraction | None, *, up: bool = False) -> int | None:
    return None if per_day is None else pace.whole(pace.per_month(per_day), up=up)


@dataclass(frozen=True, slots=True)
class Pace:
    """What a verdict weighs: made, the goal and its deadline, and whether it is all made."""

    made: int
    goal: int | None
    due: FuzzyDate | None
    complete: bool


def verdict(p: Pace, recent: Fraction | None, needed: Fraction | None) -> str:
    """A plain sentence: 'behind plan: needs 7,770 a month by Oct 2032, recent 977'.

    ``recent`` and ``needed`` are units per day, compared exactly (not as rounded).
    """
    if p.complete:
        return "complete"
    if p.due is None or p.goal is None:
        return "no deadline logged"
    if p.made >= p.goal:
        return f"target met: {p.made:,} made of {p.goal:,} due {p.due.human()}"
    if needed is None:
        return f"past the deadline ({p.due.human()}) with {p.goal - p.made:,} still to make"
    deadline = p.due.human()
    # A deadline given as "by end Oct 2032" already says "by".
    need = f"needs {_shown(needed, up=True):,} a month {_by(deadline)}"
    if recent is None:
        return f"{need}; no recent rate"
    state = "on track" if recent >= needed else "behind plan"
    return f"{state}: {need}, recent {_shown(recent):,}"


def _by(deadline: str) -> str:
    """'by Oct 2032' for a plain date; a "by ..." deadline as it is."""
    return deadline if deadline.startswith("by ") else f"by {deadline}"

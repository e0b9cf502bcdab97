"""Joint-venture output per contract: running totals, recent rate and projected completion."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, ConfigDict

from tracker.domain.dates import FuzzyDate
from tracker.domain.events import ProductionRecorded
from tracker.domain.ledger import Step, running_totals
from tracker.domain.state import Fact, JointVentureState

# The mean Gregorian month, so that a rate 'per month' does not depend on which months.
_DAYS_PER_MONTH = Decimal("30.436875")


class ProductionPoint(BaseModel):
    """One production report: what it added and the running total after it."""

    model_config = ConfigDict(frozen=True)

    date: FuzzyDate
    output: int
    cumulative: int
    indigenisation_percent: Decimal | None


class ContractProduction(BaseModel):
    """A joint venture's output for one contract.

    rate_per_month comes from the last two reports (their last possible days); the
    projected completion assumes that rate holds from the last report on.
    """

    model_config = ConfigDict(frozen=True)

    contract: str
    target: int | None
    cumulative: int
    points: tuple[ProductionPoint, ...]
    by_year: dict[int, int]
    indigenisation_percent: Decimal | None
    rate_per_month: Decimal | None
    projected_completion: date | None
    complete: bool
    days_since_last_report: int | None


class ProductionView(BaseModel):
    """Everything a joint venture produced, per contract, as of a day."""

    model_config = ConfigDict(frozen=True)

    joint_venture: str
    name: str
    as_of: date
    contracts: tuple[ContractProduction, ...]


def produced_for(jv_states: Iterable[JointVentureState], contract: str) -> int | None:
    """Total produced for ``contract`` by the given joint ventures; None if none reported."""
    totals = [
        steps[-1].total
        for jv in jv_states
        if (steps := running_totals(f for f in jv.production if f.event.contract == contract))
    ]
    return sum(totals) if totals else None


def production(
    jv_state: JointVentureState, targets: Mapping[str, int], today: date
) -> ProductionView:
    """Output per contract; ``targets`` maps a contract ref to its ordered quantity."""
    by_contract: dict[str, list[Fact[ProductionRecorded]]] = {}
    for fact in jv_state.production:
        by_contract.setdefault(fact.event.contract, []).append(fact)
    return ProductionView(
        joint_venture=jv_state.venture.reference,
        name=jv_state.venture.name,
        as_of=today,
        contracts=tuple(
            _for_contract(ref, facts, targets.get(ref), today)
            for ref, facts in sorted(by_contract.items())
        ),
    )


def _for_contract(
    ref: str, facts: list[Fact[ProductionRecorded]], target: int | None, today: date
) -> ContractProduction:
    steps = running_totals(facts)
    percents = {f.event_id: f.event.indigenisation_percent for f in facts}
    points = tuple(
        ProductionPoint(
            date=s.occurred,
            output=s.increment,
            cumulative=s.total,
            indigenisation_percent=percents[s.event_id],
        )
        for s in steps
    )
    cumulative = steps[-1].total if steps else 0
    rate = _rate(steps)
    complete = target is not None and cumulative >= target
    return ContractProduction(
        contract=ref,
        target=target,
        cumulative=cumulative,
        points=points,
        by_year=_by_year(steps),
        indigenisation_percent=next(
            (p.indigenisation_percent for p in reversed(points) if p.indigenisation_percent),
            None,
        ),
        rate_per_month=rate.quantize(Decimal("0.1"), ROUND_HALF_UP) if rate else None,
        projected_completion=None if complete else _projection(steps, target),
        complete=complete,
        days_since_last_report=(today - steps[-1].occurred.latest).days if steps else None,
    )


#: The recent rate is measured back to the last report at least this long before the
#: latest one: two reports weeks apart (484 rifles in 28 days) are too noisy to project
#: a decade from.
RATE_WINDOW_DAYS = 182


def _base(steps: list[Step]) -> Step | None:
    """The report the recent rate is measured from (None with fewer than two reports)."""
    if len(steps) < 2:
        return None
    last = steps[-1].occurred.latest
    for step in reversed(steps[:-1]):
        if (last - step.occurred.latest).days >= RATE_WINDOW_DAYS:
            return step
    return steps[0]


def _rate(steps: list[Step]) -> Decimal | None:
    before = _base(steps)
    if before is None:
        return None
    last = steps[-1]
    days = (last.occurred.latest - before.occurred.latest).days
    if days <= 0:
        return None
    return Decimal(last.total - before.total) * _DAYS_PER_MONTH / days


def _projection(steps: list[Step], target: int | None) -> date | None:
    before = _base(steps)
    if target is None or before is None:
        return None
    last = steps[-1]
    days = (last.occurred.latest - before.occurred.latest).days
    made = last.total - before.total
    if days <= 0 or made <= 0:
        return None
    # Whole days, rounded up: the last item is finished on the day it is made.
    needed = math.ceil(Decimal(target - last.total) * days / made)
    return last.occurred.latest + timedelta(days=needed)


def _by_year(steps: list[Step]) -> dict[int, int]:
    years: dict[int, int] = {}
    for step in steps:
        year = step.occurred.latest.year
        years[year] = years.get(year, 0) + step.increment
    return years

"""The arithmetic of output over time: rates, projections, plans and per-year spreading.

Everything is exact (``Fraction`` units per day); rates are rounded to whole units only
when shown. A report is dated by the last day it can mean (``FuzzyDate.latest``), as the
views have always done. A rate 'per month' uses the mean Gregorian month, so that it does
not depend on which months.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from tracker.domain.events.catalogue import ProductionPlanned
from tracker.domain.figures.ledger import Step
from tracker.domain.state.state import Fact
from tracker.domain.values.dates import FuzzyDate

DAYS_PER_MONTH = Fraction("30.436875")

#: The recent rate is measured back to the last report at least this long before the
#: latest one: two reports weeks apart (484 rifles in 28 days) are too noisy to project
#: a decade from.
RATE_WINDOW_DAYS = 182


@dataclass(frozen=True, slots=True)
class Point:
    """A known cumulative total on a day (a report, or zero on the day production began)."""

    day: date
    total: int


@dataclass(frozen=True, slots=True)
class RatePlan:
    """A planned monthly rate in force from ``start`` until a later plan's start."""

    start: date
    per_month: int
    given_from: FuzzyDate


@dataclass(frozen=True, slots=True)
class Target:
    """A quantity to be made by a date (None: the whole order)."""

    quantity: int | None
    due: FuzzyDate


def per_month(per_day: Fraction) -> Fraction:
    return per_day * DAYS_PER_MONTH


def whole(rate: Fraction, *, up: bool = False) -> int:
    """A rate as whole units: rounded half up, or up (a rate needed is never understated)."""
    return math.ceil(rate) if up else math.floor(rate + Fraction(1, 2))


def points(steps: Sequence[Step], started: date | None) -> list[Point]:
    """Each report's running total, after a zero on the day production began (if known and
    before the first report)."""
    out = [Point(s.occurred.latest, s.total) for s in steps]
    if started is not None and out and started < out[0].day:
        out.insert(0, Point(started, 0))
    return out


def recent_rate(pts: Sequence[Point]) -> Fraction | None:
    """Units per day from the last point at least RATE_WINDOW_DAYS before the last one (else
    the first point) to the last; None with fewer than two points or no time between."""
    if len(pts) < 2:
        return None
    last = pts[-1]
    base = next(
        (p for p in reversed(pts[:-1]) if (last.day - p.day).days >= RATE_WINDOW_DAYS), pts[0]
    )
    days = (last.day - base.day).days
    if days <= 0:
        return None
    return Fraction(last.total - base.total, days)


def finish_at_rate(start: Point, target: int, per_day: Fraction | None) -> date | None:
    """The day ``target`` is reached going on from ``start`` at ``per_day`` (whole days,
    rounded up: the last item is finished on the day it is made)."""
    if per_day is None or per_day <= 0 or target <= start.total:
        return None
    return start.day + timedelta(days=math.ceil((target - start.total) / per_day))


def rate_plans(facts: Iterable[Fact[ProductionPlanned]]) -> list[RatePlan]:
    """The planned rates in force, in start order: each plan (in world order) replaces every
    earlier plan's rate from its own start on."""
    plans: list[RatePlan] = []
    for fact in sorted(facts, key=lambda f: f.world_order):
        e = fact.event
        if e.rate_per_month is None:
            continue
        given = e.rate_from or e.occurred
        start = given.earliest or given.latest
        plans = [p for p in plans if p.start < start]
        plans.append(RatePlan(start, e.rate_per_month, given))
    return plans


def target(facts: Iterable[Fact[ProductionPlanned]]) -> Target | None:
    """The target of the latest plan (in world order) that gives one."""
    dated = [f for f in facts if f.event.due is not None]
    if not dated:
        return None
    last = max(dated, key=lambda f: f.world_order).event
    assert last.due is not None
    return Target(last.quantity, last.due)


def plan_in_force(plans: Sequence[RatePlan], day: date) -> RatePlan | None:
    """The plan in force on ``day``, else the next one to start."""
    current = [p for p in plans if p.start <= day]
    return current[-1] if current else (plans[0] if plans else None)


def finish_at_plan(
    start: Point, target: int, plans: Sequence[RatePlan], before: Fraction | None
) -> date | None:
    """The day ``target`` is reached from ``start`` at the planned rates, at ``before`` (the
    recent rate, or nothing) until the first plan starts; None if never."""
    if not plans or target <= start.total:
        return None
    day, left = start.day, Fraction(target - start.total)
    rate = before or Fraction(0)
    for plan in plans:
        if plan.start > day:
            days = (plan.start - day).days
            if rate > 0 and left <= rate * days:
                return day + timedelta(days=math.ceil(left / rate))
            left -= rate * days
            day = plan.start
        rate = Fraction(plan.per_month) / DAYS_PER_MONTH
    return day + timedelta(days=math.ceil(left / rate))


def needed_rate(made: int, goal: int, start: date, due: date) -> Fraction | None:
    """Units per day from ``start`` to make ``goal`` by the end of ``due``; None when the
    goal is met or no day is left."""
    days = (due - start).days
    if made >= goal or days <= 0:
        return None
    return Fraction(goal - made, days)


def spread_by_year(pts: Sequence[Point]) -> dict[int, int]:
    """Output per calendar year: each increment spread evenly over the days since the
    point before it (the days after that point up to and including its own day).

    The first report, with no earlier point, stays in its own year: when its output was
    made is not known. Shares are whole units that add up to each increment exactly (the
    largest remainders get the spare units).
    """
    years: dict[int, int] = {}
    if not pts:
        return years
    if pts[0].total:
        years[pts[0].day.year] = pts[0].total
    for before, after in itertools.pairwise(pts):
        for year, n in _spread(after.total - before.total, before.day, after.day).items():
            years[year] = years.get(year, 0) + n
    return dict(sorted(years.items()))


def _spread(increment: int, start: date, end: date) -> dict[int, int]:
    total_days = (end - start).days
    if total_days <= 0 or increment <= 0:
        return {end.year: increment} if increment else {}
    days = {
        year: (min(end, date(year, 12, 31)) - max(start, date(year - 1, 12, 31))).days
        for year in range(start.year, end.year + 1)
    }
    shares = {y: Fraction(increment * d, total_days) for y, d in days.items() if d > 0}
    out = {y: math.floor(s) for y, s in shares.items()}
    spare = increment - sum(out.values())
    for y in sorted(shares, key=lambda y: (-(shares[y] - out[y]), y))[:spare]:
        out[y] += 1
    return out

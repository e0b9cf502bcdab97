"""Running totals from increments and cumulative totals, in world-date order.

Reports give either 'two more arrived' or '35,000 delivered so far'. Put in order of when
they happened (FuzzyDate.sort_key, then log position), each becomes an increment and a
running total. A cumulative total below the running total gives a negative increment: the
rules refuse that at append time, and views skip it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tracker.domain.dates import FuzzyDate
from tracker.domain.state import Fact


@dataclass(frozen=True, slots=True)
class Step:
    """One report in world order: what it added and the total after it."""

    event_id: str
    position: int
    occurred: FuzzyDate
    increment: int
    total: int
    label: str | None = None


def running_totals(facts: Iterable[Fact[Any]]) -> list[Step]:
    """Steps in world order, each cumulative total turned into an increment.

    The facts' events have ``quantity`` and ``cumulative_total`` (deliveries, production).
    """
    steps: list[Step] = []
    total = 0
    for fact in sorted(facts, key=lambda f: f.world_order):
        event = fact.event
        if event.cumulative_total is not None:
            increment = event.cumulative_total - total
        else:
            increment = event.quantity or 0
        total += increment
        steps.append(
            Step(
                event_id=fact.event_id,
                position=fact.position,
                occurred=event.occurred,
                increment=increment,
                total=total,
                label=getattr(event, "label", None),
            )
        )
    return steps


def first_decrease(steps: Iterable[Step]) -> tuple[Step, int] | None:
    """The first step whose cumulative total went down, with the total before it."""
    for step in steps:
        if step.increment < 0:
            return step, step.total - step.increment
    return None

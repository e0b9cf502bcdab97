"""Running totals from increments and cumulative totals, in world-date order.

Reports give either 'two more arrived' or '35,000 delivered so far'. Put in order of when
they happened (FuzzyDate.sort_key, then log position), each becomes an increment and a
running total. A cumulative total below the running total gives a negative increment: the
rules refuse that at append time, and views skip it.

A planned report (confidence 'planned') is a plan, not a fact: it never counts here, so it
never counts in delivered, made or remaining anywhere.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tracker.domain.events.event_base import figure_of
from tracker.domain.state.state import Fact
from tracker.domain.values.dates import FuzzyDate
from tracker.domain.values.estimates import ZERO, Tally


@dataclass(frozen=True, slots=True)
class Step:
    """One report in world order: what it added and the total after it."""

    event_id: str
    position: int
    occurred: FuzzyDate
    increment: int
    total: int
    label: str | None = None
    # The total with its bounds; inexact when a report it sums was not exact ('~48,000').
    tally: Tally = ZERO
    # The report's own figure as written ('~48,000', 'over 5 lakh'); None when exact.
    as_written: str | None = None


def running_totals(facts: Iterable[Fact[Any]]) -> list[Step]:
    """Steps in world order, each cumulative total turned into an increment; planned
    reports are left out.

    The facts' events have ``quantity`` and ``cumulative_total`` (deliveries, production).
    A state grows one fact at a time, so when ``facts`` is a tuple seen just before, its
    steps are those worked out then, and when it extends one by a fact sorting last, its
    steps extend the earlier ones instead of being sorted again: checking a stream's n-th
    delivery costs O(1) Python work, not O(n log n).
    """
    if isinstance(facts, tuple) and facts:
        # The very tuple seen before (a state's facts checked again as the state before
        # the next event): its steps as they were.
        key = (id(facts[0]), len(facts), id(facts[-1]))
        same = _MEMO.get(key)
        if same is not None and (same[0] is facts or same[0] == facts):
            _MEMO.move_to_end(key)
            return list(same[1])
        n = len(facts)
        earlier = _MEMO.get((id(facts[0]), n - 1, id(facts[-2]))) if n > 1 else None
        # The key only narrows the search; the prefix check (identity first, in C) decides.
        if earlier is not None and earlier[0] == facts[:-1]:
            _, steps_before, last_order = earlier
            new = facts[-1]
            if not counts(new):
                _remember(facts, steps_before, last_order)
                return list(steps_before)
            new_order = new.world_order
            if last_order is None or new_order >= last_order:
                total = steps_before[-1].tally if steps_before else ZERO
                steps = [*steps_before, _step(new, total)]
                _remember(facts, steps, new_order)
                return list(steps)
    ordered = sorted((f for f in facts if counts(f)), key=lambda f: f.world_order)
    steps = []
    total = ZERO
    for fact in ordered:
        step = _step(fact, total)
        total = step.tally
        steps.append(step)
    if isinstance(facts, tuple) and facts:
        _remember(facts, steps, ordered[-1].world_order if ordered else None)
        return list(steps)  # the memo keeps its own list: a caller may change this one
    return steps


def counts(fact: Fact[Any]) -> bool:
    """False for a planned report (a plan is not output) and for one of unknown size (it
    says that something happened, not how much)."""
    event = fact.event
    return event.confidence != "planned" and not getattr(event, "size_unknown", False)


def _step(fact: Fact[Any], before: Tally) -> Step:
    event = fact.event
    cumulative = event.cumulative_total is not None
    figure = figure_of(event, "cumulative_total" if cumulative else "quantity")
    if figure is None:
        raise ValueError(f"event {fact.event_id} has no figure to count")
    tally = before.then(figure, cumulative=cumulative)
    return Step(
        event_id=fact.event_id,
        position=fact.position,
        occurred=event.occurred,
        increment=tally.best - before.best,
        total=tally.best,
        label=getattr(event, "label", None),
        tally=tally,
        as_written=None if figure.exact else str(figure),
    )


# (id of first fact, length, id of last fact) -> (the facts, their steps, the world order of
# the last step). An entry holds its tuple, so the ids in its key stay valid while cached.
# An OrderedDict drops its oldest entry in O(1), where a dict first walks the holes that
# earlier drops left at its front.
_MEMO: OrderedDict[tuple[int, int, int], tuple[tuple[Fact[Any], ...], list[Step], Any]] = (
    OrderedDict()
)
_MEMO_SIZE = 512


def _remember(facts: tuple[Fact[Any], ...], steps: list[Step], last_order: Any) -> None:
    if len(_MEMO) >= _MEMO_SIZE:
        _MEMO.popitem(last=False)
    _MEMO[(id(facts[0]), len(facts), id(facts[-1]))] = (facts, steps, last_order)


def first_decrease(steps: Iterable[Step]) -> tuple[Step, int] | None:
    """The first step whose cumulative total went down, with the total before it."""
    for step in steps:
        if step.increment < 0:
            return step, step.total - step.increment
    return None

"""Due dates relative to another event: "+32 months after production start".

A relative due date is stored as written (FuzzyDate.relative) and resolved on read, once
its anchor is known: 'signing' is the contract's signing date, 'production start' the day
its joint venture began production for it (``production_started``). Resolved, it is due
by the anchor's last possible day plus the months, at the anchor's precision (a day stays
a day; anything coarser becomes the month holding that day): signed 2021-12-06, "+24 months
after signing" is due by 6 Dec 2023; started Jan 2023, "+32 months after production start"
by end Sep 2025. Unresolved, it has no day and is never overdue.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from tracker.domain.state.state import ContractState, Fact, JointVentureState
from tracker.domain.values.date_words import after_words
from tracker.domain.values.dates import FuzzyDate, Precision

Anchors = dict[str, FuzzyDate | None]

# Why an anchor is not known, shown after the unresolved date.
_NOT_KNOWN = {"signing": "signing undated", "production start": "not started"}


def anchors(state: ContractState, started: FuzzyDate | None = None) -> Anchors:
    """The anchor dates of ``state``'s relative due dates (None where not known)."""
    return {"signing": state.contract.occurred, "production start": started}


def resolve(due: FuzzyDate, known: Anchors) -> FuzzyDate:
    """``due`` itself unless relative; a relative date resolved against ``known`` (noted
    ', 32 months after production start'), or left as it is and noted ' (not started)'."""
    if due.after is None:
        return due
    anchor = known.get(due.after.anchor)
    words = after_words(due.after.months, due.after.anchor)
    if anchor is None or anchor.is_unknown or anchor.is_relative:
        return due.noted(f" ({_NOT_KNOWN[due.after.anchor]})")
    day = add_months(anchor.latest, due.after.months)
    point = FuzzyDate.day(day) if anchor.precision is Precision.DAY else _month_of(day)
    return FuzzyDate.by(point).noted(f", {words}")


def add_months(day: date, months: int) -> date:
    """``day`` moved on by whole months; the 31st becomes the month's last day."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _month_of(day: date) -> FuzzyDate:
    return FuzzyDate.month(day.year, day.month)


def production_started(jv: JointVentureState | None, contract: str) -> FuzzyDate | None:
    """When ``jv`` began production: its earliest production report for ``contract`` or
    note tagged 'production' that is not a plan (the first-batch report), in world order."""
    if jv is None:
        return None
    facts: list[Fact[Any]] = [f for f in jv.production if f.event.contract == contract]
    facts += [
        f for f in jv.notes if "production" in f.event.tags and f.event.confidence != "planned"
    ]
    first = min(facts, key=lambda f: f.world_order, default=None)
    return None if first is None else first.event.occurred

"""What the invariants ask of a contract's running totals, without building the steps.

Whether an event keeps the rules on deliveries depends, of the running totals before and
after it (ledger.running_totals), only on the last total and on whether a cumulative total
ever went down. Those are summed here from the figures alone; the steps themselves, with
their tallies and dates, are worked out only when a rule is broken, to say how (see
invariants.check_contract). A state grows one fact at a time: the sums of a tuple of
deliveries that extends (or, corrected, matches) one summed before are taken from it, so
checking a stream's n-th delivery does not sum the n-1 before it again.

tests/unit/test_delivery_sums.py checks them against ledger.running_totals.
"""

from __future__ import annotations

from collections import OrderedDict
from operator import itemgetter
from typing import Any, NamedTuple

from tracker.domain.figures.ledger import counts
from tracker.domain.state.state import Fact

Facts = tuple[Fact[Any], ...]


class Sums(NamedTuple):
    """Of a tuple of reports in world order (planned ones and those of unknown size left
    out): the total after the last, whether some total went down, and the last one's world
    order (None: no report counts)."""

    total: int
    down: bool
    last: Any


NOTHING = Sums(0, False, None)

# A fact's part in the sums: None when it does not count, else its world order, whether its
# figure is a cumulative total, and the figure's best value.
_Part = tuple[Any, bool, int] | None


class _NoFigure(Exception):
    """A counted report without a figure: running_totals refuses it, and says so."""


def sums(facts: Facts, earlier: Facts | None = None) -> Sums | None:
    """The sums of ``facts``; None when a counted report has no figure (running_totals
    raises for it). ``earlier``: a tuple summed just before, which ``facts`` may extend by
    one fact or match but for one replaced fact (a state after an event, the state before it).
    """
    if not facts:
        return NOTHING
    hit = _MEMO.get(id(facts))
    if hit is not None and hit[0] is facts:
        return hit[1]
    try:
        found = None if earlier is None else _from_earlier(facts, earlier)
        if found is None:
            found = _afresh(facts)
    except _NoFigure:
        return None
    _remember(facts, found)
    return found


def _from_earlier(facts: Facts, earlier: Facts) -> Sums | None:
    if earlier:
        hit = _MEMO.get(id(earlier))
        if hit is None or hit[0] is not earlier:
            return None
        before = hit[1]
    else:
        before = NOTHING
    n = len(earlier)
    if len(facts) == n + 1 and facts[:n] == earlier:
        return _then(before, _part(facts[n]))
    if len(facts) == n:
        changed = [i for i in range(n) if facts[i] is not earlier[i]]
        if len(changed) == 1 and _part(facts[changed[0]]) == _part(earlier[changed[0]]):
            return before  # a fact changed in what does not count (a label, a note)
    return None


def _then(before: Sums, part: _Part) -> Sums | None:
    """``before`` with one more report, if it sorts after every counted one (else None)."""
    if part is None:
        return before
    order, cumulative, best = part
    if before.last is not None and order < before.last:
        return None
    total = best if cumulative else before.total + best
    return Sums(total, before.down or total < before.total, order)


def _afresh(facts: Facts) -> Sums:
    parts = [p for p in map(_part, facts) if p is not None]
    parts.sort(key=itemgetter(0))  # stable, as running_totals' sort of the same facts
    total, down = 0, False
    for _, cumulative, best in parts:
        new = best if cumulative else total + best
        down = down or new < total
        total = new
    return Sums(total, down, parts[-1][0] if parts else None)


def _part(fact: Fact[Any]) -> _Part:
    """As ledger._step reads a fact's figure (figure_of: the estimate's best, else the
    value), without building it."""
    if not counts(fact):
        return None
    event = fact.event
    cumulative = event.cumulative_total is not None
    name = "cumulative_total" if cumulative else "quantity"
    value = getattr(event, name)
    if value is None:
        raise _NoFigure
    estimate = getattr(event, "estimates", {}).get(name)
    best = estimate.best if estimate is not None else value
    return (fact.world_order, cumulative, best if best is not None else 0)


# id of a tuple of facts -> (the tuple, its sums). An entry holds its tuple, so the id stays
# valid while remembered; the oldest are dropped beyond the size (a stream's events come
# together: the state before each is the one checked just before).
_MEMO: OrderedDict[int, tuple[Facts, Sums]] = OrderedDict()
_MEMO_SIZE = 64


def _remember(facts: Facts, found: Sums) -> None:
    _MEMO[id(facts)] = (facts, found)
    if len(_MEMO) > _MEMO_SIZE:
        _MEMO.popitem(last=False)

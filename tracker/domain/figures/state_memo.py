"""Figures derived from a state, remembered per state.

States are immutable, so what is worked out from one state holds for as long as that state
lives: the rules ask for a contract's milestones when they match a delivery, again when they
check it, and once more when the next event is checked against the same state. The memo holds
the states it answers for (so their ids cannot be reused while remembered) and the oldest are
dropped beyond its size. Each caller gets a list of its own.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

S = TypeVar("S")
T = TypeVar("T")


def per_state(size: int) -> Callable[[Callable[[S], list[T]]], Callable[[S], list[T]]]:
    """Remember ``fn(state)`` for the last ``size`` states it was asked about."""

    def wrap(fn: Callable[[S], list[T]]) -> Callable[[S], list[T]]:
        memo: OrderedDict[int, tuple[S, list[T]]] = OrderedDict()

        @functools.wraps(fn)
        def remembered(state: S) -> list[T]:
            key = id(state)
            hit = memo.get(key)
            if hit is not None and hit[0] is state:
                memo.move_to_end(key)
                return list(hit[1])
            value = fn(state)
            memo[key] = (state, value)
            if len(memo) > size:
                memo.popitem(last=False)
            return list(value)

        return remembered

    return wrap

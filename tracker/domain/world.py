"""The world axis: a state trimmed to the facts that had certainly happened by a day.

A view "as of" a day answers with what the record (as it stands, corrections and
retractions applied) says had happened by then. So the trim runs after the fold, on each
fact's *corrected* world date: a delivery first logged as 2021 and corrected to 2023 is
not there at the end of 2021, and one moved back from 2023 to 2021 is. An undated fact
counts as happened by its first source's publication date (FuzzyDate.unknown); one that no
dated source bounds is in no view as of a day.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from tracker.domain.state import Fact, StreamState

S = TypeVar("S", bound=StreamState)


def as_of(state: S, day: date) -> S | None:
    """``state`` with only the facts whose world date is certainly by ``day``.

    None when the stream's root fact (a signing, an establishment) is not: the contract,
    joint venture or agreement did not exist yet. A state without a root (notes only) keeps
    its notes that are by ``day``. Nothing else changes: version and retracted ids stay.
    """
    root = type(state).root
    if root is not None and not _by(getattr(state, root), day):
        return None
    update: dict[str, Any] = {}
    for name in type(state).fact_fields:
        facts: tuple[Fact[Any], ...] = getattr(state, name)
        kept = tuple(f for f in facts if _by(f, day))
        if len(kept) != len(facts):
            update[name] = kept
    return state.model_copy(update=update) if update else state


def trimmed(states: dict[str, StreamState], day: date | None) -> dict[str, StreamState]:
    """Every state of ``states`` as of ``day`` (all of them, untouched, when day is None)."""
    if day is None:
        return states
    out: dict[str, StreamState] = {}
    for key, state in states.items():
        kept = as_of(state, day)
        if kept is not None:
            out[key] = kept
    return out


def _by(fact: Fact[Any], day: date) -> bool:
    return bool(fact.event.occurred.certainly_by(day))

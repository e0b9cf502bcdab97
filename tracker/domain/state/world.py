"""The world axis: a state trimmed to the facts that had certainly happened by a day.

A view "as of" a day answers with what the record (as it stands, corrections and
retractions applied) says had happened by then. So the trim runs after the fold, on each
fact's *corrected* world date: a delivery first logged as 2021 and corrected to 2023 is
not there at the end of 2021, and one moved back from 2023 to 2021 is. An undated fact
counts as happened by its first source's publication date (FuzzyDate.unknown); one that no
dated source bounds is in no view as of a day.

A fact whose date straddles the day (a delivery dated "2022", as of 1 June 2022) is not
counted: it may have happened after. ``possibly_as_of`` keeps those too, so that a view can
say how far the count could go ("up to N").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from tracker.domain.state.state import Fact, StreamState

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
    return _kept(state, lambda f: _by(f, day))


def possibly_as_of(state: S, day: date) -> S | None:
    """``state`` as ``as_of`` gives it, but with the facts whose date straddles ``day``
    (that may or may not have happened by then) kept too; None as ``as_of`` gives None
    (a root that may not have happened yet is not taken as having happened)."""
    if as_of(state, day) is None:
        return None
    return _kept(state, lambda f: bool(f.event.occurred.possibly_by(day)))


def straddles(state: StreamState, day: date) -> bool:
    """Whether a fact of ``state`` (its root aside) may or may not have happened by ``day``."""
    return any(
        f.event.occurred.possibly_by(day) and not _by(f, day)
        for name in type(state).fact_fields
        for f in getattr(state, name)
    )


def _kept(state: S, keep: Callable[[Fact[Any]], bool]) -> S:
    update: dict[str, Any] = {}
    for name in type(state).fact_fields:
        facts: tuple[Fact[Any], ...] = getattr(state, name)
        kept = tuple(f for f in facts if keep(f))
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


def possible(states: dict[str, StreamState], day: date | None) -> dict[str, StreamState]:
    """The states of ``states`` that exist as of ``day`` and hold a fact straddling it, each
    with its facts that may have happened by then (possibly_as_of); none when day is None."""
    if day is None:
        return {}
    out: dict[str, StreamState] = {}
    for key, state in states.items():
        if straddles(state, day) and (more := possibly_as_of(state, day)) is not None:
            out[key] = more
    return out

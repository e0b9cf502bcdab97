"""Importing other records into the log: SIPRI exports (and, in the store, our own JSONL)."""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.domain.envelope import Recorded
from tracker.domain.events import stream_of
from tracker.domain.lookup import MemoryLookup
from tracker.domain.rules import check_and_fold
from tracker.domain.state import ContractState
from tracker.errors import DomainError, InvalidInputError, TrackerError
from tracker.importers.sipri import BadRow, Scope, SipriDeal, read_release
from tracker.importers.sipri_events import Planned
from tracker.importers.sipri_release import (
    SHRINK,
    ReleasePlan,
    Step,
    covered,
    plan_release,
    sipri_contracts,
)
from tracker.projections.reader import TableStates
from tracker.writes import collector_paused

if TYPE_CHECKING:
    from tracker.app import Tracker

Progress = Callable[[int], None]
_NOTHING = re.compile(r"[:;] nothing was written$")


@dataclass
class SipriImport:
    """What an import read and recorded: the four counts, flagged rows, ambiguous matches."""

    release: str
    deals: int = 0
    appended: int = 0
    new: int = 0
    corrected: int = 0
    retracted: int = 0
    unchanged: int = 0
    bad: list[BadRow] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    # What retractions covered; None: the file states no scope, so nothing was retracted.
    scope: str | None = None


def import_sipri(
    tracker: object,
    path: Path,
    *,
    skip_bad_rows: bool = False,
    allow_shrink: bool = False,
    scope: Scope | None = None,
    review: Path | None = None,
    progress: Progress | None = None,
    on_total: Callable[[int], None] | None = None,
) -> SipriImport:
    """Import a SIPRI release in one transaction: all of it, or nothing.

    Deals are matched to those already imported (sipri.matching); a newer release is
    recorded as new deals, corrections, retractions within its scope (``scope``, else the
    one its preamble states) and unchanged deals. Unreadable rows refuse the file unless
    ``skip_bad_rows``; an empty or shrunken release is refused unless ``allow_shrink``.
    Every failure names the file, the line and the deal, and says nothing was written.
    """
    from tracker.app import Tracker

    assert isinstance(tracker, Tracker)
    with _planned(tracker, path, scope, skip_bad_rows, allow_shrink) as (result, plan):
        if review is not None:
            _write_review(review, plan.ambiguous)
        if on_total is not None:
            on_total(sum(len(step.events) for step in plan.steps))
        result.appended = _write(tracker, path, plan.steps, progress)
    return result


@contextmanager
def _planned(
    tracker: Tracker, path: Path, scope: Scope | None, skip_bad: bool, allow_shrink: bool
) -> Iterator[tuple[SipriImport, ReleasePlan]]:
    """The import's plan, made with the cycle collector paused, then kept out of its sweeps
    until the block ends: it is large and long-lived and holds no cycles, so every sweep
    would walk all of it again for nothing (a fifth of the import's time)."""
    # Objects someone else froze are theirs to unfreeze: leave the collector alone then.
    freeze = gc.get_freeze_count() == 0
    with collector_paused():
        planned = _plan(tracker, path, scope, skip_bad, allow_shrink)
        if freeze:
            gc.freeze()
    try:
        yield planned
    finally:
        if freeze:
            gc.unfreeze()


def _write(tracker: Tracker, path: Path, steps: list[Step], progress: Progress | None) -> int:
    """Log every planned event in one transaction; returns how many were appended.

    A refused event is named by its file, line and deal; nothing is then written.
    """
    items = [(event_id, event, step) for step in steps for event_id, event in step.events]
    try:
        logged = tracker.log(
            [e for _, e, _ in items],
            actor="sipri-import",
            event_ids=[i for i, _, _ in items],
            progress=progress,
            prechecked=[step.new for _, _, step in items],
        )
    except TrackerError as e:
        index = getattr(e, "index", None)
        where = _where(items[index][2]) if isinstance(index, int) else ""
        # The store's own "...: nothing was written" would be said twice.
        message = _NOTHING.sub("", str(e))
        raise _same_kind(e, f"{path.name}: {where}{message}; nothing was written") from e
    return sum(not lg.existed for lg in logged)


def _where(step: Step) -> str:
    return f"line {step.line}, deal {step.deal}: " if step.line else f"{step.deal}: "


def _same_kind(e: TrackerError, message: str) -> TrackerError:
    try:
        return type(e)(message)
    except TypeError:  # an error class that wants more than a message
        return TrackerError(message)


def _plan(
    tracker: Tracker, path: Path, scope: Scope | None, skip_bad: bool, allow_shrink: bool
) -> tuple[SipriImport, ReleasePlan]:
    """Read the export, match its deals to the log's and plan each deal's events."""
    release, rows = read_release(path)
    result = SipriImport(release=release.label)
    deals: list[SipriDeal] = []
    for row in rows:
        if isinstance(row, BadRow):
            result.bad.append(row)
        else:
            deals.append(row)
    if result.bad and not skip_bad:
        first = "; ".join(str(b) for b in result.bad[:3])
        raise InvalidInputError(
            f"{path.name}: {len(result.bad)} rows cannot be read ({first}); nothing"
            " was written (pass --skip-bad-rows to import the rest)"
        )
    result.deals = len(deals)
    tracker.level_projections()
    everything = TableStates(tracker.engine).contracts()
    states = sipri_contracts(everything)
    scope = scope or release.scope
    result.scope = None if scope is None else str(scope)
    if not allow_shrink:
        _check_size(path, deals, states, scope)
    today = tracker.today()
    taken = {s.ref for s in everything}
    try:
        plan = plan_release(deals, release, states, taken, scope, today)
    except InvalidInputError as e:
        raise InvalidInputError(f"{path.name}: {e}; nothing was written") from e
    for step in plan.steps:
        if step.new:
            problem = _refused(step.events, today)
            if problem:
                raise InvalidInputError(
                    f"{path.name}: line {step.line}, deal {step.deal}: {problem}; nothing was"
                    " written"
                )
    for name in ("new", "corrected", "retracted", "unchanged", "flagged", "ambiguous"):
        setattr(result, name, getattr(plan, name))
    return result, plan


def _check_size(
    path: Path, deals: list[SipriDeal], states: list[ContractState], scope: Scope | None
) -> None:
    """Refuse a release with no deal rows, or far fewer deals than those it would replace."""
    why = "; nothing was written (pass --allow-shrink if that is what you mean)"
    if not deals:
        raise InvalidInputError(f"{path.name}: the file holds no deal rows, only a header{why}")
    if scope is None:
        return  # it retracts nothing, so it cannot undo a larger release
    before = sum(covered(scope, s) for s in states)
    if len(deals) < SHRINK * before:
        raise InvalidInputError(
            f"{path.name}: {len(deals)} deals where the log holds {before} within its scope"
            f" ({scope}), more than {round(100 * (1 - SHRINK))}% fewer: a file cut short?{why}"
        )


def _write_review(path: Path, ambiguous: list[str]) -> None:
    try:
        path.write_text("".join(f"{line}\n" for line in ambiguous), encoding="utf-8")
    except OSError as e:
        raise InvalidInputError(f"Cannot write {path}: {e.strerror or e}") from e


def _refused(events: list[Planned], today: date) -> str | None:
    """Why the rules refuse a new deal's events, if they do (checked on their own).

    Each event is folded in as the rules left it: a delivery's state, worked out to check
    it against the number ordered, is kept rather than folded again.
    """
    lookup = MemoryLookup()
    moment = datetime.now(UTC)
    for n, (event_id, event) in enumerate(events, start=1):
        stream = stream_of(event) or ""
        state = lookup.state(stream)
        recorded = Recorded(event_id, n, stream, (state.version if state else 0) + 1, moment, event)
        try:
            after = check_and_fold(recorded, lookup, today)
        except DomainError as e:
            return str(e)
        lookup.records[event_id] = recorded
        if after is not None:
            lookup.states[stream] = after
    return None

"""Importing other records into the log: SIPRI exports (and, in the store, our own JSONL)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.domain.state.state import ContractState
from tracker.domain.values.refs import split_stream
from tracker.errors import DomainError, InvalidInputError, TrackerError
from tracker.importers.sipri import BadRow, Scope, SipriDeal, read_release
from tracker.importers.sipri.release import SHRINK, Held, ReleasePlan, Step, held, plan_release
from tracker.projections.filters import ContractFilter
from tracker.projections.reader import TableStates
from tracker.projections.status_table import StatusTable
from tracker.service.writes import Item, StatesOf, log_chunks
from tracker.store.bulk import collector_paused

if TYPE_CHECKING:
    from tracker.service.app import Tracker

Progress = Callable[[int], None]
_NOTHING = re.compile(r"[:;] nothing was written$")
# Events logged at a time within the one transaction: memory holds about this many.
_CHUNK = 2_000


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
    from tracker.service.app import Tracker

    assert isinstance(tracker, Tracker)
    # Planning builds the matching and the log's SIPRI states, large and long-lived and
    # without cycles: collections would walk them again and again for nothing.
    with collector_paused():
        result, plan, old = _plan(tracker, path, scope, skip_bad_rows, allow_shrink)
        if review is not None:
            _write_review(review, plan.ambiguous)
        if on_total is not None:
            on_total(plan.total)
        result.appended = _write(tracker, path, plan, old, progress)
    for name in ("new", "corrected", "retracted", "unchanged"):
        setattr(result, name, getattr(plan, name))
    return result


def _write(
    tracker: Tracker, path: Path, plan: ReleasePlan, old: Held, progress: Progress | None
) -> int:
    """Log every planned event in one transaction, a chunk of deals at a time; returns how
    many were appended. A refused event is named by its file, line and deal; nothing is
    then written. The deals are planned as they are logged, against the states the rules
    check them against (folded from the log, not read from the read models)."""
    chunk: list[Step] = []  # the step of each event of the chunk being logged

    def opened(states: StatesOf) -> None:
        old.load = lambda refs: _contracts(states, refs)

    try:
        return log_chunks(
            tracker.store,
            tracker.projector,
            _chunks(plan.steps, chunk, progress),
            actor="sipri-import",
            today=tracker.today(),
            opened=opened,
        )
    except TrackerError as e:
        index = getattr(e, "index", None)
        where = _where(chunk[index]) if isinstance(index, int) else ""
        # The store's own "...: nothing was written" would be said twice.
        message = _NOTHING.sub("", str(e))
        # A rule SIPRI's data break is a fault of the file, as an unreadable row is.
        kind = InvalidInputError if isinstance(e, DomainError) else type(e)
        raise _error(kind, f"{path.name}: {where}{message}; nothing was written") from e


def _chunks(
    steps: Iterator[Step], chunk: list[Step], progress: Progress | None
) -> Iterator[list[Item]]:
    """The planned events, about ``_CHUNK`` at a time, whole deals each; ``chunk`` is kept
    holding the step of each event of the chunk last handed out. ``progress`` counts the
    steps (deals and retractions) logged."""
    items: list[Item] = []
    taken = 0
    for step in steps:
        taken += 1
        for event_id, event in step.events:
            items.append((event_id, event, step.new))
            chunk.append(step)
        if len(items) >= _CHUNK:
            yield items
            items = []
            chunk.clear()  # the chunk was logged: the next one begins
            if progress is not None:
                progress(taken)
            taken = 0
    if items:
        yield items
    if progress is not None and taken:
        progress(taken)


def _contracts(states: StatesOf, refs: list[str]) -> list[ContractState]:
    """The contracts ``refs`` as the log holds them; one the read models hold but the log
    does not (a read model written by hand) is refused."""
    out = []
    for ref, state in zip(refs, states([f"contract:{r}" for r in refs]), strict=True):
        if not isinstance(state, ContractState):
            raise TrackerError(
                f"contract {ref} is in the read models but not in the log (see 'tracker verify')"
            )
        out.append(state)
    return out


def _where(step: Step) -> str:
    return f"line {step.line}, deal {step.deal}: " if step.line else f"{step.deal}: "


def _error(kind: type[TrackerError], message: str) -> TrackerError:
    try:
        return kind(message)
    except TypeError:  # an error class that wants more than a message
        return TrackerError(message)


def _plan(
    tracker: Tracker, path: Path, scope: Scope | None, skip_bad: bool, allow_shrink: bool
) -> tuple[SipriImport, ReleasePlan, Held]:
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
    scope = scope or release.scope
    result.scope = None if scope is None else str(scope)
    old = _held(tracker, scope)
    if not allow_shrink:
        _check_size(path, deals, old)
    plan = plan_release(deals, release, old, tracker.today())
    result.flagged, result.ambiguous = plan.flagged, plan.ambiguous
    return result, plan, old


def _held(tracker: Tracker, scope: Scope | None) -> Held:
    """The contracts the log holds, summarised from the read models (levelled first). Their
    whole states are read from the tables here only if the summary cannot be read from
    their JSON; as their deals are planned, they are folded from the log (see ``_write``),
    as it was before the import: each contract is changed by one deal only."""
    tracker.level_projections()
    states = TableStates(tracker.engine)
    streams = StatusTable(tracker.engine).streams(ContractFilter())
    refs = [split_stream(s)[1] for s in streams]
    # The summary reads its fields from the states' JSON where they have the models' shape.
    return held(refs, states.contracts, scope, states.contract_documents)


def _check_size(path: Path, deals: list[SipriDeal], old: Held) -> None:
    """Refuse a release with no deal rows, or far fewer deals than those it would replace."""
    why = "; nothing was written (pass --allow-shrink if that is what you mean)"
    if not deals:
        raise InvalidInputError(f"{path.name}: the file holds no deal rows, only a header{why}")
    scope = old.scope
    if scope is None:
        return  # it retracts nothing, so it cannot undo a larger release
    before = len(old.covered)
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

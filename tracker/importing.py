"""Importing other records into the log: SIPRI exports (and, in the store, our own JSONL)."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from tracker.domain.envelope import Recorded
from tracker.domain.event_base import validation_message
from tracker.domain.events import stream_of
from tracker.domain.lookup import MemoryLookup
from tracker.domain.rules import check_and_fold
from tracker.errors import DomainError, InvalidInputError, TrackerError
from tracker.importers.sipri import BadRow, SipriDeal, read_release
from tracker.importers.sipri_events import Planned, contract_ref, deal_events
from tracker.projections.reader import TableStates
from tracker.writes import collector_paused

if TYPE_CHECKING:
    from tracker.app import Tracker

Progress = Callable[[int], None]
DEALS_PER_TRANSACTION = 2000


@dataclass
class SipriImport:
    """What an import read, appended and could not take."""

    release: str
    deals: int = 0
    appended: int = 0
    unchanged: int = 0
    bad: list[BadRow] = field(default_factory=list)


def import_sipri(
    tracker: object,
    path: Path,
    *,
    skip_bad_rows: bool = False,
    progress: Progress | None = None,
    on_total: Callable[[int], None] | None = None,
) -> SipriImport:
    """Import a SIPRI export: every deal, all or nothing unless ``skip_bad_rows``.

    Rows that cannot be read, and deals the rules refuse, are reported with their line.
    """
    from tracker.app import Tracker

    assert isinstance(tracker, Tracker)
    with _planned(tracker, path) as (result, planned):
        if result.bad and not skip_bad_rows:
            first = "; ".join(str(b) for b in result.bad[:3])
            raise InvalidInputError(
                f"{path.name}: {len(result.bad)} rows cannot be imported ({first}); nothing"
                " was written (pass --skip-bad-rows to import the rest)"
            )
        if on_total is not None:
            on_total(sum(len(events) for events, _, _ in planned))
        result.appended = _write(tracker, planned, progress)
        result.unchanged = result.deals - len(planned)
    return result


# Each deal's events, whether its contract is new, and the deal's line in the file.
Plan = list[tuple[list[Planned], bool, int]]


@contextmanager
def _planned(tracker: Tracker, path: Path) -> Iterator[tuple[SipriImport, Plan]]:
    """The import's plan, made with the cycle collector paused, then kept out of its sweeps
    until the block ends: it is large and long-lived and holds no cycles, so every sweep
    would walk all of it again for nothing (a fifth of the import's time)."""
    # Objects someone else froze are theirs to unfreeze: leave the collector alone then.
    freeze = gc.get_freeze_count() == 0
    with collector_paused():
        plan = _plan(tracker, path)
        if freeze:
            gc.freeze()
    try:
        yield plan
    finally:
        if freeze:
            gc.unfreeze()


def _write(tracker: Tracker, planned: Plan, progress: Progress | None) -> int:
    """Log the planned events; returns how many were appended.

    A failure names what earlier transactions committed (whole deals), since they stay.
    """
    appended = 0
    # Whole deals go in per transaction, so memory stays bounded on the largest registers;
    # an interrupted import leaves whole deals and running it again completes it.
    for start in range(0, len(planned), DEALS_PER_TRANSACTION):
        chunk = planned[start : start + DEALS_PER_TRANSACTION]
        items = [(event_id, event, new) for events, new, _ in chunk for event_id, event in events]
        try:
            logged = tracker.log(
                [e for _, e, _ in items],
                actor="sipri-import",
                event_ids=[i for i, _, _ in items],
                progress=progress,
                prechecked=[new for _, _, new in items],
            )
        except TrackerError as e:
            raise _partly_committed(e, planned[:start], appended) from e
        appended += sum(not lg.existed for lg in logged)
    return appended


def _partly_committed(e: TrackerError, done: Plan, appended: int) -> TrackerError:
    """``e``, saying what earlier transactions committed if any did."""
    if not done:
        return e
    last_line = max(line for _, _, line in done)
    what = (
        f"{len(done)} deals ({appended} events) up to line {last_line} were committed; "
        "the rest was not (import the file again to complete it)"
    )
    message = str(e)
    if "nothing was written" in message:
        message = message.replace("nothing was written", what)
    else:
        message = f"{message}; {what}"
    try:
        return type(e)(message)
    except TypeError:  # an error class that wants more than a message
        return TrackerError(message)


def _plan(tracker: Tracker, path: Path) -> tuple[SipriImport, Plan]:
    """Read the export and plan each deal's events, checking those of new deals."""
    release, rows = read_release(path)
    result = SipriImport(release=release.label)
    deals: list[SipriDeal] = []
    for row in rows:
        if isinstance(row, BadRow):
            result.bad.append(row)
        else:
            deals.append(row)
    result.deals = len(deals)
    tracker.level_projections()
    today = tracker.today()
    existing = {
        s.contract.reference: s
        for s in TableStates(tracker.engine).contracts(contract_ref(d) for d in deals)
    }
    planned: Plan = []
    for deal in deals:
        try:
            events = deal_events(deal, release, existing.get(contract_ref(deal)), today)
        except (ValidationError, TrackerError) as e:
            result.bad.append(BadRow(deal.line, f"deal {deal.deal_key}: {_one_line(e)}"))
            continue
        new = contract_ref(deal) not in existing
        problem = _refused(events, today) if new else None
        if problem:
            result.bad.append(BadRow(deal.line, f"deal {deal.deal_key}: {problem}"))
        elif events:
            planned.append((events, new, deal.line))
    return result, planned


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


def _one_line(e: Exception) -> str:
    if isinstance(e, ValidationError):
        return validation_message(e)
    return str(e)

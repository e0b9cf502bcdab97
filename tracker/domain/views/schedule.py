"""A contract's delivery schedule as of a day: each milestone on time, late or overdue."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from tracker.domain.figures.contracts import MilestoneTrack, cancellation, milestones
from tracker.domain.rules.milestone_match import Fulfilment, fulfilment
from tracker.domain.state.state import ContractState
from tracker.domain.values.dates import FuzzyDate
from tracker.domain.views.words import due_in_words, late_words, moved_words, overdue_words

MilestoneState = Literal["on time", "late", "overdue", "pending", "cancelled"]


class DueHistoryEntry(BaseModel):
    """One due date a milestone had: the original first, then each revision."""

    model_config = ConfigDict(frozen=True)

    due: FuzzyDate
    reported: FuzzyDate
    reason: str | None


class MilestoneStatus(BaseModel):
    """A milestone judged against its current due date on ``as_of``.

    slip_days: for a delivered milestone, days from the due date's last day to the
    delivery's last day (0 when on time); for an overdue one, days from the due date's last
    day to today; else 0. moved_days: how far the due date moved from the first plan.
    """

    model_config = ConfigDict(frozen=True)

    label: str
    quantity: int
    due: FuzzyDate
    original_due: FuzzyDate
    delivered: FuzzyDate | None
    delivered_quantity: int
    state: MilestoneState
    slip_days: int
    slip_words: str
    moved_days: int
    moved_words: str
    history: tuple[DueHistoryEntry, ...]


class ScheduleView(BaseModel):
    """Every milestone of a contract in current due-date order."""

    model_config = ConfigDict(frozen=True)

    contract: str
    unit: str
    as_of: date
    milestones: tuple[MilestoneStatus, ...]


def schedule(state: ContractState, today: date, started: FuzzyDate | None = None) -> ScheduleView:
    """The schedule of ``state`` as it stands on ``today`` (no clock is read).

    A milestone's delivered date comes only from the deliveries that fill it (see
    milestone_match): never from a delivery meant for another milestone. Due dates
    relative to production start resolve against ``started`` (see due_dates); one that
    cannot be resolved yet is pending, never overdue, and has not moved.
    """
    tracks = milestones(state, started)
    filled = fulfilment(state)
    cancelled = cancellation(state) is not None
    return ScheduleView(
        contract=state.contract.reference,
        unit=state.contract.unit,
        as_of=today,
        milestones=tuple(_status(t, filled[t.label], today, cancelled) for t in tracks),
    )


def _status(
    track: MilestoneTrack, got: Fulfilment, today: date, cancelled: bool
) -> MilestoneStatus:
    due = track.due.latest
    state, slip, words = _judge(track.due, got.completed, today, cancelled)
    original = track.original_due.latest
    if track.due.is_relative or track.original_due.is_relative:
        original = due  # a date not yet known cannot be said to have moved
    return MilestoneStatus(
        label=track.label,
        quantity=track.quantity,
        due=track.due,
        original_due=track.original_due,
        delivered=got.completed,
        delivered_quantity=got.quantity,
        state=state,
        slip_days=slip,
        slip_words=words,
        moved_days=(due - original).days,
        moved_words=moved_words(original, due),
        history=tuple(
            DueHistoryEntry(due=c.due, reported=c.reported, reason=c.reason) for c in track.history
        ),
    )


def _judge(
    when: FuzzyDate, completed: FuzzyDate | None, today: date, cancelled: bool
) -> tuple[MilestoneState, int, str]:
    # Fuzzy dates are judged on their last possible day: 'Dec 2021' against 'by 2023'.
    due = when.latest
    if when.is_relative and not cancelled:
        # Its anchor is not known: no day to be late against.
        anchor = when.after.anchor if when.after else "its anchor"
        return ("on time" if completed else "pending"), 0, f"awaits {anchor}"
    if completed is not None:
        slip = max((completed.latest - due).days, 0)
        return ("late" if slip else "on time"), slip, late_words(due, completed.latest)
    if cancelled:
        return "cancelled", 0, "cancelled"
    if today > due:
        return "overdue", (today - due).days, overdue_words(due, today)
    return "pending", 0, due_in_words(due, today)

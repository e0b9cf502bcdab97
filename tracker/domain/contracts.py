"""Figures derived from a contract's facts: ordered, value, deliveries, milestones.

Derived on read rather than kept as running fields, so that a corrected or retracted fact
changes every figure it fed without any bookkeeping in evolve.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from tracker.domain.dates import FuzzyDate
from tracker.domain.events import ContractCancelled
from tracker.domain.ledger import Step, running_totals
from tracker.domain.money import Money
from tracker.domain.state import ContractState, Fact


def ordered(state: ContractState) -> int | None:
    """The quantity ordered as last amended (in world order), else as signed; None if unknown."""
    quantity = state.contract.quantity
    for fact in sorted(state.amendments, key=lambda f: f.world_order):
        quantity = fact.event.quantity or quantity
    return quantity


def value(state: ContractState) -> Money | None:
    """The contract value as last amended (in world order), else as signed."""
    current = state.contract.value
    for fact in sorted(state.amendments, key=lambda f: f.world_order):
        current = fact.event.value or current
    return current


def deliveries(state: ContractState) -> list[Step]:
    return running_totals(state.deliveries)


def delivered(state: ContractState) -> int:
    steps = deliveries(state)
    return steps[-1].total if steps else 0


def cancellation(state: ContractState) -> Fact[ContractCancelled] | None:
    """The earliest live cancellation, if any."""
    return min(state.cancellations, key=lambda f: f.world_order, default=None)


@dataclass(frozen=True, slots=True)
class DueChange:
    """A due date a milestone had, when it was reported and why it moved."""

    due: FuzzyDate
    reported: FuzzyDate
    reason: str | None
    event_id: str


@dataclass(frozen=True, slots=True)
class MilestoneTrack:
    """A milestone as currently planned, with every due date it has had."""

    label: str
    quantity: int
    due: FuzzyDate
    history: tuple[DueChange, ...]
    seq: int  # order of scheduling, to break ties between equal due dates

    @property
    def original_due(self) -> FuzzyDate:
        return self.history[0].due

    @property
    def due_order(self) -> tuple[tuple[object, ...], int]:
        return (self.due.sort_key, self.seq)


def milestones(state: ContractState) -> list[MilestoneTrack]:
    """Milestones in current due-date order, each revision applied in world order."""
    tracks: dict[str, MilestoneTrack] = {}
    for fact in sorted(state.schedules, key=lambda f: f.position):
        for m in fact.event.milestones:
            change = DueChange(m.due, fact.event.occurred, None, fact.event_id)
            tracks[m.label] = MilestoneTrack(m.label, m.quantity, m.due, (change,), len(tracks))
    for rev in sorted(state.revisions, key=lambda f: f.world_order):
        event = rev.event
        if (track := tracks.get(event.milestone)) is None:
            continue  # the rules refuse this; a retracted schedule can leave it behind
        change = DueChange(event.due, event.occurred, event.reason, rev.event_id)
        tracks[event.milestone] = MilestoneTrack(
            track.label,
            event.quantity or track.quantity,
            event.due,
            (*track.history, change),
            track.seq,
        )
    return sorted(tracks.values(), key=lambda t: t.due_order)


@dataclass(slots=True)
class Fulfilment:
    """How much of a milestone has arrived, and the delivery that completed it."""

    quantity: int = 0
    completed: FuzzyDate | None = None
    completed_by: str | None = None
    deliveries: list[str] = field(default_factory=list)


def fulfilment(tracks: list[MilestoneTrack], steps: Iterable[Step]) -> dict[str, Fulfilment]:
    """Deliveries matched to milestones.

    A labelled delivery goes to its milestone; an unlabelled one (or what a labelled one
    brings beyond its milestone) fills open milestones in due-date order.
    """
    wanted = {t.label: t.quantity for t in tracks}
    result = {t.label: Fulfilment() for t in tracks}
    for step in steps:
        left = step.increment
        if left <= 0:
            continue
        targets = [step.label] if step.label in wanted else []
        targets += [t.label for t in tracks if t.label != step.label]
        for label in targets:
            if left == 0:
                break
            take = min(left, wanted[label] - result[label].quantity)
            if take <= 0:
                continue
            left -= take
            got = result[label]
            got.quantity += take
            got.deliveries.append(step.event_id)
            if got.quantity == wanted[label]:
                got.completed, got.completed_by = step.occurred, step.event_id
    return result

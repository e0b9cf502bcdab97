"""Figures derived from a contract's facts: ordered, value, deliveries, milestones.

Derived on read rather than kept as running fields, so that a corrected or retracted fact
changes every figure it fed without any bookkeeping in evolve.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from tracker.domain.events.catalogue import ContractCancelled, DeliveryRecorded
from tracker.domain.figures.ledger import Step, running_totals
from tracker.domain.figures.state_memo import per_state
from tracker.domain.state.state import ContractState, Fact
from tracker.domain.values import due_dates
from tracker.domain.values.dates import FuzzyDate
from tracker.domain.values.money import Money


def ordered(state: ContractState) -> int | None:
    """The quantity ordered as last amended (in world order), else as signed; None if unknown."""
    quantity = state.contract.quantity
    if not state.amendments:
        return quantity
    for fact in sorted(state.amendments, key=lambda f: f.world_order):
        quantity = fact.event.quantity or quantity
    return quantity


def value(state: ContractState) -> Money | None:
    """The contract value as last amended (in world order), else as signed."""
    current = state.contract.value
    if not state.amendments:
        return current
    for fact in sorted(state.amendments, key=lambda f: f.world_order):
        current = fact.event.value or current
    return current


def deliveries(state: ContractState) -> list[Step]:
    return running_totals(state.deliveries)


def delivered(state: ContractState) -> int:
    steps = deliveries(state)
    return steps[-1].total if steps else 0


def unknown_size(state: ContractState) -> list[Fact[DeliveryRecorded]]:
    """Deliveries reported with no figure (not plans): each says delivery has begun."""
    return [f for f in state.deliveries if f.event.size_unknown and f.event.confidence != "planned"]


def started_unknown(state: ContractState) -> bool:
    """True when a delivery of unknown size was reported: delivery has begun."""
    return bool(unknown_size(state))


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


def milestones(state: ContractState, started: FuzzyDate | None = None) -> list[MilestoneTrack]:
    """Milestones in current due-date order (see ``_milestones``); without ``started``,
    remembered per state (state_memo): a write asks for one state's several times."""
    if not state.schedules:
        return []  # no promise made: no milestone (revisions revise scheduled ones only)
    return _milestones(state, started) if started is not None else _remembered(state)


@per_state(64)
def _remembered(state: ContractState) -> list[MilestoneTrack]:
    return _milestones(state, None)


def _milestones(state: ContractState, started: FuzzyDate | None) -> list[MilestoneTrack]:
    """Milestones in current due-date order, every promise (schedule or revision) applied in
    world order: the first promise of a milestone is its original plan, the latest its
    current due date, whatever order they were logged in.

    Relative due dates are resolved against the signing and ``started`` (when production
    began, see due_dates.production_started); unresolved ones sort last.
    """
    known = due_dates.anchors(state, started)
    promises: dict[str, list[tuple[Any, DueChange, int | None]]] = {}
    for fact in state.schedules:
        for m in fact.event.milestones:
            change = DueChange(m.due, fact.event.occurred, None, fact.event_id)
            promises.setdefault(m.label, []).append((fact.world_order, change, m.quantity))
    for rev in state.revisions:
        event = rev.event
        if event.milestone not in promises:
            continue  # the rules refuse this; a retracted schedule can leave it behind
        change = DueChange(event.due, event.occurred, event.reason, rev.event_id)
        promises[event.milestone].append((rev.world_order, change, event.quantity))
    tracks = []
    for label, found in promises.items():
        found.sort(key=lambda p: p[0])
        history = tuple(
            DueChange(due_dates.resolve(c.due, known), c.reported, c.reason, c.event_id)
            for _, c, _ in found
        )
        quantity = next(q for _, _, q in reversed(found) if q is not None)
        tracks.append(MilestoneTrack(label, quantity, history[-1].due, history, 0))
    # Ties between equal due dates go to the milestone first promised (in world order).
    tracks.sort(key=lambda t: min(p[0] for p in promises[t.label]))
    tracks = [replace(t, seq=i) for i, t in enumerate(tracks)]
    return sorted(tracks, key=lambda t: t.due_order)


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

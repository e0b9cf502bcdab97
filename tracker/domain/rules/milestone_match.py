"""Which deliveries fill which milestones: decided when a delivery is logged, never guessed
later.

A labelled delivery fills its own milestone and nothing else; what it brings beyond that
milestone is excess (the rules refuse it). An unlabelled delivery is matched, when it is
logged, to the earliest open milestones (``match``), and the match is stored in the event,
so that no later delivery, correction or view can move it to another milestone. An
unscheduled delivery fills none. Only a delivery never matched (logged before the contract
had a schedule) fills what is still open, in due-date order, after all the others.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from tracker.domain.events.catalogue import DeliveryRecorded
from tracker.domain.figures.contracts import deliveries, milestones
from tracker.domain.figures.ledger import Step, running_totals
from tracker.domain.state.state import ContractState, Fact
from tracker.domain.values.dates import FuzzyDate

# A delivery being matched, as a fact sorting after every recorded one at its world date.
_PENDING = "(pending)"
_LAST = 2**62


@dataclass(slots=True)
class Fulfilment:
    """How much of a milestone has arrived and which deliveries brought it; the delivery
    that completed it (the latest of them in world order); excess: what labelled deliveries
    brought beyond the milestone's quantity."""

    quantity: int = 0
    excess: int = 0
    completed: FuzzyDate | None = None
    completed_by: str | None = None
    completed_position: int | None = None
    deliveries: list[str] = field(default_factory=list)


def fulfilment(state: ContractState, steps: Iterable[Step] | None = None) -> dict[str, Fulfilment]:
    """Each milestone of ``state`` (by label) with what its deliveries brought.

    ``steps``: the state's running totals, when the caller has worked them out already.
    """
    tracks = milestones(state)
    if not tracks:
        return {}
    events = {f.event_id: f.event for f in state.deliveries}
    wanted = {t.label: t.quantity for t in tracks}
    result = {t.label: Fulfilment() for t in tracks}
    never_matched, by_id = [], {}
    for step in deliveries(state) if steps is None else steps:
        event = events.get(step.event_id)
        if step.increment <= 0 or event is None or event.unscheduled:
            continue
        by_id[step.event_id] = step
        if event.label is not None:
            if event.label in wanted:
                _pour(step, [event.label], wanted, result, keep_excess=True)
        elif event.matched is not None:
            _pour(step, [m for m in event.matched if m in wanted], wanted, result)
        else:
            never_matched.append(step)
    for step in never_matched:
        _pour(step, [t.label for t in tracks], wanted, result)
    for label, got in result.items():
        if got.quantity == wanted[label]:
            last = max((by_id[i] for i in got.deliveries), key=_world_order)
            got.completed, got.completed_by = last.occurred, last.event_id
            got.completed_position = last.position
    return result


def _world_order(step: Step) -> tuple[object, ...]:
    return (step.occurred.sort_key, step.position)


def _pour(
    step: Step,
    labels: list[str],
    wanted: dict[str, int],
    result: dict[str, Fulfilment],
    *,
    keep_excess: bool = False,
) -> None:
    """Fill ``labels`` in order with what ``step`` brought, each up to its quantity."""
    left = step.increment
    for label in labels:
        got = result[label]
        take = min(left, wanted[label] - got.quantity)
        if take > 0:
            left -= take
            got.quantity += take
            got.deliveries.append(step.event_id)
    if keep_excess and left > 0:
        result[labels[0]].excess += left


def match(state: ContractState, event: DeliveryRecorded) -> DeliveryRecorded:
    """``event`` with the milestones it fills recorded in ``matched``, when it has no label
    and is not unscheduled and the contract has a schedule; else ``event`` as it is.

    The earliest open milestones (in due-date order) take what the delivery brings, each up
    to what it still awaits; ``matched`` is empty when none is open.
    """
    if event.label is not None or event.unscheduled:
        return event
    tracks = milestones(state)
    if not tracks:
        return event
    filled = fulfilment(state)
    left = _increment(state, event)
    matched: list[str] = []
    for track in tracks:
        if left <= 0:
            break
        take = min(left, track.quantity - filled[track.label].quantity)
        if take > 0:
            matched.append(track.label)
            left -= take
    return event.model_copy(update={"matched": tuple(matched)})


def _increment(state: ContractState, event: DeliveryRecorded) -> int:
    """What ``event`` adds to the contract's deliveries, at its place in world order."""
    if event.cumulative_total is None:
        return event.quantity or 0
    pending = Fact[DeliveryRecorded](event_id=_PENDING, position=_LAST, event=event)
    for step in running_totals([*state.deliveries, pending]):
        if step.event_id == _PENDING:
            return step.increment
    return 0


def matched_words(event: DeliveryRecorded) -> str | None:
    """What ``match`` decided, in words; None when it decided nothing (a labelled,
    unscheduled or never-matched delivery)."""
    if event.label is not None or event.unscheduled or event.matched is None:
        return None
    if not event.matched:
        return "matched to no milestone: none was open"
    names = ", ".join(f"'{label}'" for label in event.matched)
    noun = "milestone" if len(event.matched) == 1 else "milestones"
    return f"matched to {noun} {names} (the earliest open)"

"""Invariants checked on the state an event would produce, before it is appended.

Checking the would-be state, rather than each event type's own arithmetic, is what lets a
correction or a retraction be refused for the same reasons as the event it changes. Only
violations the new event introduces are reported: a state that already broke a rule (an old
log) does not block unrelated events.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from tracker.domain.events.catalogue import (
    ContractAmended,
    DeliveryRecorded,
    EventCorrected,
    EventRetracted,
)
from tracker.domain.events.event_base import DomainEvent
from tracker.domain.figures import contracts
from tracker.domain.figures.ledger import Step, first_decrease, running_totals
from tracker.domain.rules.delivery_sums import sums
from tracker.domain.rules.milestone_match import Fulfilment, fulfilment
from tracker.domain.state.envelope import Recorded
from tracker.domain.state.fold import evolve, evolve_corrected
from tracker.domain.state.state import ContractState, Fact, JointVentureState, StreamState
from tracker.domain.values.quantity import count_words
from tracker.errors import DomainError

# Sorts after every recorded event at the same world date.
_LAST = 2**62

#: A correction's target as a state holds it, and the target corrected.
Fix = tuple[DomainEvent, DomainEvent]


def would_be(
    state: StreamState,
    event: DomainEvent,
    stream_id: str,
    today: date,
    recorded: Recorded | None = None,
    fix: Fix | None = None,
) -> StreamState:
    """The state ``state`` would have after ``event`` (nothing is recorded).

    ``recorded``: ``event`` as it will be recorded next in this stream, if known; the new
    fact then takes its id and position, and the state is the one the log will have.
    ``fix``: for a correction, its target's event as the state holds it and that event
    corrected (as the rules checked it), so that it is not corrected and validated again.
    """
    pending = recorded or Recorded(
        event_id="(pending)",
        position=_LAST,
        stream_id=stream_id,
        stream_version=state.version + 1,
        recorded_at=datetime.combine(today, time(), tzinfo=UTC),
        event=event,
    )
    if fix is not None and isinstance(event, EventCorrected):
        after = evolve_corrected(state, pending, *fix)
    else:
        after = evolve(state, pending)
    assert after is not None
    return after


def check_contract(before: ContractState, after: ContractState, event: DomainEvent) -> None:
    """Delivered within ordered, cumulative totals never down, nothing before signing."""
    if _totals_kept(before, after, event):
        _not_before_signing(before, after)
        return
    # Each state's running totals are worked out once: they sort every delivery.
    was, now = contracts.deliveries(before), contracts.deliveries(after)
    _within_ordered(before, after, event, was, now)
    _never_down(after, was, now)
    _not_before_signing(before, after)
    if after.schedules and isinstance(event, DeliveryRecorded | EventCorrected):
        _milestones_not_overfilled(before, after, event, was, now)


def _totals_kept(before: ContractState, after: ContractState, event: DomainEvent) -> bool:
    """True when ``_within_ordered`` and ``_never_down`` pass, as found from the sums of the
    running totals alone (delivery_sums); False when they may not, or when the milestones
    are checked too: the steps are then worked out, and say what is wrong."""
    if after.schedules and isinstance(event, DeliveryRecorded | EventCorrected):
        return False
    was = sums(before.deliveries)
    now = None if was is None else sums(after.deliveries, before.deliveries)
    if was is None or now is None:
        return False
    if now.down and not was.down:
        return False
    ordered = contracts.ordered(after)
    if ordered is None or now.total <= ordered:
        return True
    same = after.signing is before.signing and after.amendments is before.amendments
    was_ordered = ordered if same else contracts.ordered(before)
    return now.total <= was.total and was_ordered is not None and ordered >= was_ordered


def check_joint_venture(before: JointVentureState, after: JointVentureState) -> None:
    """Per contract, a joint venture's cumulative production never goes down."""
    for ref in {f.event.contract for f in after.production}:
        new = first_decrease(running_totals(f for f in after.production if f.event.contract == ref))
        old = first_decrease(
            running_totals(f for f in before.production if f.event.contract == ref)
        )
        if new is not None and old is None:
            step, previous = new
            raise DomainError(
                f"Cumulative production of {ref} by {after.venture.reference} cannot go down:"
                f" {step.total:,} reported for {step.occurred} after {previous:,}"
            )


def _within_ordered(
    before: ContractState,
    after: ContractState,
    event: DomainEvent,
    was: list[Step],
    now: list[Step],
) -> None:
    ordered, delivered = contracts.ordered(after), now[-1].total if now else 0
    was_ordered, was_delivered = contracts.ordered(before), was[-1].total if was else 0
    if ordered is None:
        return  # nothing to exceed: the number ordered is not known
    if delivered <= ordered or (
        delivered <= was_delivered and was_ordered is not None and ordered >= was_ordered
    ):
        return
    ref, unit = after.contract.reference, after.contract.unit
    if isinstance(event, DeliveryRecorded):
        tally = now[-1].tally
        best = "" if tally.exact else f" (the best value of {tally.text()})"
        raise DomainError(
            f"Delivery of {count_words(delivered - was_delivered, unit)} to {ref} would bring"
            f" delivered to {delivered}{best}, above the {ordered} ordered"
        )
    if isinstance(event, ContractAmended):
        raise DomainError(
            f"Amendment of {ref} to {count_words(ordered, unit)} is below the {delivered} already"
            " delivered"
        )
    if isinstance(event, EventCorrected | EventRetracted):
        verb = "Correction" if isinstance(event, EventCorrected) else "Retraction"
        raise DomainError(
            f"{verb} of event '{event.target_event_id}' would leave {ref} with {delivered}"
            f" delivered, above the {ordered} ordered"
        )
    raise DomainError(
        f"{event.type} would leave {ref} with {delivered} delivered, above the {ordered} ordered"
    )


def _milestones_not_overfilled(
    before: ContractState,
    after: ContractState,
    event: DeliveryRecorded | EventCorrected,
    was: list[Step],
    now: list[Step],
) -> None:
    """No labelled delivery brings a milestone more than it plans: a second delivery for a
    milestone already delivered in full is a duplicate (or a mislabelled one), never a
    delivery for the next milestone."""
    over = [(label, got) for label, got in fulfilment(after, now).items() if got.excess]
    if not over:
        return
    old = fulfilment(before, was)
    for label, got in over:
        prior = old.get(label)
        if prior is not None and prior.excess:
            continue  # already so before this event: not its doing
        raise DomainError(_overfilled(after, event, label, got, prior))


def _overfilled(
    after: ContractState,
    event: DeliveryRecorded | EventCorrected,
    label: str,
    got: Fulfilment,
    prior: Fulfilment | None,
) -> str:
    ref, unit = after.contract.reference, after.contract.unit
    if isinstance(event, EventCorrected):
        return (
            f"Correction of event '{event.target_event_id}' would bring milestone '{label}'"
            f" of {ref} to {got.quantity + got.excess}, above the {got.quantity} it plans"
        )
    if prior is not None and prior.completed_position is not None:
        position = prior.completed_position
        return (
            f"Milestone '{label}' of {ref} is already delivered in full, by the delivery at"
            f" position {position} dated {prior.completed}; to change that delivery, use"
            f" 'tracker log correct {position}'"
        )
    return (
        f"Delivery to {ref} would bring milestone '{label}' to"
        f" {count_words(got.quantity + got.excess, unit)}, above the {got.quantity} it plans"
    )


def _never_down(after: ContractState, was: list[Step], now: list[Step]) -> None:
    new = first_decrease(now)
    if new is None or first_decrease(was) is not None:
        return
    step, previous = new
    raise DomainError(
        f"Cumulative delivered for {after.contract.reference} cannot go down:"
        f" {step.total} reported for {step.occurred} after {previous}"
    )


def _not_before_signing(before: ContractState, after: ContractState) -> None:
    start = after.contract.occurred.earliest
    if start is None:
        return  # signed 'by' a date: no first day to compare with
    fresh: tuple[Fact[DeliveryRecorded], ...] | list[Fact[DeliveryRecorded]]
    # (Lengths first: tuples compare item by item, even of different lengths.)
    if (
        after.signing is before.signing
        and len(after.deliveries) == len(before.deliveries) + 1
        and after.deliveries[:-1] == before.deliveries
    ):
        # Same signing, one delivery appended (the common case): only it can be new.
        fresh = after.deliveries[len(before.deliveries) :]
    else:
        old = {f.event_id for f in _early(before)}
        fresh = [f for f in after.deliveries if f.event_id not in old]
    for fact in fresh:
        # A delivery flagged with a data-quality note is the source's data as published.
        if fact.event.occurred.latest < start and not fact.event.quality:
            raise DomainError(
                f"Delivery to {after.contract.reference} dated {fact.event.occurred} is before"
                f" the contract was signed on {after.contract.occurred}"
            )


def _early(state: ContractState) -> list[Fact[DeliveryRecorded]]:
    start = state.contract.occurred.earliest
    if start is None:
        return []
    return [f for f in state.deliveries if f.event.occurred.latest < start]

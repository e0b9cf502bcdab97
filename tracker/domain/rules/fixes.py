"""The rules for corrections and retractions, and the invariants every change must keep.

An invariant is checked on the state the event would produce (``invariants.would_be``), so
that a correction or a retraction is refused for the same reasons as the event it changes.
Each function returns that state when it is the one the log will hold (the event as it will
be recorded, on its own stream's current state), so that it need not be folded again.
"""

from __future__ import annotations

from tracker.domain.events.catalogue import (
    DeliveryRecorded,
    EventCorrected,
    EventRetracted,
    ProductionRecorded,
    ScheduleRevised,
)
from tracker.domain.events.event_base import DomainEvent
from tracker.domain.rules.corrections import apply_changes
from tracker.domain.rules.invariants import Fix, check_contract, check_joint_venture, would_be
from tracker.domain.rules.lookup import Lookup
from tracker.domain.rules.parts import (
    At,
    delivery_checks,
    milestone_exists,
    production_checks,
    scheduled_label,
    world_dates,
)
from tracker.domain.state.state import ContractState, JointVentureState, StreamState
from tracker.errors import DomainError


def corrected(e: EventCorrected, lookup: Lookup, at: At) -> StreamState | None:
    state, current = _target(lookup, e.target_event_id, "corrected")
    if state.is_retracted(e.target_event_id):
        raise DomainError(f"Event '{e.target_event_id}' is retracted and cannot be corrected")
    fixed = apply_changes(current, e.changes, e.target_event_id)
    world_dates(fixed)
    if isinstance(fixed, ScheduleRevised) and isinstance(state, ContractState):
        milestone_exists(state, fixed.milestone)
    if isinstance(fixed, DeliveryRecorded) and isinstance(state, ContractState):
        delivery_checks(state, fixed, at.today)
        if "matched" in e.changes:
            raise DomainError(
                f"Cannot correct 'matched' of event '{e.target_event_id}': the match is"
                " decided when a delivery is logged; correct its label instead"
            )
        if {"label", "unscheduled"} & e.changes.keys():
            scheduled_label(state, fixed)
    if isinstance(fixed, ProductionRecorded):
        production_checks(fixed, at.today)
    return _after_fix(state, e, at, (current, fixed))


def retracted(e: EventRetracted, lookup: Lookup, at: At) -> StreamState | None:
    state, _ = _target(lookup, e.target_event_id, "retracted")
    if state.is_retracted(e.target_event_id):
        raise DomainError(f"Event '{e.target_event_id}' is already retracted")
    return _after_fix(state, e, at)


def _target(lookup: Lookup, event_id: str, doing: str) -> tuple[StreamState, DomainEvent]:
    """The target's stream state and current (already corrected) version."""
    recorded = lookup.target(event_id)
    if recorded is None:
        raise DomainError(f"No event '{event_id}'")
    if isinstance(recorded.event, EventCorrected | EventRetracted):
        kind = "a correction" if isinstance(recorded.event, EventCorrected) else "a retraction"
        raise DomainError(f"Event '{event_id}' is {kind}; it cannot be {doing}")
    state = lookup.state(recorded.stream_id)
    if state is None:
        raise DomainError(f"No state for stream '{recorded.stream_id}' of event '{event_id}'")
    fact = state.find(event_id)
    return state, fact.event if fact is not None else recorded.event


def _after_fix(
    state: StreamState, e: DomainEvent, at: At, fix: Fix | None = None
) -> StreamState | None:
    if isinstance(state, ContractState) and not state.withdrawn:
        return contract_invariants(state, e, at, fix)
    if isinstance(state, JointVentureState):
        return jv_invariants(state, e, at, fix)
    return None


def contract_invariants(
    state: ContractState, e: DomainEvent, at: At, fix: Fix | None = None
) -> StreamState | None:
    """Refuse ``e`` if the contract's state after it breaks an invariant it kept; return
    that state when it is the one the log will hold. ``fix``: see invariants.would_be."""
    after, recorded = _would_be(state, e, at, fix)
    if isinstance(after, ContractState) and not after.withdrawn:
        check_contract(state, after, e)
    return after if recorded else None


def jv_invariants(
    state: JointVentureState, e: DomainEvent, at: At, fix: Fix | None = None
) -> StreamState | None:
    after, recorded = _would_be(state, e, at, fix)
    if isinstance(after, JointVentureState):
        check_joint_venture(state, after)
    return after if recorded else None


def _would_be(
    state: StreamState, e: DomainEvent, at: At, fix: Fix | None
) -> tuple[StreamState, bool]:
    """The state after ``e``, and whether it is the one the log will hold."""
    rec = at.recorded
    if (
        rec is not None
        and rec.event is e
        and rec.stream_id == state.stream_id
        and rec.stream_version == state.version + 1
    ):
        # The event as it will be recorded, on the current state of its own stream.
        return would_be(state, e, state.stream_id, at.today, rec, fix), True
    return would_be(state, e, state.stream_id, at.today, fix=fix), False

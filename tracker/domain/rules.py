"""Business rules, checked before an event is appended: ``check`` raises DomainError or passes.

Each message names the contract (or event) and the figures, so that the one line the CLI
prints says what is wrong. Rules about one event's own fields that pydantic already enforces
(positive quantities, shares summing to 100) are checked again here, because an event can
be built without validation (``model_construct``) on fast paths.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from tracker.domain import contracts
from tracker.domain.corrections import apply_changes
from tracker.domain.dates import NO_BOUND, FuzzyDate
from tracker.domain.envelope import Recorded
from tracker.domain.event_base import DomainEvent
from tracker.domain.events import (
    AgreementExtended,
    AgreementSigned,
    ContractAmended,
    ContractCancelled,
    ContractSigned,
    DeliveryRecorded,
    DeliveryScheduled,
    EventCorrected,
    EventRetracted,
    FigureReported,
    JointVentureEstablished,
    NoteRecorded,
    PartyDeclared,
    ProductionPlanned,
    ProductionRecorded,
    ScheduleRevised,
)
from tracker.domain.fold import evolve
from tracker.domain.invariants import check_contract, check_joint_venture, would_be
from tracker.domain.lookup import Lookup, agreement_of, contract_of, joint_venture_of
from tracker.domain.milestone_match import match
from tracker.domain.party_rules import check_contract_parties, check_declaration, resolve_contract
from tracker.domain.refs import split_stream
from tracker.domain.sources import link_problem
from tracker.domain.state import ContractState, JointVentureState, NotesState, StreamState
from tracker.errors import DomainError


@dataclass(slots=True)
class _At:
    """When a rule runs; as what the event will be recorded and, once the rules have worked
    it out, the state of its stream after it (each when known)."""

    today: date
    recorded: Recorded | None = None
    after: StreamState | None = None


Rule = Callable[[Any, Lookup, _At], None]


def check(
    event: DomainEvent, lookup: Lookup, today: date, *, recorded: Recorded | None = None
) -> None:
    """Raise DomainError if ``event`` may not be appended given the log behind ``lookup``.

    ``recorded`` is the event as it will be recorded (its id, stream and position), when the
    caller knows it: a state worked out as it would be after the event then holds the very
    fact the log will, rather than a placeholder (see ``check_and_fold``).
    """
    _linked(event)
    _world_dates(event)
    _RULES[type(event)](event, lookup, _At(today, recorded))


def check_and_fold(recorded: Recorded, lookup: Lookup, today: date) -> StreamState | None:
    """``check`` the recorded event, then return its stream's state after it.

    Where the rules had to work that state out to check the event (a delivery against the
    number ordered, say), it is returned as it is rather than folded a second time.
    """
    at = _At(today, recorded)
    _linked(recorded.event)
    _world_dates(recorded.event)
    _RULES[type(recorded.event)](recorded.event, lookup, at)
    if at.after is not None:
        return at.after
    return evolve(lookup.state(recorded.stream_id), recorded)


def decide(event: DomainEvent, lookup: Lookup, *, stored: DomainEvent | None = None) -> DomainEvent:
    """``event`` as it is to be recorded: an unlabelled delivery to a contract with a
    schedule carries the milestones it is matched to (see milestone_match.match).

    ``stored``: the event already recorded under the same id (a retry), which keeps the
    match decided when it was first logged.
    """
    if isinstance(event, ContractSigned):
        return resolve_contract(event, lookup)  # names as resolved, spellings kept beside
    if not isinstance(event, DeliveryRecorded) or event.label is not None or event.unscheduled:
        return event
    if stored is not None:
        matched = stored.matched if isinstance(stored, DeliveryRecorded) else None
        return event.model_copy(update={"matched": matched})
    state = contract_of(lookup, event.contract)
    return event if state is None else match(state, event)


def _linked(event: DomainEvent) -> None:
    """A source's url is a link: checked on the way in, so old rows still read back."""
    for source in event.sources:
        if source.url is not None and (problem := link_problem(source.url, "Source url")):
            raise DomainError(problem)


# --- existence --------------------------------------------------------------------------


def need_contract(lookup: Lookup, ref: str) -> ContractState:
    if (state := contract_of(lookup, ref)) is None:
        raise DomainError(f"No contract '{ref}'")
    return state


def need_joint_venture(lookup: Lookup, ref: str) -> JointVentureState:
    if (state := joint_venture_of(lookup, ref)) is None:
        raise DomainError(f"No joint venture '{ref}'")
    return state


def _new_stream(lookup: Lookup, stream_id: str, what: str, ref: str) -> None:
    state = lookup.state(stream_id)
    if state is not None and not isinstance(state, NotesState):
        raise DomainError(f"{what} '{ref}' already exists")


# --- single-event checks ----------------------------------------------------------------


def _positive(n: int | None, what: str, ref: str) -> None:
    if n is not None and n <= 0:
        raise DomainError(f"{what} for {ref} must be a positive whole number, not {n}")


def _not_future(when: FuzzyDate, what: str, ref: str, today: date) -> None:
    # 'by 2027' may already have happened; '2027' cannot have.
    if not when.possibly_by(today):
        raise DomainError(f"{what} {ref} dated {when} has not happened yet (today is {today})")


def _not_after_cancellation(state: ContractState, when: FuzzyDate, what: str) -> None:
    cancelled = contracts.cancellation(state)
    if cancelled is not None and not when.possibly_by(cancelled.event.occurred.latest):
        raise DomainError(
            f"Contract '{state.contract.reference}' was cancelled in"
            f" {cancelled.event.occurred}; no {what} can be recorded after that"
        )


def _not_cancelled(state: ContractState) -> None:
    if contracts.cancellation(state) is not None:
        raise DomainError(f"Contract '{state.contract.reference}' is cancelled")


# --- one rule per event type ------------------------------------------------------------


def _contract_signed(e: ContractSigned, lookup: Lookup, at: _At) -> None:
    _new_stream(lookup, e.stream(), "Contract", e.reference)
    if e.quantity is not None:
        _positive(e.quantity, "Quantity ordered", e.reference)
    if e.value is not None and e.value.amount <= 0:
        raise DomainError(f"Value of {e.reference} must be positive, not {e.value.human()}")
    if e.joint_venture is not None:
        need_joint_venture(lookup, e.joint_venture)
    if e.agreement is not None and agreement_of(lookup, e.agreement) is None:
        raise DomainError(f"No agreement '{e.agreement}'")
    check_contract_parties(e, lookup)


def _amended(e: ContractAmended, lookup: Lookup, at: _At) -> None:
    state = need_contract(lookup, e.contract)
    _not_cancelled(state)
    _positive(e.quantity, "Quantity ordered", e.contract)
    _contract_invariants(state, e, at)


def _cancelled(e: ContractCancelled, lookup: Lookup, at: _At) -> None:
    state = need_contract(lookup, e.contract)
    if contracts.cancellation(state) is not None:
        raise DomainError(f"Contract '{e.contract}' is already cancelled")


def _figure(e: FigureReported, lookup: Lookup, at: _At) -> None:
    need_contract(lookup, e.contract)
    _positive(e.quantity, "Reported quantity", e.contract)


def _scheduled(e: DeliveryScheduled, lookup: Lookup, at: _At) -> None:
    """A milestone already scheduled takes a schedule only as its earlier, first plan (one
    found after the later promises): schedules and revisions count in world order."""
    state = need_contract(lookup, e.contract)
    first = {t.label: t.history[0].reported for t in contracts.milestones(state)}
    for m in e.milestones:
        _positive(m.quantity, f"Milestone '{m.label}'", e.contract)
        _due_date(m.due, f"Milestone '{m.label}'", e.contract)
        if m.label in first and not e.occurred.sort_key < first[m.label].sort_key:
            raise DomainError(
                f"Milestone '{m.label}' is already scheduled for {e.contract} (first planned"
                f" {first[m.label].human()}); record a revision instead, or date this"
                " schedule before that first plan"
            )


def _due_date(due: FuzzyDate, what: str, ref: str) -> None:
    if due.is_unknown:
        raise DomainError(f"{what} of {ref} needs a due date, not 'unknown'")


def _counted_when(e: DeliveryRecorded | ProductionRecorded, what: str) -> None:
    # Running totals and rates need a day to count a figure at; an undated report has one
    # only from a dated source.
    counted = e.quantity is not None or e.cumulative_total is not None
    if counted and e.occurred.is_unknown and e.occurred.latest == NO_BOUND:
        raise DomainError(
            f"{what} {e.contract} with a figure and no date needs a source with a publication"
            " date (--published): its figure counts from that day"
        )


def _world_dates(event: DomainEvent) -> None:
    """A relative date ('+24 months after signing') is only ever a milestone's due date."""
    for name in type(event).model_fields:
        value = getattr(event, name)
        if isinstance(value, FuzzyDate) and value.is_relative:
            if name == "due" and isinstance(event, ScheduleRevised):
                continue
            raise DomainError(
                f"{name} of {event.type} cannot be relative ('{value}'): a date relative to"
                " another event is allowed only as a milestone's due date"
            )
        if isinstance(value, FuzzyDate) and value.is_unknown and name != "occurred":
            raise DomainError(f"{name} of {event.type} cannot be 'unknown'")


def _revised(e: ScheduleRevised, lookup: Lookup, at: _At) -> None:
    state = need_contract(lookup, e.contract)
    _positive(e.quantity, f"Milestone '{e.milestone}'", e.contract)
    _due_date(e.due, f"Milestone '{e.milestone}'", e.contract)
    _milestone_exists(state, e.milestone)


def _milestone_exists(state: ContractState, label: str) -> None:
    if label not in {t.label for t in contracts.milestones(state)}:
        raise DomainError(f"No milestone '{label}' in the schedule of {state.contract.reference}")


def _delivered(e: DeliveryRecorded, lookup: Lookup, at: _At) -> None:
    state = need_contract(lookup, e.contract)
    _delivery_checks(state, e, at.today)
    _scheduled_label(state, e)
    _contract_invariants(state, e, at)


def _scheduled_label(state: ContractState, e: DeliveryRecorded) -> None:
    """A label names a milestone of the schedule, unless the delivery is unscheduled (a
    contract without a schedule takes any label)."""
    if e.label is None or e.unscheduled:
        return
    labels = [t.label for t in contracts.milestones(state)]
    if labels and e.label not in labels:
        has = ", ".join(f"'{label}'" for label in labels)
        raise DomainError(
            f"No milestone '{e.label}' in the schedule of {e.contract} (it has {has});"
            " for a delivery outside the schedule, give --unscheduled"
        )


def _delivery_checks(state: ContractState, e: DeliveryRecorded, today: date) -> None:
    _positive(e.quantity, "Delivered quantity", e.contract)
    _positive(e.cumulative_total, "Cumulative delivered", e.contract)
    _not_future(e.occurred, "Delivery to", e.contract, today)
    _counted_when(e, "A delivery to")
    _not_after_cancellation(state, e.occurred, "delivery")


def _established(e: JointVentureEstablished, lookup: Lookup, at: _At) -> None:
    _new_stream(lookup, e.stream(), "Joint venture", e.reference)
    if (total := sum(e.partners.values())) != 100:
        raise DomainError(f"Shares of joint venture '{e.reference}' sum to {total}, not 100")


def _produced(e: ProductionRecorded, lookup: Lookup, at: _At) -> None:
    jv = need_joint_venture(lookup, e.joint_venture)
    need_contract(lookup, e.contract)
    _production_checks(e, at.today)
    _jv_invariants(jv, e, at)


def _production_checks(e: ProductionRecorded, today: date) -> None:
    _positive(e.quantity, "Produced quantity", e.contract)
    _positive(e.cumulative_total, "Cumulative produced", e.contract)
    _not_future(e.occurred, "Production for", e.contract, today)
    _counted_when(e, "Production for")


def _production_planned(e: ProductionPlanned, lookup: Lookup, at: _At) -> None:
    need_joint_venture(lookup, e.joint_venture)
    need_contract(lookup, e.contract)
    _positive(e.rate_per_month, "Planned monthly rate", e.contract)
    _positive(e.quantity, "Planned quantity", e.contract)


def _agreement_signed(e: AgreementSigned, lookup: Lookup, at: _At) -> None:
    _new_stream(lookup, e.stream(), "Agreement", e.reference)


def _extended(e: AgreementExtended, lookup: Lookup, at: _At) -> None:
    if agreement_of(lookup, e.reference) is None:
        raise DomainError(f"No agreement '{e.reference}'")


def _note(e: NoteRecorded, lookup: Lookup, at: _At) -> None:
    kind, ref = split_stream(e.subject)
    if kind == "contract":
        need_contract(lookup, ref)
    elif kind == "jv":
        need_joint_venture(lookup, ref)
    elif kind == "agreement" and agreement_of(lookup, ref) is None:
        raise DomainError(f"No agreement '{ref}'")


def _party_declared(e: PartyDeclared, lookup: Lookup, at: _At) -> None:
    check_declaration(e, lookup)


# --- corrections and retractions --------------------------------------------------------


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


def _corrected(e: EventCorrected, lookup: Lookup, at: _At) -> None:
    state, current = _target(lookup, e.target_event_id, "corrected")
    if state.is_retracted(e.target_event_id):
        raise DomainError(f"Event '{e.target_event_id}' is retracted and cannot be corrected")
    fixed = apply_changes(current, e.changes, e.target_event_id)
    _world_dates(fixed)
    if isinstance(fixed, ScheduleRevised) and isinstance(state, ContractState):
        _milestone_exists(state, fixed.milestone)
    if isinstance(fixed, DeliveryRecorded) and isinstance(state, ContractState):
        _delivery_checks(state, fixed, at.today)
        if "matched" in e.changes:
            raise DomainError(
                f"Cannot correct 'matched' of event '{e.target_event_id}': the match is"
                " decided when a delivery is logged; correct its label instead"
            )
        if {"label", "unscheduled"} & e.changes.keys():
            _scheduled_label(state, fixed)
    if isinstance(fixed, ProductionRecorded):
        _production_checks(fixed, at.today)
    _after_fix(state, e, at)


def _retracted(e: EventRetracted, lookup: Lookup, at: _At) -> None:
    state, _ = _target(lookup, e.target_event_id, "retracted")
    if state.is_retracted(e.target_event_id):
        raise DomainError(f"Event '{e.target_event_id}' is already retracted")
    _after_fix(state, e, at)


def _after_fix(state: StreamState, e: DomainEvent, at: _At) -> None:
    if isinstance(state, ContractState) and not state.withdrawn:
        _contract_invariants(state, e, at)
    elif isinstance(state, JointVentureState):
        _jv_invariants(state, e, at)


def _contract_invariants(state: ContractState, e: DomainEvent, at: _At) -> None:
    after = _would_be(state, e, at)
    if isinstance(after, ContractState) and not after.withdrawn:
        check_contract(state, after, e)


def _jv_invariants(state: JointVentureState, e: DomainEvent, at: _At) -> None:
    after = _would_be(state, e, at)
    if isinstance(after, JointVentureState):
        check_joint_venture(state, after)


def _would_be(state: StreamState, e: DomainEvent, at: _At) -> StreamState:
    rec = at.recorded
    if (
        rec is not None
        and rec.event is e
        and rec.stream_id == state.stream_id
        and rec.stream_version == state.version + 1
    ):
        # The event as it will be recorded, on the current state of its own stream.
        at.after = would_be(state, e, state.stream_id, at.today, rec)
        return at.after
    return would_be(state, e, state.stream_id, at.today)


_RULES: dict[type[DomainEvent], Rule] = {
    ContractSigned: _contract_signed,
    ContractAmended: _amended,
    ContractCancelled: _cancelled,
    FigureReported: _figure,
    DeliveryScheduled: _scheduled,
    ScheduleRevised: _revised,
    DeliveryRecorded: _delivered,
    JointVentureEstablished: _established,
    ProductionRecorded: _produced,
    ProductionPlanned: _production_planned,
    AgreementSigned: _agreement_signed,
    AgreementExtended: _extended,
    NoteRecorded: _note,
    PartyDeclared: _party_declared,
    EventCorrected: _corrected,
    EventRetracted: _retracted,
}

"""Business rules, checked before an event is appended: ``check`` raises DomainError or passes.

One rule per event type; the checks they are made of are in parts.py, the rules for
corrections and retractions and the invariants every change keeps in fixes.py. A rule
returns its stream's state after the event when it had to work it out (a delivery checked
against the number ordered, say), so that ``check_and_fold`` need not fold it again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from tracker.domain.events.catalogue import (
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
from tracker.domain.events.event_base import DomainEvent
from tracker.domain.figures import contracts
from tracker.domain.rules.fixes import contract_invariants, corrected, jv_invariants, retracted
from tracker.domain.rules.lookup import Lookup, agreement_of, contract_of
from tracker.domain.rules.milestone_match import match
from tracker.domain.rules.parts import (
    At,
    delivery_checks,
    due_date,
    linked,
    milestone_exists,
    need_contract,
    need_joint_venture,
    new_stream,
    not_cancelled,
    positive,
    production_checks,
    scheduled_label,
    world_dates,
)
from tracker.domain.rules.party_rules import (
    check_contract_parties,
    check_declaration,
    resolve_contract,
)
from tracker.domain.state.envelope import Recorded
from tracker.domain.state.fold import evolve
from tracker.domain.state.state import StreamState
from tracker.domain.values.refs import split_stream
from tracker.errors import DomainError

__all__ = ["check", "check_and_fold", "decide", "need_contract", "need_joint_venture"]

#: A rule: raises DomainError, else returns the stream's state after the event when it
#: worked it out as the log will hold it (None: it did not).
Rule = Callable[[Any, Lookup, At], StreamState | None]


def check(
    event: DomainEvent, lookup: Lookup, today: date, *, recorded: Recorded | None = None
) -> None:
    """Raise DomainError if ``event`` may not be appended given the log behind ``lookup``.

    ``recorded`` is the event as it will be recorded (its id, stream and position), when the
    caller knows it: a state worked out as it would be after the event then holds the very
    fact the log will, rather than a placeholder (see ``check_and_fold``).
    """
    _run(event, lookup, At(today, recorded))


def check_and_fold(recorded: Recorded, lookup: Lookup, today: date) -> StreamState | None:
    """``check`` the recorded event, then return its stream's state after it.

    Where the rules had to work that state out to check the event (a delivery against the
    number ordered, say), it is returned as it is rather than folded a second time.
    """
    after = _run(recorded.event, lookup, At(today, recorded))
    if after is not None:
        return after
    return evolve(lookup.state(recorded.stream_id), recorded)


def _run(event: DomainEvent, lookup: Lookup, at: At) -> StreamState | None:
    linked(event)
    world_dates(event)
    return _RULES[type(event)](event, lookup, at)


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


# --- one rule per event type ------------------------------------------------------------


def _contract_signed(e: ContractSigned, lookup: Lookup, at: At) -> None:
    new_stream(lookup, e.stream(), "Contract", e.reference)
    if e.quantity is not None:
        positive(e.quantity, "Quantity ordered", e.reference)
    if e.value is not None and e.value.amount <= 0:
        raise DomainError(f"Value of {e.reference} must be positive, not {e.value.human()}")
    if e.joint_venture is not None:
        need_joint_venture(lookup, e.joint_venture)
    if e.agreement is not None and agreement_of(lookup, e.agreement) is None:
        raise DomainError(f"No agreement '{e.agreement}'")
    check_contract_parties(e, lookup)


def _amended(e: ContractAmended, lookup: Lookup, at: At) -> StreamState | None:
    state = need_contract(lookup, e.contract)
    not_cancelled(state)
    positive(e.quantity, "Quantity ordered", e.contract)
    return contract_invariants(state, e, at)


def _cancelled(e: ContractCancelled, lookup: Lookup, at: At) -> None:
    state = need_contract(lookup, e.contract)
    if contracts.cancellation(state) is not None:
        raise DomainError(f"Contract '{e.contract}' is already cancelled")


def _figure(e: FigureReported, lookup: Lookup, at: At) -> None:
    need_contract(lookup, e.contract)
    positive(e.quantity, "Reported quantity", e.contract)


def _scheduled(e: DeliveryScheduled, lookup: Lookup, at: At) -> None:
    """A milestone already scheduled takes a schedule only as its earlier, first plan (one
    found after the later promises): schedules and revisions count in world order."""
    state = need_contract(lookup, e.contract)
    first = {t.label: t.history[0].reported for t in contracts.milestones(state)}
    for m in e.milestones:
        positive(m.quantity, f"Milestone '{m.label}'", e.contract)
        due_date(m.due, f"Milestone '{m.label}'", e.contract)
        if m.label in first and not e.occurred.sort_key < first[m.label].sort_key:
            raise DomainError(
                f"Milestone '{m.label}' is already scheduled for {e.contract} (first planned"
                f" {first[m.label].human()}); record a revision instead, or date this"
                " schedule before that first plan"
            )


def _revised(e: ScheduleRevised, lookup: Lookup, at: At) -> None:
    state = need_contract(lookup, e.contract)
    positive(e.quantity, f"Milestone '{e.milestone}'", e.contract)
    due_date(e.due, f"Milestone '{e.milestone}'", e.contract)
    milestone_exists(state, e.milestone)


def _delivered(e: DeliveryRecorded, lookup: Lookup, at: At) -> StreamState | None:
    state = need_contract(lookup, e.contract)
    delivery_checks(state, e, at.today)
    scheduled_label(state, e)
    return contract_invariants(state, e, at)


def _established(e: JointVentureEstablished, lookup: Lookup, at: At) -> None:
    new_stream(lookup, e.stream(), "Joint venture", e.reference)
    if (total := sum(e.partners.values())) != 100:
        raise DomainError(f"Shares of joint venture '{e.reference}' sum to {total}, not 100")


def _produced(e: ProductionRecorded, lookup: Lookup, at: At) -> StreamState | None:
    jv = need_joint_venture(lookup, e.joint_venture)
    need_contract(lookup, e.contract)
    production_checks(e, at.today)
    return jv_invariants(jv, e, at)


def _production_planned(e: ProductionPlanned, lookup: Lookup, at: At) -> None:
    need_joint_venture(lookup, e.joint_venture)
    need_contract(lookup, e.contract)
    positive(e.rate_per_month, "Planned monthly rate", e.contract)
    positive(e.quantity, "Planned quantity", e.contract)


def _agreement_signed(e: AgreementSigned, lookup: Lookup, at: At) -> None:
    new_stream(lookup, e.stream(), "Agreement", e.reference)


def _extended(e: AgreementExtended, lookup: Lookup, at: At) -> None:
    if agreement_of(lookup, e.reference) is None:
        raise DomainError(f"No agreement '{e.reference}'")


def _note(e: NoteRecorded, lookup: Lookup, at: At) -> None:
    kind, ref = split_stream(e.subject)
    if kind == "contract":
        need_contract(lookup, ref)
    elif kind == "jv":
        need_joint_venture(lookup, ref)
    elif kind == "agreement" and agreement_of(lookup, ref) is None:
        raise DomainError(f"No agreement '{ref}'")


def _party_declared(e: PartyDeclared, lookup: Lookup, at: At) -> None:
    check_declaration(e, lookup)


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
    EventCorrected: corrected,
    EventRetracted: retracted,
}

"""The checks the rules are made of: on one event's own fields, and on one state.

Each message names the contract (or event) and the figures, so that the one line the CLI
prints says what is wrong. Checks that pydantic already enforces (positive quantities) are
made again, because an event can be built without validation (``model_construct``).
"""

from __future__ import annotations

import functools
import types
import typing
from dataclasses import dataclass
from datetime import date
from typing import Any

from tracker.domain.events.catalogue import DeliveryRecorded, ProductionRecorded, ScheduleRevised
from tracker.domain.events.event_base import DomainEvent
from tracker.domain.figures import contracts
from tracker.domain.rules.lookup import Lookup, contract_of, joint_venture_of
from tracker.domain.state.envelope import Recorded
from tracker.domain.state.state import ContractState, JointVentureState, NotesState
from tracker.domain.values.dates import NO_BOUND, FuzzyDate, Precision
from tracker.domain.values.sources import link_problem
from tracker.errors import DomainError


@dataclass(frozen=True, slots=True)
class At:
    """When a rule runs, and as what the event will be recorded (when known)."""

    today: date
    recorded: Recorded | None = None


# --- every event ------------------------------------------------------------------------


def linked(event: DomainEvent) -> None:
    """A source's url is a link: checked on the way in, so old rows still read back."""
    for source in event.sources:
        if source.url is not None and (problem := _link_problem(source.url)):
            raise DomainError(problem)


@functools.lru_cache(maxsize=1024)
def _link_problem(url: str) -> str | None:
    # An import cites one release in every event: its url is looked at once.
    return link_problem(url, "Source url")


def world_dates(event: DomainEvent) -> None:
    """A relative date ('+24 months after signing') is only ever a milestone's due date."""
    for name in _date_fields(type(event)):
        value = getattr(event, name)
        if not isinstance(value, FuzzyDate):
            continue
        # value.is_relative and value.is_unknown, read once (every event has a date).
        precision = value.precision
        if precision is Precision.RELATIVE:
            if name == "due" and isinstance(event, ScheduleRevised):
                continue
            raise DomainError(
                f"{name} of {event.type} cannot be relative ('{value}'): a date relative to"
                " another event is allowed only as a milestone's due date"
            )
        if precision is Precision.UNKNOWN and name != "occurred":
            raise DomainError(f"{name} of {event.type} cannot be 'unknown'")


@functools.cache
def _date_fields(cls: type[DomainEvent]) -> tuple[str, ...]:
    """The fields of ``cls`` whose value can be a FuzzyDate, in declaration order."""
    return tuple(name for name, info in cls.model_fields.items() if _may_hold(info.annotation))


def _may_hold(annotation: Any) -> bool:
    """Whether a value of this annotation can be a FuzzyDate (a tuple of them is not one)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _may_hold(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return any(_may_hold(a) for a in typing.get_args(annotation))
    if annotation is Any or isinstance(annotation, typing.TypeVar):
        return True
    return isinstance(annotation, type) and origin is None and issubclass(FuzzyDate, annotation)


def positive(n: int | None, what: str, ref: str) -> None:
    if n is not None and n <= 0:
        raise DomainError(f"{what} for {ref} must be a positive whole number, not {n}")


def due_date(due: FuzzyDate, what: str, ref: str) -> None:
    if due.is_unknown:
        raise DomainError(f"{what} of {ref} needs a due date, not 'unknown'")


# --- existence --------------------------------------------------------------------------


def need_contract(lookup: Lookup, ref: str) -> ContractState:
    if (state := contract_of(lookup, ref)) is None:
        raise DomainError(f"No contract '{ref}'")
    return state


def need_joint_venture(lookup: Lookup, ref: str) -> JointVentureState:
    if (state := joint_venture_of(lookup, ref)) is None:
        raise DomainError(f"No joint venture '{ref}'")
    return state


def new_stream(lookup: Lookup, stream_id: str, what: str, ref: str) -> None:
    state = lookup.state(stream_id)
    if state is not None and not isinstance(state, NotesState):
        raise DomainError(f"{what} '{ref}' already exists")


# --- a contract's schedule, deliveries and production -----------------------------------


def _labels(state: ContractState) -> set[str]:
    """The labels of the contract's milestones: those its schedules name (as
    ``contracts.milestones`` has them, without working out their due dates)."""
    return {m.label for fact in state.schedules for m in fact.event.milestones}


def milestone_exists(state: ContractState, label: str) -> None:
    if label not in _labels(state):
        raise DomainError(f"No milestone '{label}' in the schedule of {state.contract.reference}")


def scheduled_label(state: ContractState, e: DeliveryRecorded) -> None:
    """A label names a milestone of the schedule, unless the delivery is unscheduled (a
    contract without a schedule takes any label)."""
    if e.label is None or e.unscheduled:
        return
    labels = _labels(state)
    if labels and e.label not in labels:
        has = ", ".join(f"'{t.label}'" for t in contracts.milestones(state))
        raise DomainError(
            f"No milestone '{e.label}' in the schedule of {e.contract} (it has {has});"
            " for a delivery outside the schedule, give --unscheduled"
        )


def delivery_checks(state: ContractState, e: DeliveryRecorded, today: date) -> None:
    positive(e.quantity, "Delivered quantity", e.contract)
    positive(e.cumulative_total, "Cumulative delivered", e.contract)
    _not_future(e.occurred, "Delivery to", e.contract, today)
    _counted_when(e, "A delivery to")
    not_after_cancellation(state, e.occurred, "delivery")


def production_checks(e: ProductionRecorded, today: date) -> None:
    positive(e.quantity, "Produced quantity", e.contract)
    positive(e.cumulative_total, "Cumulative produced", e.contract)
    _not_future(e.occurred, "Production for", e.contract, today)
    _counted_when(e, "Production for")


def _not_future(when: FuzzyDate, what: str, ref: str, today: date) -> None:
    # 'by 2027' may already have happened; '2027' cannot have.
    if not when.possibly_by(today):
        raise DomainError(f"{what} {ref} dated {when} has not happened yet (today is {today})")


def _counted_when(e: DeliveryRecorded | ProductionRecorded, what: str) -> None:
    # Running totals and rates need a day to count a figure at; an undated report has one
    # only from a dated source.
    counted = e.quantity is not None or e.cumulative_total is not None
    if counted and e.occurred.is_unknown and e.occurred.latest == NO_BOUND:
        raise DomainError(
            f"{what} {e.contract} with a figure and no date needs a source with a publication"
            " date (--published): its figure counts from that day"
        )


def not_after_cancellation(state: ContractState, when: FuzzyDate, what: str) -> None:
    cancelled = contracts.cancellation(state)
    if cancelled is not None and not when.possibly_by(cancelled.event.occurred.latest):
        raise DomainError(
            f"Contract '{state.contract.reference}' was cancelled in"
            f" {cancelled.event.occurred}; no {what} can be recorded after that"
        )


def not_cancelled(state: ContractState) -> None:
    if contracts.cancellation(state) is not None:
        raise DomainError(f"Contract '{state.contract.reference}' is cancelled")

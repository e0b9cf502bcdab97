"""evolve: one recorded event applied to its stream's state; fold: a log into states.

evolve never mutates its input. A new fact costs one shallow model copy and one tuple
append, so replaying a long log stays cheap. Corrections and retractions are honoured here,
from the facts the state holds, without going back to the log.

Events about a stream that does not exist yet (a figure reported before the signing, seen
when folding only the events that had occurred by some day) leave the state as it is; the
rules refuse such events at append time, so a full log never relies on this.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from pydantic import BaseModel

from tracker.domain.events.catalogue import (
    EVENT_TYPES,
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
from tracker.domain.events.trusted import construct
from tracker.domain.rules.corrections import apply_changes
from tracker.domain.state.envelope import Recorded
from tracker.domain.state.state import (
    AgreementState,
    ContractState,
    Fact,
    JointVentureState,
    NotesState,
    PartiesState,
    StreamState,
)
from tracker.errors import DomainError

Handler = Callable[[StreamState | None, Recorded], StreamState | None]

# Built once: pydantic's parametrised Fact[X] classes, one per event type.
_FACT = {cls: Fact[cls] for cls in EVENT_TYPES.values()}  # type: ignore[valid-type]

_FACT_FIELDS_SET = {"event_id", "position", "event"}

# The state class and field each non-creating event is kept in.
_FIELD_OF: dict[type[DomainEvent], tuple[type[StreamState], str]] = {
    ContractAmended: (ContractState, "amendments"),
    ContractCancelled: (ContractState, "cancellations"),
    FigureReported: (ContractState, "figures"),
    DeliveryScheduled: (ContractState, "schedules"),
    ScheduleRevised: (ContractState, "revisions"),
    DeliveryRecorded: (ContractState, "deliveries"),
    ProductionRecorded: (JointVentureState, "production"),
    ProductionPlanned: (JointVentureState, "plans"),
    AgreementExtended: (AgreementState, "extensions"),
}

# The state class each creating event starts.
_CREATES: dict[type[DomainEvent], type[StreamState]] = {
    ContractSigned: ContractState,
    JointVentureEstablished: JointVentureState,
    AgreementSigned: AgreementState,
}


def fact_of(recorded: Recorded) -> Fact[Any]:
    """The fact a recorded event contributes, tagged with its id and position."""
    return construct(
        _FACT[type(recorded.event)],
        {"event_id": recorded.event_id, "position": recorded.position, "event": recorded.event},
        _FACT_FIELDS_SET,
    )


def evolve(state: StreamState | None, recorded: Recorded) -> StreamState | None:
    """The state of ``recorded.stream_id`` after ``recorded``; ``state`` is left untouched."""
    event = recorded.event
    kind = type(event)
    if kind in _FIELD_OF:
        return _add(state, recorded, *_FIELD_OF[kind])
    if kind in _CREATES:
        return _create(state, recorded, _CREATES[kind])
    if kind is NoteRecorded:
        return _note(state, recorded)
    if kind is PartyDeclared:
        return _declared(state, recorded)
    if kind is EventCorrected:
        return _correct(state, recorded)
    if kind is EventRetracted:
        return _retract(state, recorded)
    raise DomainError(f"No fold for event type '{event.type}'")


def fold(records: Iterable[Recorded]) -> dict[str, StreamState]:
    """Every stream's state after ``records``, applied in the order given (log order)."""
    states: dict[str, StreamState] = {}
    for recorded in records:
        new = evolve(states.get(recorded.stream_id), recorded)
        if new is not None:
            states[recorded.stream_id] = new
    return states


def _create(state: StreamState | None, rec: Recorded, cls: type[StreamState]) -> StreamState:
    if state is not None and not isinstance(state, NotesState):
        raise DomainError(f"Stream '{rec.stream_id}' already exists; it cannot be created again")
    assert cls.root is not None
    values: dict[str, Any] = {
        "stream_id": rec.stream_id,
        "version": rec.stream_version,
        cls.root: fact_of(rec),
    }
    if state is not None:
        values.update(notes=state.notes, retracted=state.retracted)
    fields_set = set(values)
    return construct(cls, {**_defaults(cls), **values}, fields_set)


@functools.cache
def _defaults(cls: type[StreamState]) -> dict[str, Any]:
    """The default of every optional field (all immutable: tuples, literals, None)."""
    return {
        name: info.get_default(call_default_factory=True)
        for name, info in cls.model_fields.items()
        if not info.is_required()
    }


def _add(
    state: StreamState | None, rec: Recorded, cls: type[StreamState], field: str
) -> StreamState | None:
    if not isinstance(state, cls):
        return _bump(state, rec)
    return _copy(
        state, {field: (*getattr(state, field), fact_of(rec)), "version": rec.stream_version}
    )


def _note(state: StreamState | None, rec: Recorded) -> StreamState:
    if state is None:
        return NotesState.model_construct(
            stream_id=rec.stream_id, version=rec.stream_version, notes=(fact_of(rec),)
        )
    return _copy(state, {"notes": (*state.notes, fact_of(rec)), "version": rec.stream_version})


def _declared(state: StreamState | None, rec: Recorded) -> StreamState | None:
    if state is None:
        return PartiesState.model_construct(
            stream_id=rec.stream_id, version=rec.stream_version, declared=(fact_of(rec),)
        )
    return _add(state, rec, PartiesState, "declared")


def evolve_corrected(
    state: StreamState | None, recorded: Recorded, target: DomainEvent, fixed: DomainEvent
) -> StreamState | None:
    """``evolve(state, recorded)`` for a correction whose target, as ``target``, the caller
    has corrected already into ``fixed`` (the rules do, to check it): not validated again."""
    return _correct(state, recorded, (target, fixed))


def _correct(
    state: StreamState | None, rec: Recorded, known: tuple[DomainEvent, DomainEvent] | None = None
) -> StreamState | None:
    event = rec.event
    assert isinstance(event, EventCorrected)
    if state is None or state.is_retracted(event.target_event_id):
        return _bump(state, rec)
    found = state.find(event.target_event_id)
    if found is None:
        return _bump(state, rec)
    if known is not None and known[0] is found.event:
        fixed = known[1]
    else:
        fixed = apply_changes(found.event, event.changes, found.event_id)
    return _replace(state, found.event_id, _copy(found, {"event": fixed}), rec)


def _retract(state: StreamState | None, rec: Recorded) -> StreamState | None:
    event = rec.event
    assert isinstance(event, EventRetracted)
    target = event.target_event_id
    if state is None or state.is_retracted(target) or state.find(target) is None:
        return _bump(state, rec)
    # A retracted root stays (the stream still exists in the log) but is marked withdrawn.
    new = _replace(state, target, None, rec) if _root_id(state) != target else state
    return _copy(new, {"retracted": (*state.retracted, target), "version": rec.stream_version})


def _replace(
    state: StreamState, event_id: str, fact: Fact[Any] | None, rec: Recorded
) -> StreamState:
    """``state`` with the fact of ``event_id`` replaced by ``fact`` (or dropped if None)."""
    update: dict[str, Any] = {"version": rec.stream_version}
    root = type(state).root
    if root and getattr(state, root).event_id == event_id and fact is not None:
        update[root] = fact
    for name in type(state).fact_fields:
        facts = getattr(state, name)
        if any(f.event_id == event_id for f in facts):
            kept = (fact if f.event_id == event_id else f for f in facts)
            update[name] = tuple(f for f in kept if f is not None)
    return _copy(state, update)


def _root_id(state: StreamState) -> str | None:
    root = type(state).root
    return getattr(state, root).event_id if root else None


def _bump(state: StreamState | None, rec: Recorded) -> StreamState | None:
    if state is None:
        return None
    return _copy(state, {"version": rec.stream_version})


# --- the hot path -----------------------------------------------------------------------
# pydantic's model_copy and model_construct cost about 2 µs each (copy.copy, defaults,
# field loops); a replay does one of each per event. _copy and trusted.construct build the
# same instance from trusted values in under 1 µs. tests/unit/test_fold.py checks they
# still equal model_copy / model_construct, in case pydantic's instance layout changes.

_M = TypeVar("_M", bound=BaseModel)


def _copy(model: _M, update: dict[str, Any]) -> _M:
    """``model.model_copy(update=update)`` without its generic machinery."""
    values = model.__dict__.copy()
    values.update(update)
    fields_set = model.__pydantic_fields_set__
    if not update.keys() <= fields_set:
        fields_set = fields_set | update.keys()
    return construct(type(model), values, fields_set)

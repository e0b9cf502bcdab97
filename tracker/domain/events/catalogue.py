"""The event catalogue: every fact the tracker records, in the past tense.

Contract events live in contract_events.py and joint-venture events (a venture, its
production and plans) in venture_events.py; both are re-exported here; EVENT_TYPES is the
registry from stored type name to class, EVENT_KINDS from `tracker log` kind to class.

Streams: ``contract:<ref>``, ``jv:<ref>``, ``agreement:<ref>``; a note goes to the stream it
is about (``topic:<slug>`` for free topics); a correction or retraction goes to the stream of
the event it targets, which only the caller can resolve (``stream_of`` returns None).
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import field_validator, model_validator

from tracker.domain.events.contract_events import (
    ContractAmended,
    ContractCancelled,
    ContractSigned,
    DeliveryRecorded,
    DeliveryScheduled,
    FigureReported,
    ScheduleRevised,
)
from tracker.domain.events.event_base import (
    Confidence,
    DomainEvent,
    Party,
    Text,
    checked,
)
from tracker.domain.events.milestones_plan import Milestone
from tracker.domain.events.venture_events import (
    JointVentureEstablished,
    ProductionPlanned,
    ProductionRecorded,
)
from tracker.domain.values.dates import FuzzyDate
from tracker.domain.values.jsonable import jsonable
from tracker.domain.values.parties import PARTIES_STREAM, party_id
from tracker.domain.values.refs import Reference, Subject, agreement_stream
from tracker.errors import TrackerError

__all__ = [
    "EVENT_KINDS",
    "EVENT_TYPES",
    "AgreementExtended",
    "AgreementSigned",
    "Confidence",
    "ContractAmended",
    "ContractCancelled",
    "ContractSigned",
    "DeliveryRecorded",
    "DeliveryScheduled",
    "DomainEvent",
    "EventCorrected",
    "EventRetracted",
    "FigureReported",
    "JointVentureEstablished",
    "Milestone",
    "NoteRecorded",
    "PartyDeclared",
    "ProductionPlanned",
    "ProductionRecorded",
    "ScheduleRevised",
    "UnknownEventTypeError",
    "build_event",
    "event_class",
    "stream_of",
]


# --- agreements -------------------------------------------------------------------------


class AgreementSigned(DomainEvent):
    """An inter-governmental agreement or programme was signed."""

    type: ClassVar[str] = "AgreementSigned"
    kind: ClassVar[str] = "agreement"
    noun: ClassVar[str] = "agreement"
    type_label: ClassVar[str] = "agreement"
    stream_fields: ClassVar[tuple[str, ...]] = ("reference",)

    reference: Reference
    title: Text
    parties: tuple[Party, ...]
    valid_from: FuzzyDate | None = None
    valid_to: FuzzyDate | None = None

    @model_validator(mode="after")
    def _window(self) -> AgreementSigned:
        _check_window(self.valid_from, self.valid_to)
        return self

    def stream(self) -> str:
        return agreement_stream(self.reference)


class AgreementExtended(DomainEvent):
    """An agreement's validity was extended (and possibly renamed, e.g. '2021-2031')."""

    type: ClassVar[str] = "AgreementExtended"
    kind: ClassVar[str] = "extend"
    noun: ClassVar[str] = "extension"
    type_label: ClassVar[str] = "agreement extended"
    stream_fields: ClassVar[tuple[str, ...]] = ("reference",)

    reference: Reference
    valid_to: FuzzyDate
    valid_from: FuzzyDate | None = None
    title: Text | None = None

    @model_validator(mode="after")
    def _window(self) -> AgreementExtended:
        _check_window(self.valid_from, self.valid_to)
        return self

    def stream(self) -> str:
        return agreement_stream(self.reference)


# --- notes and fixes --------------------------------------------------------------------


class NoteRecorded(DomainEvent):
    """Free text about a contract, joint venture, agreement or topic ('topic:caatsa')."""

    type: ClassVar[str] = "NoteRecorded"
    kind: ClassVar[str] = "note"
    noun: ClassVar[str] = "note"
    type_label: ClassVar[str] = "note"
    stream_fields: ClassVar[tuple[str, ...]] = ("subject",)

    subject: Subject
    text: Text
    tags: tuple[Text, ...] = ()

    def stream(self) -> str:
        return self.subject


class PartyDeclared(DomainEvent):
    """A company, organisation or non-state actor the closed list lacks, declared once.

    Every declaration goes to the stream ``parties:declared`` (see parties.PARTIES_STREAM):
    the rules resolve names against the closed list and all declared parties at once.
    """

    type: ClassVar[str] = "PartyDeclared"
    kind: ClassVar[str] = "party"
    noun: ClassVar[str] = "party"
    type_label: ClassVar[str] = "party declared"

    name: Text
    # Not 'kind': an event file's records use 'kind' for the kind of event.
    category: Literal["company", "organisation", "non-state"]
    country: Party | None = None
    aliases: tuple[Text, ...] = ()

    def stream(self) -> str:
        return PARTIES_STREAM

    @property
    def party_id(self) -> str:
        return party_id(self.name)


class EventCorrected(DomainEvent):
    """Named fields of an earlier event are replaced; the original stays in the log."""

    type: ClassVar[str] = "EventCorrected"
    kind: ClassVar[str] = "correct"
    noun: ClassVar[str] = "correction"
    type_label: ClassVar[str] = "correction"

    target_event_id: Text
    changes: dict[str, Any]
    reason: Text

    @field_validator("changes")
    @classmethod
    def _json_ready(cls, value: dict[str, Any]) -> dict[str, Any]:
        if not value:
            raise ValueError("a correction needs at least one changed field")
        # Stored as JSON: normalise now so that decode(encode(e)) == e.
        return {str(k): jsonable(v) for k, v in value.items()}


class EventRetracted(DomainEvent):
    """An earlier event is withdrawn: it stays in the log but no longer counts."""

    type: ClassVar[str] = "EventRetracted"
    kind: ClassVar[str] = "retract"
    noun: ClassVar[str] = "retraction"
    type_label: ClassVar[str] = "retraction"

    target_event_id: Text
    reason: Text


EVENT_TYPES: dict[str, type[DomainEvent]] = {
    cls.type: cls
    for cls in (
        AgreementSigned,
        AgreementExtended,
        ContractSigned,
        ContractAmended,
        ContractCancelled,
        FigureReported,
        DeliveryScheduled,
        ScheduleRevised,
        DeliveryRecorded,
        JointVentureEstablished,
        ProductionRecorded,
        ProductionPlanned,
        NoteRecorded,
        PartyDeclared,
        EventCorrected,
        EventRetracted,
    )
}
#: Each event class by its `tracker log` subcommand and event-file "kind", in catalogue order.
EVENT_KINDS: dict[str, type[DomainEvent]] = {cls.kind: cls for cls in EVENT_TYPES.values()}


def stream_of(event: DomainEvent) -> str | None:
    """The stream id an event is appended to; None for corrections and retractions."""
    return event.stream()


class UnknownEventTypeError(TrackerError):
    """A stored or typed event type name that this code does not know."""


def event_class(event_type: str) -> type[DomainEvent]:
    """The class stored under ``event_type``; an unknown name is an error naming it."""
    try:
        return EVENT_TYPES[event_type]
    except KeyError:
        raise UnknownEventTypeError(f"Unknown event type '{event_type}'") from None


def build_event(event_type: str, data: dict[str, Any]) -> DomainEvent:
    """Validate user-supplied fields as ``event_type``; bad input is one InvalidInputError."""
    return checked(event_class(event_type), data)


def _check_window(start: FuzzyDate | None, end: FuzzyDate | None) -> None:
    if start is not None and end is not None and end.latest < start.sort_key[0]:
        raise ValueError(f"valid_to {end} is before valid_from {start}")

"""Per-stream state: the facts a stream holds, each tagged with the event that gave it.

A state keeps the (current version of the) events themselves rather than running totals, so
that a later correction or retraction can replace or drop one fact without re-reading the
log. Figures such as 'delivered' are derived on read (see contracts.py), in world-date order.
States are frozen pydantic models: ``model_dump(mode="json")`` and ``load_state`` round-trip.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from tracker.domain.events.catalogue import (
    AgreementExtended,
    AgreementSigned,
    ContractAmended,
    ContractCancelled,
    ContractSigned,
    DeliveryRecorded,
    DeliveryScheduled,
    FigureReported,
    JointVentureEstablished,
    NoteRecorded,
    PartyDeclared,
    ProductionPlanned,
    ProductionRecorded,
    ScheduleRevised,
)
from tracker.domain.events.event_base import DomainEvent
from tracker.domain.values.refs import split_stream

E = TypeVar("E", bound=DomainEvent)


class Fact(BaseModel, Generic[E]):
    """One event's contribution to a state, with the id and position it was recorded at."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: str
    position: int
    event: E

    @property
    def world_order(self) -> tuple[tuple[date, date], int]:
        """Sorts facts by when they happened, then by when they were recorded."""
        return (self.event.occurred.sort_key, self.position)


class StreamState(BaseModel):
    """What every stream keeps: its version, notes about it and the ids retracted in it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # ``root``: the field holding the event that creates the stream (None for notes only).
    root: ClassVar[str | None] = None
    # Tuple fields of facts, each filled by one event type (see fold._FIELD_OF).
    fact_fields: ClassVar[tuple[str, ...]] = ("notes",)

    kind: str
    stream_id: str
    version: int
    notes: tuple[Fact[NoteRecorded], ...] = ()
    retracted: tuple[str, ...] = ()

    @property
    def ref(self) -> str:
        return split_stream(self.stream_id)[1]

    def is_retracted(self, event_id: str) -> bool:
        return event_id in self.retracted

    def find(self, event_id: str) -> Fact[DomainEvent] | None:
        """The live fact recorded by ``event_id``, if this stream holds one."""
        for name in self._all_fact_fields():
            value = getattr(self, name)
            for fact in value if isinstance(value, tuple) else (value,):
                if fact.event_id == event_id:
                    return fact
        return None

    @classmethod
    def _all_fact_fields(cls) -> tuple[str, ...]:
        return ((cls.root,) if cls.root else ()) + cls.fact_fields


class NotesState(StreamState):
    """A stream that so far holds only notes (a topic, or a subject not yet recorded)."""

    kind: Literal["notes"] = "notes"


class ContractState(StreamState):
    """A contract: its signing and every later fact about it."""

    root: ClassVar[str | None] = "signing"
    fact_fields: ClassVar[tuple[str, ...]] = (
        "amendments",
        "cancellations",
        "figures",
        "schedules",
        "revisions",
        "deliveries",
        "notes",
    )

    kind: Literal["contract"] = "contract"
    signing: Fact[ContractSigned]
    amendments: tuple[Fact[ContractAmended], ...] = ()
    cancellations: tuple[Fact[ContractCancelled], ...] = ()
    figures: tuple[Fact[FigureReported], ...] = ()
    schedules: tuple[Fact[DeliveryScheduled], ...] = ()
    revisions: tuple[Fact[ScheduleRevised], ...] = ()
    deliveries: tuple[Fact[DeliveryRecorded], ...] = ()

    @property
    def contract(self) -> ContractSigned:
        return self.signing.event

    @property
    def withdrawn(self) -> bool:
        """True when the signing itself was retracted: the contract no longer exists."""
        return self.signing.event_id in self.retracted


class JointVentureState(StreamState):
    """A joint venture, the production it reported and its production plans, per contract."""

    root: ClassVar[str | None] = "established"
    fact_fields: ClassVar[tuple[str, ...]] = ("production", "plans", "notes")

    kind: Literal["jv"] = "jv"
    established: Fact[JointVentureEstablished]
    production: tuple[Fact[ProductionRecorded], ...] = ()
    plans: tuple[Fact[ProductionPlanned], ...] = ()

    @property
    def venture(self) -> JointVentureEstablished:
        return self.established.event

    @property
    def withdrawn(self) -> bool:
        return self.established.event_id in self.retracted


class AgreementState(StreamState):
    """An agreement and its extensions."""

    root: ClassVar[str | None] = "signing"
    fact_fields: ClassVar[tuple[str, ...]] = ("extensions", "notes")

    kind: Literal["agreement"] = "agreement"
    signing: Fact[AgreementSigned]
    extensions: tuple[Fact[AgreementExtended], ...] = ()

    @property
    def agreement(self) -> AgreementSigned:
        return self.signing.event

    @property
    def withdrawn(self) -> bool:
        return self.signing.event_id in self.retracted


class PartiesState(StreamState):
    """The parties users declared (the one stream ``parties:declared``)."""

    fact_fields: ClassVar[tuple[str, ...]] = ("declared", "notes")

    kind: Literal["parties"] = "parties"
    declared: tuple[Fact[PartyDeclared], ...] = ()


AnyState = Annotated[
    ContractState | JointVentureState | AgreementState | NotesState | PartiesState,
    Field(discriminator="kind"),
]
_STATE = TypeAdapter(AnyState)


def load_state(data: object) -> StreamState:
    """Rebuild any state from its ``model_dump(mode="json")`` form."""
    return _STATE.validate_python(data)


def load_state_json(text: str | bytes) -> StreamState:
    """Rebuild any state from its ``model_dump_json()`` text."""
    return _STATE.validate_json(text)

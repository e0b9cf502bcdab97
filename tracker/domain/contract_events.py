"""Contract events: signing, amendment, cancellation, reported figures, schedule, deliveries."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import field_validator, model_validator

from tracker.domain.dates import FuzzyDate
from tracker.domain.event_base import Count, DomainEvent, Party, Text, Unit, check_exactly_one
from tracker.domain.milestones_plan import Milestone
from tracker.domain.money import Money
from tracker.domain.refs import Reference, contract_stream


class ContractSigned(DomainEvent):
    """A buyer contracted a seller for a quantity of a system."""

    type: ClassVar[str] = "ContractSigned"
    stream_fields: ClassVar[tuple[str, ...]] = ("reference",)

    reference: Reference
    system: Text
    description: Text | None = None
    buyer: Party
    seller: Party
    # None: the number ordered is not known (SIPRI: "data is not yet available").
    quantity: Count | None
    unit: Unit
    value: Money | None = None
    joint_venture: Reference | None = None
    agreement: Reference | None = None

    def stream(self) -> str:
        return contract_stream(self.reference)


class _ContractEvent(DomainEvent):
    stream_fields: ClassVar[tuple[str, ...]] = ("contract",)

    contract: Reference

    def stream(self) -> str:
        return contract_stream(self.contract)


class ContractAmended(_ContractEvent):
    """The ordered quantity and/or the value of a contract changed."""

    type: ClassVar[str] = "ContractAmended"

    quantity: Count | None = None
    value: Money | None = None
    reason: Text | None = None

    @model_validator(mode="after")
    def _changes_something(self) -> ContractAmended:
        if self.quantity is None and self.value is None:
            raise ValueError("an amendment needs a new quantity or a new value")
        return self


class ContractCancelled(_ContractEvent):
    """A contract was cancelled; nothing more is delivered under it."""

    type: ClassVar[str] = "ContractCancelled"

    reason: Text


class FigureReported(_ContractEvent):
    """A source gave a figure for a contract (sources often disagree; all are kept)."""

    type: ClassVar[str] = "FigureReported"

    figure: Literal["value", "quantity"]
    value: Money | None = None
    quantity: Count | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _one_figure(self) -> FigureReported:
        if self.figure == "value" and (self.value is None or self.quantity is not None):
            raise ValueError("a 'value' figure needs a value and no quantity")
        if self.figure == "quantity" and (self.quantity is None or self.value is not None):
            raise ValueError("a 'quantity' figure needs a quantity and no value")
        return self


class DeliveryScheduled(_ContractEvent):
    """Milestones were planned: each a label, a quantity and a due date."""

    type: ClassVar[str] = "DeliveryScheduled"

    milestones: tuple[Milestone, ...]

    @field_validator("milestones")
    @classmethod
    def _distinct(cls, value: tuple[Milestone, ...]) -> tuple[Milestone, ...]:
        if not value:
            raise ValueError("a schedule needs at least one milestone")
        labels = [m.label for m in value]
        if len(set(labels)) != len(labels):
            raise ValueError("milestone labels must be distinct")
        return value


class ScheduleRevised(_ContractEvent):
    """A milestone's due date (and possibly its quantity) was moved."""

    type: ClassVar[str] = "ScheduleRevised"

    milestone: Text
    due: FuzzyDate
    quantity: Count | None = None
    reason: Text | None = None


class DeliveryRecorded(_ContractEvent):
    """Items arrived: an increment (quantity) or a running total (cumulative_total)."""

    type: ClassVar[str] = "DeliveryRecorded"
    # v1 called the increment 'number' and had no cumulative_total (see codec.upcasters).
    schema_version: ClassVar[int] = 2

    quantity: Count | None = None
    cumulative_total: Count | None = None
    label: Text | None = None
    destination: Text | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> DeliveryRecorded:
        check_exactly_one(self.quantity, self.cumulative_total)
        return self

"""Joint-venture events: a venture established, its production recorded and planned.

Each goes to the stream ``jv:<ref>`` of the venture; catalogue.py re-exports them.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field, field_validator, model_validator

from tracker.domain.events.event_base import (
    Count,
    DomainEvent,
    Party,
    Percent,
    Text,
    check_estimates,
    check_exactly_one,
    read_figures,
)
from tracker.domain.values.dates import FuzzyDate
from tracker.domain.values.estimates import Estimate
from tracker.domain.values.refs import Reference, jv_stream


class JointVentureEstablished(DomainEvent):
    """A joint venture was set up; partner shares are percentages summing to exactly 100."""

    type: ClassVar[str] = "JointVentureEstablished"
    kind: ClassVar[str] = "jv"
    noun: ClassVar[str] = "joint venture"
    type_label: ClassVar[str] = "joint venture"
    stream_fields: ClassVar[tuple[str, ...]] = ("reference",)

    reference: Reference
    name: Text
    partners: dict[Party, Percent]
    location: Text | None = None
    products: tuple[Text, ...] = ()

    @field_validator("partners")
    @classmethod
    def _shares(cls, value: dict[str, Any]) -> dict[str, Any]:
        if not value:
            raise ValueError("a joint venture needs at least one partner")
        if (total := sum(value.values())) != 100:
            raise ValueError(f"partner shares sum to {total}, not 100")
        return value

    def stream(self) -> str:
        return jv_stream(self.reference)


class ProductionRecorded(DomainEvent):
    """A joint venture reported output for a contract, as an increment or a running total."""

    type: ClassVar[str] = "ProductionRecorded"
    kind: ClassVar[str] = "production"
    noun: ClassVar[str] = "production"
    type_label: ClassVar[str] = "production"
    stream_fields: ClassVar[tuple[str, ...]] = ("joint_venture",)

    joint_venture: Reference
    contract: Reference
    quantity: Count | None = None
    cumulative_total: Count | None = None
    indigenisation_percent: Percent | None = None
    # As in DeliveryRecorded: bounds of a figure not given exactly; a report with no figure
    # ('first batch produced') marks production as started.
    estimates: dict[str, Estimate] = Field(default_factory=dict)
    size_unknown: bool = False

    @model_validator(mode="before")
    @classmethod
    def _figures(cls, data: Any) -> Any:
        return read_figures(data, ("quantity", "cumulative_total"))

    @model_validator(mode="after")
    def _exactly_one(self) -> ProductionRecorded:
        check_exactly_one(self.quantity, self.cumulative_total, self.size_unknown)
        figures = {"quantity": self.quantity, "cumulative_total": self.cumulative_total}
        check_estimates(figures, self.estimates)
        return self

    def stream(self) -> str:
        return jv_stream(self.joint_venture)


class ProductionPlanned(DomainEvent):
    """A joint venture's plan for a contract: a monthly rate from a month on, a date by which
    a quantity (the whole order when not given) is to be made, or both.

    A plan never counts as output. A later plan (in world order) supersedes an earlier
    one's rate from its own start, and its target replaces the earlier target.
    """

    type: ClassVar[str] = "ProductionPlanned"
    kind: ClassVar[str] = "production-plan"
    noun: ClassVar[str] = "production plan"
    type_label: ClassVar[str] = "production plan"
    stream_fields: ClassVar[tuple[str, ...]] = ("joint_venture",)

    joint_venture: Reference
    contract: Reference
    rate_per_month: Count | None = None
    rate_from: FuzzyDate | None = None
    due: FuzzyDate | None = None
    quantity: Count | None = None
    # Bounds and text of a rate or quantity not given exactly ('~12,000').
    estimates: dict[str, Estimate] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _figures(cls, data: Any) -> Any:
        return read_figures(data, ("rate_per_month", "quantity"), unknown=False)

    @model_validator(mode="after")
    def _says_something(self) -> ProductionPlanned:
        figures = {"rate_per_month": self.rate_per_month, "quantity": self.quantity}
        check_estimates(figures, self.estimates)
        if self.rate_per_month is None and self.due is None:
            raise ValueError("give a rate_per_month, a due date, or both")
        if self.rate_from is not None and self.rate_per_month is None:
            raise ValueError("rate_from needs a rate_per_month")
        if self.quantity is not None and self.due is None:
            raise ValueError("quantity needs a due date")
        return self

    def stream(self) -> str:
        return jv_stream(self.joint_venture)

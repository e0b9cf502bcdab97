"""Contract events: signing, amendment, cancellation, reported figures, schedule, deliveries."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tracker.domain.events.event_base import (
    Count,
    DomainEvent,
    Party,
    Text,
    Unit,
    check_estimates,
    check_exactly_one,
    read_figures,
)
from tracker.domain.events.milestones_plan import Milestone
from tracker.domain.values.dates import FuzzyDate
from tracker.domain.values.estimates import Estimate
from tracker.domain.values.money import Money
from tracker.domain.values.parties import as_written, canonical_party
from tracker.domain.values.refs import Reference, contract_stream


class SipriRecord(BaseModel):
    """What SIPRI's Arms Transfers Database says of a deal beyond the contract's own fields.

    Parties as SIPRI spells them, `*`/`**` actor markers included; each `?` mark on its
    own; TIVs in millions (a volume, never money); fields a SIPRI format does not carry
    are None. `quality` names the tracker rules the deal breaks as SIPRI published it.
    `key` is the deal's key in the release that first brought it ('sipri-tr:<hash>' or
    'sipri:<deal id>', see importers/sipri/model.py), kept as the contract's ref is kept:
    its old opaque ref ('sipri-tr-<hash>') still names the contract. None for a contract
    imported before keys were stored (its ref is that opaque ref) or logged by hand.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    deal_id: int | None = None
    supplier: Text
    recipient: Text
    order_year_estimate: bool = False
    ordered_estimate: bool = False
    delivered: int | None = None
    delivered_estimate: bool = False
    status: Text | None = None
    tiv_unit: Decimal | None = None
    tiv_order: Decimal | None = None
    tiv_delivered: Decimal | None = None
    tiv_new_unit: Decimal | None = None
    category: Text | None = None
    local_production: bool | None = None
    quality: tuple[Text, ...] = ()
    # Added without a version bump: a payload without it reads as None.
    key: Text | None = None


class ContractSigned(DomainEvent):
    """A buyer contracted a seller for a quantity of a system."""

    type: ClassVar[str] = "ContractSigned"
    kind: ClassVar[str] = "contract"
    noun: ClassVar[str] = "contract"
    type_label: ClassVar[str] = "contract signed"
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
    # Added without a version bump: a payload without them reads as the defaults.
    # The spelling the source used, when it is not the resolved name ('Türkiye').
    buyer_as_written: Text | None = None
    seller_as_written: Text | None = None
    # Manufacturers or prime contractors (Dassault for Rafale) and intermediaries.
    manufacturers: tuple[Party, ...] = ()
    intermediaries: tuple[Party, ...] = ()
    # Spellings of manufacturers and intermediaries as written, by resolved name.
    roles_as_written: dict[Party, Text] = Field(default_factory=dict)
    # The deal as SIPRI's database has it, for contracts imported from SIPRI.
    sipri: SipriRecord | None = None

    @model_validator(mode="before")
    @classmethod
    def _keep_spelling(cls, data: Any) -> Any:
        """Keep each party's spelling before Party folds it to the canonical name."""
        if not isinstance(data, dict):
            return data
        out = dict(data)
        for role in ("buyer", "seller"):
            written, key = out.get(role), f"{role}_as_written"
            if isinstance(written, str) and written.strip() and out.get(key) is None:
                out[key] = as_written(written, canonical_party(written))
        spellings = dict(out.get("roles_as_written") or {})
        for role in ("manufacturers", "intermediaries"):
            for name in out.get(role) or ():
                if isinstance(name, str) and name.strip():
                    resolved = canonical_party(name)
                    if (written := as_written(name, resolved)) is not None:
                        spellings.setdefault(resolved, written)
        if spellings:
            out["roles_as_written"] = spellings
        return out

    @model_validator(mode="after")
    def _distinct_roles(self) -> ContractSigned:
        roles = {"manufacturers": self.manufacturers, "intermediaries": self.intermediaries}
        for name, names in roles.items():
            if len(set(names)) != len(names):
                raise ValueError(f"{name} lists a party twice")
        return self

    def stream(self) -> str:
        return contract_stream(self.reference)

    def parties(self) -> dict[str, str]:
        """Each role's resolved name and its spelling as written: {'buyer': 'Turkey (as
        written: Türkiye)', 'manufacturers': 'Concern Kalashnikov'}."""
        out = {
            "buyer": _shown(self.buyer, self.buyer_as_written),
            "seller": _shown(self.seller, self.seller_as_written),
        }
        for role in ("manufacturers", "intermediaries"):
            names = getattr(self, role)
            if names:
                out[role] = ", ".join(_shown(n, self.roles_as_written.get(n)) for n in names)
        return out


def _shown(name: str, written: str | None) -> str:
    return f"{name} (as written: {written})" if written else name


class _ContractEvent(DomainEvent):
    stream_fields: ClassVar[tuple[str, ...]] = ("contract",)

    contract: Reference

    def stream(self) -> str:
        return contract_stream(self.contract)


class ContractAmended(_ContractEvent):
    """The ordered quantity and/or the value of a contract changed."""

    type: ClassVar[str] = "ContractAmended"
    kind: ClassVar[str] = "amend"
    noun: ClassVar[str] = "amendment"
    type_label: ClassVar[str] = "amended"

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
    kind: ClassVar[str] = "cancel"
    noun: ClassVar[str] = "cancellation"
    type_label: ClassVar[str] = "cancelled"

    reason: Text


class FigureReported(_ContractEvent):
    """A source gave a figure for a contract (sources often disagree; all are kept)."""

    type: ClassVar[str] = "FigureReported"
    kind: ClassVar[str] = "figure"
    noun: ClassVar[str] = "figure"
    type_label: ClassVar[str] = "figure"

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
    kind: ClassVar[str] = "schedule"
    noun: ClassVar[str] = "schedule"
    type_label: ClassVar[str] = "schedule"

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
    kind: ClassVar[str] = "revise"
    noun: ClassVar[str] = "revision"
    type_label: ClassVar[str] = "schedule revised"

    milestone: Text
    due: FuzzyDate
    quantity: Count | None = None
    reason: Text | None = None


class DeliveryRecorded(_ContractEvent):
    """Items arrived: an increment (quantity) or a running total (cumulative_total)."""

    type: ClassVar[str] = "DeliveryRecorded"
    kind: ClassVar[str] = "delivery"
    noun: ClassVar[str] = "delivery"
    type_label: ClassVar[str] = "delivery"
    # v1 called the increment 'number' and had no cumulative_total (see codec.upcasters).
    schema_version: ClassVar[int] = 2

    quantity: Count | None = None
    cumulative_total: Count | None = None
    label: Text | None = None
    destination: Text | None = None
    # Added without a version bump: a payload without them reads as the defaults.
    # unscheduled: the delivery is outside the schedule (its label names no milestone).
    unscheduled: bool = False
    # The milestones an unlabelled delivery was matched to when it was logged, earliest due
    # first; None: never matched (logged before any schedule, or before matching existed).
    matched: tuple[Text, ...] | None = None
    # A figure not given exactly ('~48,000', '5-6'): the int field holds its best value and
    # this its bounds and text; size_unknown: a delivery reported with no figure at all.
    estimates: dict[str, Estimate] = Field(default_factory=dict)
    size_unknown: bool = False
    # split_estimate: the quantity is an even share of a total given for several years
    # (SIPRI's register), not a figure the source gave for this delivery. quality: the
    # rules this delivery breaks as its source published it (kept, not refused).
    split_estimate: bool = False
    quality: tuple[Text, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _figures(cls, data: Any) -> Any:
        return read_figures(data, ("quantity", "cumulative_total"))

    @model_validator(mode="after")
    def _exactly_one(self) -> DeliveryRecorded:
        check_exactly_one(self.quantity, self.cumulative_total, self.size_unknown)
        figures = {"quantity": self.quantity, "cumulative_total": self.cumulative_total}
        check_estimates(figures, self.estimates)
        return self

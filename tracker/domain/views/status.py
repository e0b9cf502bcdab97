"""A contract's status in one object: ordered, delivered, value as reported, next milestone."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from tracker.domain.events.contract_events import ContractSigned, SipriRecord
from tracker.domain.events.event_base import DomainEvent
from tracker.domain.figures import contracts
from tracker.domain.figures.ledger import Step
from tracker.domain.state.state import ContractState, JointVentureState
from tracker.domain.values.dates import FuzzyDate
from tracker.domain.values.due_dates import production_started
from tracker.domain.values.estimates import Estimate, Tally
from tracker.domain.values.money import Money
from tracker.domain.views.production import produced_for
from tracker.domain.views.schedule import schedule

ContractStage = Literal["signed", "delivering", "completed", "cancelled", "withdrawn"]


class ValueReport(BaseModel):
    """One distinct value a source gave, and how many distinct sources gave it."""

    model_config = ConfigDict(frozen=True)

    value: Money
    sources: int


class QuantityReport(BaseModel):
    """One distinct quantity a source gave, and how many distinct sources gave it."""

    model_config = ConfigDict(frozen=True)

    quantity: int
    sources: int


class ValueRange(BaseModel):
    model_config = ConfigDict(frozen=True)

    min: Money
    max: Money


class NextMilestone(BaseModel):
    model_config = ConfigDict(frozen=True)

    label: str
    due: FuzzyDate


class ContractStatus(BaseModel):
    """Where a contract stands on ``as_of``; every reported value kept, none averaged."""

    model_config = ConfigDict(frozen=True)

    ref: str
    system: str
    description: str | None
    buyer: str
    seller: str
    signed: FuzzyDate
    ordered: int | None
    delivered: int
    produced: int | None
    remaining: int | None
    unit: str
    percent: Decimal | None
    value: Money | None
    value_reports: tuple[ValueReport, ...]
    value_range: dict[str, ValueRange]
    quantity_reports: tuple[QuantityReport, ...]
    state: ContractStage
    last_delivery: FuzzyDate | None
    next_milestone: NextMilestone | None
    overdue_milestones: int
    as_of: date
    # Bounds and printed form of delivered and produced when a report was not exact
    # ('~48,000'); None when exact. delivered and produced are then the best values.
    delivered_estimate: Estimate | None = None
    produced_estimate: Estimate | None = None
    # For a contract imported from SIPRI: the deal as SIPRI has it (TIVs, status, markers,
    # spellings, each `?` mark) and the release it came from, as cited by the signing.
    sipri: SipriRecord | None = None
    sipri_release: str | None = None
    # As of a day: what delivered would be had every delivery whose date straddles the day
    # (a '2022' delivery as of 1 Jun 2022) happened by then: "up to" this many. None (and
    # left out of JSON) when no such delivery adds to delivered.
    delivered_possible: int | None = Field(default=None, exclude_if=lambda v: v is None)


class Standing(NamedTuple):
    """The fields of a ContractStatus that hold on every day, by the same names (a plain
    tuple: the read models' writer makes one per contract it writes)."""

    ordered: int | None
    delivered: int
    delivered_estimate: Estimate | None
    remaining: int | None
    value: Money | None
    value_reports: tuple[ValueReport, ...]
    quantity_reports: tuple[QuantityReport, ...]
    state: ContractStage
    last_delivery: FuzzyDate | None
    next_milestone: NextMilestone | None
    sipri: SipriRecord | None
    sipri_release: str | None


def standing_of(
    state: ContractState, steps: list[Step], next_milestone: NextMilestone | None
) -> Standing:
    """What no day changes of ``state``'s status; ``steps``: its ``contracts.deliveries``,
    ``next_milestone``: its first milestone not delivered (the caller's schedule says)."""
    signing = state.contract
    ordered = contracts.ordered(state)
    delivered = steps[-1].total if steps else 0
    return Standing(
        ordered=ordered,
        delivered=delivered,
        delivered_estimate=steps[-1].tally.estimate() if steps else None,
        remaining=None if ordered is None else max(ordered - delivered, 0),
        value=contracts.value(state),
        value_reports=_value_reports(state),
        quantity_reports=_quantity_reports(state),
        state=_stage(state, ordered, delivered),
        last_delivery=_last_delivery(state, steps),
        next_milestone=next_milestone,
        sipri=signing.sipri,
        sipri_release=_release(signing),
    )


def contract_status(
    state: ContractState,
    jv_production_for_contract: Tally | None,
    today: date,
    started: FuzzyDate | None = None,
) -> ContractStatus:
    """Status of one contract; pass ``produced_for(jv_states, ref)`` as the production.

    A delivery of unknown size makes the contract 'delivering' without adding to delivered.
    """
    signing = state.contract
    produced = jv_production_for_contract
    view = schedule(state, today, started)  # started: for due dates relative to it
    pending = [m for m in view.milestones if m.delivered is None]
    due = NextMilestone(label=pending[0].label, due=pending[0].due) if pending else None
    lasting = standing_of(state, contracts.deliveries(state), due)
    return ContractStatus(
        **lasting._asdict(),
        ref=signing.reference,
        system=signing.system,
        description=signing.description,
        buyer=signing.buyer,
        seller=signing.seller,
        signed=signing.occurred,
        produced=produced.best if produced is not None else None,
        produced_estimate=produced.estimate() if produced is not None else None,
        unit=signing.unit,
        percent=_percent(lasting.delivered, lasting.ordered),
        value_range=_ranges(r.value for r in lasting.value_reports),
        overdue_milestones=sum(1 for m in view.milestones if m.state == "overdue"),
        as_of=today,
    )


def with_possible(status: ContractStatus, possible: ContractState) -> ContractStatus:
    """``status`` with ``delivered_possible`` from ``possible`` (the contract with the
    deliveries that may have happened by the day kept too, see world.possibly_as_of);
    unchanged when they would add nothing."""
    most = contracts.delivered(possible)
    if most <= status.delivered:
        return status
    return status.model_copy(update={"delivered_possible": most})


def _release(signing: ContractSigned) -> str | None:
    """The SIPRI release a contract imported from SIPRI cites, None for any other."""
    if signing.sipri is None:
        return None
    for s in signing.sources:
        if s.publisher == "SIPRI":
            return s.title
    return None


def contract_status_with(
    state: ContractState, jv_states: Iterable[JointVentureState], today: date
) -> ContractStatus:
    """contract_status with production summed from the given joint ventures."""
    ref, jvs = state.contract.reference, list(jv_states)
    own = next((j for j in jvs if j.venture.reference == state.contract.joint_venture), None)
    started = production_started(own, ref)
    return contract_status(state, produced_for(jvs, ref), today, started)


def _stage(state: ContractState, ordered: int | None, delivered: int) -> ContractStage:
    if state.withdrawn:
        return "withdrawn"
    if contracts.cancellation(state) is not None:
        return "cancelled"
    if ordered is not None and delivered >= ordered:
        return "completed"
    return "delivering" if delivered or contracts.started_unknown(state) else "signed"


def _last_delivery(state: ContractState, steps: list[Step]) -> FuzzyDate | None:
    """The latest delivery that brought something, a delivery of unknown size included."""
    dates = [s.occurred for s in steps if s.increment > 0]
    dates += [f.event.occurred for f in contracts.unknown_size(state)]
    if len(dates) < 2:
        return dates[0] if dates else None
    return max(dates, key=lambda d: d.sort_key)


def _percent(delivered: int, ordered: int | None) -> Decimal | None:
    if ordered is None:
        return None
    return (Decimal(100) * delivered / ordered).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _value_reports(state: ContractState) -> tuple[ValueReport, ...]:
    if state.contract.value is None and not state.figures:
        return ()
    cited: dict[Money, set[str]] = defaultdict(set)
    reports: list[tuple[Money, DomainEvent]] = []
    if state.contract.value is not None:
        reports.append((state.contract.value, state.contract))
    reports += [(f.event.value, f.event) for f in state.figures if f.event.value is not None]
    for money, event in reports:
        cited[money].update(s.key for s in event.sources)
    ordered = sorted(cited, key=lambda m: (m.currency, m.amount))
    return tuple(ValueReport(value=m, sources=len(cited[m])) for m in ordered)


def _quantity_reports(state: ContractState) -> tuple[QuantityReport, ...]:
    cited: dict[int, set[str]] = {}
    signing = state.contract
    if signing.quantity is not None:
        cited[signing.quantity] = {s.key for s in signing.sources}
    for fact in state.figures:
        if fact.event.quantity is not None:
            cited.setdefault(fact.event.quantity, set()).update(s.key for s in fact.event.sources)
    return tuple(QuantityReport(quantity=q, sources=len(cited[q])) for q in sorted(cited))


def _ranges(values: Iterable[Money]) -> dict[str, ValueRange]:
    by_currency: dict[str, list[Money]] = defaultdict(list)
    for money in values:
        by_currency[money.currency].append(money)
    return {
        code: ValueRange(min=min(ms, key=lambda m: m.amount), max=max(ms, key=lambda m: m.amount))
        for code, ms in sorted(by_currency.items())
    }

"""One line per event, as a timeline shows it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
from tracker.domain.events.event_base import DomainEvent, figure_of
from tracker.domain.values.estimates import Figure
from tracker.domain.values.quantity import count_words, figure_words, plural

Units = Mapping[str, str]
UNKNOWN = Figure(None, None, None, "unknown")


def summary(event: DomainEvent, units: Units) -> str:
    """'Delivered 2 squadron (squadron 1) under s400-india-2018'; ``units`` maps contracts."""
    return _SUMMARIES[type(event)](event, units)


Summary = Callable[[Any, Units], str]
# Each event class's summary, filled by @_summarises beside each function below.
_SUMMARIES: dict[type[DomainEvent], Summary] = {}


def _summarises(cls: type[DomainEvent]) -> Callable[[Summary], Summary]:
    def register(f: Summary) -> Summary:
        _SUMMARIES[cls] = f
        return f

    return register


def _unit(units: Units, contract: str) -> str:
    return units.get(contract, "")


def _count(n: int, unit: str) -> str:
    return count_words(n, unit)


def _figure(e: Any, name: str, unit: str) -> str:
    """The event's figure for ``name`` as the source gave it: '~48,000 rifles'."""
    figure = figure_of(e, name)
    return figure_words(figure, unit) if figure is not None else ""


@_summarises(ContractSigned)
def _contract_signed(e: ContractSigned, units: Units) -> str:
    what = f"{e.system} ({e.description})" if e.description else e.system
    value = f" for {e.value.human()}" if e.value else ""
    parties = e.parties()
    roles = "".join(
        f"; {label} {parties[role]}"
        for role, label in (("manufacturers", "made by"), ("intermediaries", "via"))
        if role in parties
    )
    return (
        f"Contract {e.reference} signed: {parties['buyer']} buys "
        f"{_count(e.quantity, e.unit) if e.quantity else 'an unknown number of ' + plural(e.unit)}"
        f" of {what} from {parties['seller']}{value}{roles}"
    )


@_summarises(ContractAmended)
def _amended(e: ContractAmended, units: Units) -> str:
    parts = []
    if e.quantity is not None:
        parts.append(f"quantity {_count(e.quantity, _unit(units, e.contract))}")
    if e.value is not None:
        parts.append(f"value {e.value.human()}")
    reason = f" ({e.reason})" if e.reason else ""
    return f"Contract {e.contract} amended: {', '.join(parts)}{reason}"


@_summarises(ContractCancelled)
def _cancelled(e: ContractCancelled, units: Units) -> str:
    return f"Contract {e.contract} cancelled: {e.reason}"


@_summarises(FigureReported)
def _figure_reported(e: FigureReported, units: Units) -> str:
    shown = e.value.human() if e.value else _count(e.quantity or 0, _unit(units, e.contract))
    note = f" ({e.note})" if e.note else ""
    return f"Reported {e.figure} of {e.contract}: {shown}{note}"


@_summarises(DeliveryScheduled)
def _scheduled(e: DeliveryScheduled, units: Units) -> str:
    plan = "; ".join(f"{m.label}: {m.quantity:,} due {m.due.human()}" for m in e.milestones)
    return f"Schedule for {e.contract}: {plan}"


@_summarises(ScheduleRevised)
def _revised(e: ScheduleRevised, units: Units) -> str:
    quantity = f" ({_count(e.quantity, _unit(units, e.contract))})" if e.quantity else ""
    reason = f": {e.reason}" if e.reason else ""
    return f"{e.milestone} of {e.contract} now due {e.due.human()}{quantity}{reason}"


@_summarises(DeliveryRecorded)
def _delivered(e: DeliveryRecorded, units: Units) -> str:
    unit = _unit(units, e.contract)
    label = f" ({e.label})" if e.label else ""
    where = f" to {e.destination}" if e.destination else ""
    if e.size_unknown:
        return f"Delivered {figure_words(UNKNOWN, unit)}{label}{where} under {e.contract}"
    if e.cumulative_total is not None:
        return (
            f"Delivered {_figure(e, 'cumulative_total', unit)} in total{label}{where}"
            f" under {e.contract}"
        )
    return f"Delivered {_figure(e, 'quantity', unit)}{label}{where} under {e.contract}"


@_summarises(JointVentureEstablished)
def _established(e: JointVentureEstablished, units: Units) -> str:
    where = f" at {e.location}" if e.location else ""
    shares = ", ".join(f"{name} {share}%" for name, share in e.partners.items())
    return f"Joint venture {e.reference} established: {e.name}{where} ({shares})"


@_summarises(ProductionRecorded)
def _produced(e: ProductionRecorded, units: Units) -> str:
    unit = _unit(units, e.contract)
    if e.size_unknown:
        made = figure_words(UNKNOWN, unit)
    elif e.cumulative_total is not None:
        made = f"{_figure(e, 'cumulative_total', unit)} in total"
    else:
        made = _figure(e, "quantity", unit)
    local = (
        f", {e.indigenisation_percent}% indigenous" if e.indigenisation_percent is not None else ""
    )
    return f"{e.joint_venture} produced {made} for {e.contract}{local}"


@_summarises(ProductionPlanned)
def _production_planned(e: ProductionPlanned, units: Units) -> str:
    unit = _unit(units, e.contract)
    parts = []
    if e.rate_per_month is not None:
        start = e.rate_from or e.occurred
        rate = _figure(e, "rate_per_month", unit)
        parts.append(f"{rate} a month from {start.human()}")
    if e.due is not None:
        goal = _figure(e, "quantity", unit) if e.quantity is not None else "the whole order"
        parts.append(f"{goal} by {e.due.human()}")
    return f"{e.joint_venture} plans {' and '.join(parts)} for {e.contract}"


@_summarises(NoteRecorded)
def _note(e: NoteRecorded, units: Units) -> str:
    return f"Note on {e.subject}: {e.text}"


@_summarises(PartyDeclared)
def _party_declared(e: PartyDeclared, units: Units) -> str:
    where = f" of {e.country}" if e.country else ""
    also = f" (also: {', '.join(e.aliases)})" if e.aliases else ""
    return f"Party {e.name} declared: {e.category}{where}{also}"


@_summarises(AgreementSigned)
def _agreement(e: AgreementSigned, units: Units) -> str:
    window = ""
    if e.valid_from or e.valid_to:
        start = e.valid_from.human() if e.valid_from else "…"
        end = e.valid_to.human() if e.valid_to else "…"
        window = f" (valid {start} to {end})"
    return f"Agreement {e.reference} signed by {', '.join(e.parties)}: {e.title}{window}"


@_summarises(AgreementExtended)
def _extended(e: AgreementExtended, units: Units) -> str:
    title = f" as '{e.title}'" if e.title else ""
    return f"Agreement {e.reference} extended to {e.valid_to.human()}{title}"


@_summarises(EventCorrected)
def _corrected(e: EventCorrected, units: Units) -> str:
    changes = ", ".join(f"{k} = {v}" for k, v in e.changes.items())
    return f"Corrected event {e.target_event_id}: {changes} ({e.reason})"


@_summarises(EventRetracted)
def _retracted(e: EventRetracted, units: Units) -> str:
    return f"Retracted event {e.target_event_id}: {e.reason}"

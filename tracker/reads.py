"""The read use cases: views of contracts, schedules, production and agreements."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from tracker.domain.contracts import ordered
from tracker.domain.views import (
    AgreementView,
    ContractStatus,
    ProductionView,
    ScheduleView,
    agreements,
    contract_status_with,
    production,
    schedule,
)
from tracker.errors import TrackerError
from tracker.projections.reader import StateSource


def status(source: StateSource, refs: Iterable[str] | None, today: date) -> list[ContractStatus]:
    """One status per contract (all, or the named ones, in the order named)."""
    wanted = list(refs) if refs else None
    states = source.contracts(wanted)
    if wanted:
        by_ref = {s.contract.reference: s for s in states}
        missing = [r for r in wanted if r not in by_ref]
        if missing:
            raise TrackerError(f"No contract '{missing[0]}'")
        states = [by_ref[r] for r in wanted]
    ventures = source.joint_ventures()
    return [contract_status_with(s, ventures, today) for s in states]


def schedule_of(source: StateSource, ref: str, today: date) -> ScheduleView:
    states = source.contracts([ref])
    if not states:
        raise TrackerError(f"No contract '{ref}'")
    return schedule(states[0], today)


def production_of(source: StateSource, jv: str | None, today: date) -> list[ProductionView]:
    ventures = source.joint_ventures()
    if jv is not None:
        ventures = [v for v in ventures if v.venture.reference == jv]
        if not ventures:
            raise TrackerError(f"No joint venture '{jv}'")
    refs = {f.event.contract for v in ventures for f in v.production}
    targets = {
        s.contract.reference: n for s in source.contracts(refs) if (n := ordered(s)) is not None
    }
    return [production(v, targets, today) for v in ventures]


def agreements_of(source: StateSource, today: date) -> list[AgreementView]:
    return list(agreements(source.agreements(), today))

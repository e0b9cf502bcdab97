"""A SIPRI release against the deals already imported: new, corrected, retracted, unchanged.

Pure: given the release's deals and the states of the SIPRI contracts the log holds, it
matches them (see sipri.matching) and plans every event, counting each deal once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pydantic import ValidationError

from tracker.domain.event_base import validation_message
from tracker.domain.state import ContractState
from tracker.errors import InvalidInputError, TrackerError
from tracker.importers.sipri.matching import Deal, Matching, match, party
from tracker.importers.sipri.model import Scope, SipriDeal, SipriRelease
from tracker.importers.sipri_events import (
    Planned,
    before_order,
    contract_ref,
    deal_events,
    retraction,
)

SHRINK = 0.9  # a release with fewer deals than this share of the last one is suspicious


@dataclass(frozen=True, slots=True)
class Step:
    """One deal's events: whether its contract is new, its line, and how it reads."""

    events: list[Planned]
    new: bool
    line: int
    deal: str


@dataclass
class ReleasePlan:
    """Every event of a release, and the four counts with what the import must report."""

    steps: list[Step] = field(default_factory=list)
    new: int = 0
    corrected: int = 0
    retracted: int = 0
    unchanged: int = 0
    flagged: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)


def describe(deal: SipriDeal) -> str:
    """'Russia -> India, S-400 Triumf (2018)': a deal as a person finds it in the file."""
    who = f"{deal.supplier.sipri_name} -> {deal.recipient.sipri_name}"
    return f"{who}, {deal.designation} ({deal.order_year})"


def sipri_contracts(states: list[ContractState]) -> list[ContractState]:
    """The contracts imported from SIPRI that still stand."""
    return [s for s in states if s.contract.sipri is not None and not s.withdrawn]


def covered(scope: Scope, state: ContractState) -> bool:
    """Whether ``scope`` covers the deal behind ``state`` (party names folded as matched)."""
    sipri = state.contract.sipri
    assert sipri is not None
    canonical = Scope(
        frozenset(map(party, scope.suppliers)) if scope.suppliers else None,
        frozenset(map(party, scope.recipients)) if scope.recipients else None,
        scope.years,
    )
    years = (state.contract.occurred.latest.year, *_years(state))
    return canonical.covers(party(sipri.supplier), party(sipri.recipient), years)


def plan_release(
    deals: list[SipriDeal],
    release: SipriRelease,
    states: list[ContractState],
    taken: set[str],
    scope: Scope | None,
    today: date,
) -> ReleasePlan:
    """Plan ``deals`` against the standing SIPRI contracts ``states``; ``taken`` holds every
    reference in use, so a new deal never takes a withdrawn contract's reference."""
    by_ref = {s.ref: s for s in states}
    matching = match([_known(s) for s in states], [_read(i, d) for i, d in enumerate(deals)])
    plan = ReleasePlan()
    for i, deal in enumerate(deals):
        old = by_ref.get(matching.pairs.get(str(i), ""))
        ref = None if old else _free(contract_ref(deal), taken)
        try:
            events = deal_events(deal, release, old, today, ref)
        except (ValidationError, TrackerError) as e:
            problem = validation_message(e) if isinstance(e, ValidationError) else str(e)
            raise InvalidInputError(f"line {deal.line}, deal {describe(deal)}: {problem}") from e
        if old is None:
            plan.new += 1
        elif events:
            plan.corrected += 1
        else:
            plan.unchanged += 1
        if before_order(deal):
            plan.flagged.append(f"line {deal.line}: {describe(deal)}: delivery before order year")
        if events:
            plan.steps.append(Step(events, old is None, deal.line, describe(deal)))
    plan.ambiguous = [_listed(*entry, deals) for entry in matching.ambiguous]
    if scope is not None:
        for state in matching.unmatched_old([_known(s) for s in states]):
            if covered(scope, by_ref[state.ident]):
                step = [retraction(by_ref[state.ident], release, today)]
                plan.steps.append(Step(step, False, 0, f"contract {state.ident}"))
                plan.retracted += 1
    return plan


def _free(ref: str, taken: set[str]) -> str:
    n, candidate = 1, ref
    while candidate in taken:
        n += 1
        candidate = f"{ref}-{n}"
    taken.add(candidate)
    return candidate


def _years(state: ContractState) -> tuple[int, ...]:
    return tuple(
        f.event.occurred.latest.year
        for f in state.deliveries
        if not state.is_retracted(f.event_id) and f.event.occurred.precision == "year"
    )


def _known(state: ContractState) -> Deal:
    signed, sipri = state.contract, state.contract.sipri
    assert sipri is not None
    return Deal(
        ident=state.ref,
        deal_id=sipri.deal_id,
        supplier=sipri.supplier,
        recipient=sipri.recipient,
        designation=signed.system,
        order_year=signed.occurred.latest.year,
        figures=(sipri.delivered, _years(state)),
        content=(signed.quantity, sipri.status, sipri.tiv_unit, _comment(state)),
    )


def _read(index: int, deal: SipriDeal) -> Deal:
    return Deal(
        ident=str(index),
        deal_id=deal.sipri_id,
        supplier=deal.supplier.sipri_name,
        recipient=deal.recipient.sipri_name,
        designation=deal.designation,
        order_year=deal.order_year,
        figures=(deal.delivered_total, deal.delivery_years),
        content=(deal.ordered or None, deal.status, deal.tiv_unit, deal.comments or None),
    )


def _comment(state: ContractState) -> str | None:
    notes = [f.event.text for f in state.notes if "sipri" in f.event.tags]
    return notes[-1] if notes else None


def _listed(olds: list[Deal], news: list[Deal], why: str, deals: list[SipriDeal]) -> str:
    lines = ", ".join(f"line {deals[int(d.ident)].line}" for d in news)
    what = describe(deals[int(news[0].ident)])
    return f"{what} ({lines}) could be any of: {', '.join(d.ident for d in olds)} ({why})"


__all__ = ["Matching", "ReleasePlan", "Step", "plan_release"]

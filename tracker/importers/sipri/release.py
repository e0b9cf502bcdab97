"""A SIPRI release against the deals already imported: new, corrected, retracted, unchanged.

Pure: given the release's deals and the states of the SIPRI contracts the log holds, it
matches them (see sipri.matching) and plans every event (sipri.events), counting each deal
once. The matching is made at once; each deal's events are planned as the writer takes
them, so a whole register's events never sit in memory together.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from pydantic import ValidationError

from tracker.domain.events.event_base import validation_message
from tracker.domain.state.state import ContractState
from tracker.errors import InvalidInputError, TrackerError
from tracker.importers.sipri.events import deal_events, retraction
from tracker.importers.sipri.held import SLICE, Held, held
from tracker.importers.sipri.matching import match
from tracker.importers.sipri.model import SipriDeal, SipriRelease
from tracker.importers.sipri.pairs import Deal, Matching
from tracker.importers.sipri.planned import Planned, before_order
from tracker.importers.sipri.refs import contract_ref

SHRINK = 0.9  # a release with fewer deals than this share of the last one is suspicious


@dataclass(frozen=True, slots=True)
class Step:
    """One deal's events (none: unchanged): whether its contract is new, its line, and how
    it reads."""

    events: list[Planned]
    new: bool
    line: int
    deal: str


@dataclass
class ReleasePlan:
    """A release matched to the log: its steps, one per deal then one per retraction,
    planned as they are taken, and what the import must report. ``steps`` is ``total``
    long; the four counts are complete once every step has been taken."""

    steps: Iterator[Step] = field(default_factory=lambda: iter(()))
    total: int = 0
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


def plan_release(
    deals: list[SipriDeal], release: SipriRelease, old: Held, today: date
) -> ReleasePlan:
    """Match ``deals`` to the standing SIPRI contracts ``old`` summarises and plan each
    deal's events as ``steps`` is taken (retractions within ``old.scope`` last); a new deal
    never takes a reference in ``old.taken``, a withdrawn contract's included. A deal that
    cannot become events raises InvalidInputError (naming its line) when its step is taken."""
    matching = match(old.known, [_read(i, d) for i, d in enumerate(deals)])
    gone = []
    if old.scope is not None:
        gone = [d.ident for d in matching.unmatched_old(old.known) if d.ident in old.covered]
    plan = ReleasePlan(total=len(deals) + len(gone))
    plan.flagged = [
        f"line {deal.line}: {describe(deal)}: delivery before order year"
        for deal in deals
        if before_order(deal)
    ]
    plan.ambiguous = [_listed(*entry, deals) for entry in matching.ambiguous]
    pairs = [matching.pairs.get(str(i)) for i in range(len(deals))]
    plan.steps = _steps(plan, deals, pairs, gone, release, old, today)
    return plan


def _steps(
    plan: ReleasePlan,
    deals: list[SipriDeal],
    pairs: list[str | None],
    gone: list[str],
    release: SipriRelease,
    old: Held,
    today: date,
) -> Iterator[Step]:
    """Each deal's step, counted as it is planned, then each retraction's; the contracts
    they change are loaded a slice at a time and dropped once planned."""
    for start in range(0, len(deals), SLICE):
        part = pairs[start : start + SLICE]
        matched = [ref for ref in part if ref is not None]
        # A slice of new deals only (a first import is all of them) reads nothing.
        states = {s.ref: s for s in old.load(matched)} if matched else {}
        for deal, ref in zip(deals[start : start + SLICE], part, strict=True):
            yield _step(plan, deal, None if ref is None else states[ref], release, old, today)
    for start in range(0, len(gone), SLICE):
        refs = gone[start : start + SLICE]
        states = {s.ref: s for s in old.load(refs)}
        for state in (states[ref] for ref in refs):
            plan.retracted += 1
            yield Step([retraction(state, release, today)], False, 0, f"contract {state.ref}")


def _step(
    plan: ReleasePlan,
    deal: SipriDeal,
    old: ContractState | None,
    release: SipriRelease,
    held: Held,
    today: date,
) -> Step:
    ref = None if old else _free(contract_ref(deal), held.taken)
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
    return Step(events, old is None, deal.line, describe(deal))


def _free(ref: str, taken: set[str]) -> str:
    n, candidate = 1, ref
    while candidate in taken:
        n += 1
        candidate = f"{ref}-{n}"
    taken.add(candidate)
    return candidate


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


def _listed(olds: list[Deal], news: list[Deal], why: str, deals: list[SipriDeal]) -> str:
    lines = ", ".join(f"line {deals[int(d.ident)].line}" for d in news)
    what = describe(deals[int(news[0].ident)])
    return f"{what} ({lines}) could be any of: {', '.join(d.ident for d in olds)} ({why})"


__all__ = ["Held", "Matching", "ReleasePlan", "Step", "held", "plan_release"]

"""The read use cases: contract statuses, production and agreements.

Schedules are read in schedules.py, programmes (for reports) in reporting.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date

from tracker.domain.figures.contracts import ordered
from tracker.domain.values.parties import canonical_party, party_id
from tracker.domain.views import (
    AgreementView,
    ContractStatus,
    ProductionView,
    agreements,
    production,
)
from tracker.errors import TrackerError
from tracker.projections.as_of import AsOfStates
from tracker.projections.filters import ContractFilter  # re-exported for the CLI
from tracker.projections.reader import StateSource, TableStates
from tracker.service.refs import resolve_ref


def status(source: StateSource, refs: Iterable[str] | None, today: date) -> list[ContractStatus]:
    """One status per contract (all, or the named ones, in the order named)."""
    return status_page(source, ContractFilter(), refs, today)[0]


def status_page(
    source: StateSource, flt: ContractFilter, refs: Iterable[str] | None, today: date
) -> tuple[list[ContractStatus], int]:
    """The statuses passing ``flt`` (of the named refs, in the order named, if any), at
    most ``flt.limit``, and how many passed in all. Refs may be unique prefixes."""
    wanted = list(dict.fromkeys(resolve_ref(source, r) for r in refs)) if refs else None
    flt = with_parties(flt)
    found, total = source.statuses(flt, today, wanted)
    if wanted:
        rank = {r: n for n, r in enumerate(wanted)}
        found.sort(key=lambda s: rank[s.ref])
    return found, total


def status_stream(
    source: StateSource, flt: ContractFilter, refs: Iterable[str] | None, today: date
) -> Iterator[ContractStatus]:
    """The statuses ``status_page`` gives, one at a time: streamed from the typed tables
    when no refs are named, so that all of them never sit in memory at once (as of a day,
    all but those folded, see AsOfStates)."""
    if refs or not isinstance(source, TableStates | AsOfStates):
        yield from status_page(source, flt, refs, today)[0]
        return
    yield from source.stream(with_parties(flt), today)


def with_parties(flt: ContractFilter) -> ContractFilter:
    """The filter with its parties as the logging commands resolve them ('usa' -> ...)."""

    def party(name: str | None) -> str | None:
        return canonical_party(name) if name and name.strip() else name

    return replace(
        flt, buyer=party(flt.buyer), seller=party(flt.seller), country=party(flt.country)
    )


def chosen_refs(
    source: StateSource, flt: ContractFilter, refs: Iterable[str] | None, today: date
) -> tuple[list[str], int]:
    """The refs of the contracts ``status_page`` gives, in its order, and how many passed."""
    found, total = status_page(source, flt, refs, today)
    return [s.ref for s in found], total


def production_of(
    source: StateSource, jv: str | None, today: date, flt: ContractFilter | None = None
) -> list[ProductionView]:
    """Each joint venture's output (or JV's), for the contracts passing ``flt`` if given."""
    views = _production(source, jv, today)
    if flt is None or not flt.narrows:
        return views
    keep = set(chosen_refs(source, replace(flt, limit=None), None, today)[0])
    kept = [
        v.model_copy(update={"contracts": tuple(c for c in v.contracts if c.contract in keep)})
        for v in views
    ]
    return [v for v in kept if v.contracts]


def _production(source: StateSource, jv: str | None, today: date) -> list[ProductionView]:
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


def agreements_of(
    source: StateSource, today: date, country: str | None = None
) -> list[AgreementView]:
    """Every agreement, or those with ``country`` (a party name or alias) among its parties."""
    found = list(agreements(source.agreements(), today))
    if country is None:
        return found
    wanted = party_id(canonical_party(country))
    return [a for a in found if wanted in {party_id(p) for p in a.parties}]

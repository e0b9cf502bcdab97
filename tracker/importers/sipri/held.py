"""What planning a release needs of the contracts the log holds: a summary of each.

Matching (sipri.matching) reads a few fields of every standing SIPRI contract: its deal
as a `Deal`, whether the release's scope covers it, and every reference in use. Those come
from the contracts' states, a slice at a time; or, given ``documents``, from the states'
JSON documents as the read model holds them, read field by field without validating
whole states again (a whole register's states took seconds to validate for a few fields
each). A slice holding any document not of the shape a state dumps to is read as states
instead, so both give the same summary or the same error; tests/importers/test_sipri_held.py
compares them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tracker.domain.state.state import ContractState
from tracker.domain.values.date_fields import coerce_date
from tracker.domain.values.refs import split_stream
from tracker.errors import TrackerError
from tracker.importers.sipri.model import Scope
from tracker.importers.sipri.pairs import Deal, party

SLICE = 500  # contracts loaded at a time: a state is some ten kB in memory

#: The states of the contracts with these refs (as the log held them before the import).
Load = Callable[[list[str]], Iterable[ContractState]]
#: The same states' JSON documents (``model_dump(mode="json")``), parsed, in the same order.
Documents = Callable[[list[str]], Iterable[dict[str, Any]]]


@dataclass
class Held:
    """What planning needs of the contracts already held, without holding their states:
    the matching summary of each standing SIPRI contract, every reference in use, those
    that ``scope`` covers, and ``load`` to read whole states again a slice at a time."""

    load: Load
    scope: Scope | None
    known: list[Deal] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)
    covered: set[str] = field(default_factory=set)


def held(
    refs: list[str], load: Load, scope: Scope | None, documents: Documents | None = None
) -> Held:
    """Summarise the contracts ``refs`` (every contract held), ``SLICE`` at a time: from
    their ``documents`` when given, else from their states."""
    out = Held(load, scope)
    within = None if scope is None else _folded(scope)
    for start in range(0, len(refs), SLICE):
        for ref, known in _summaries(refs[start : start + SLICE], load, documents):
            out.taken.add(ref)
            if known is None:
                continue
            out.known.append(known)
            if within is not None and _covers(within, known):
                out.covered.add(ref)
    return out


def covered(scope: Scope, state: ContractState) -> bool:
    """Whether ``scope`` covers the deal behind ``state`` (party names folded as matched)."""
    assert state.contract.sipri is not None
    return _covers(_folded(scope), known(state))


def known(state: ContractState) -> Deal:
    """A SIPRI contract's deal as matching reads it (its ref as its ident)."""
    signed, sipri = state.contract, state.contract.sipri
    assert sipri is not None
    return Deal(
        ident=state.ref,
        deal_id=sipri.deal_id,
        supplier=sipri.supplier,
        recipient=sipri.recipient,
        designation=signed.system,
        order_year=signed.occurred.latest.year,
        figures=(sipri.delivered, years(state)),
        content=(signed.quantity, sipri.status, sipri.tiv_unit, _comment(state)),
    )


def years(state: ContractState) -> tuple[int, ...]:
    """The years of the contract's standing yearly deliveries."""
    return tuple(
        f.event.occurred.latest.year
        for f in state.deliveries
        if not state.is_retracted(f.event_id) and f.event.occurred.precision == "year"
    )


def _comment(state: ContractState) -> str | None:
    notes = [f.event.text for f in state.notes if "sipri" in f.event.tags]
    return notes[-1] if notes else None


def _folded(scope: Scope) -> Scope:
    return Scope(
        frozenset(map(party, scope.suppliers)) if scope.suppliers else None,
        frozenset(map(party, scope.recipients)) if scope.recipients else None,
        scope.years,
    )


def _covers(folded: Scope, deal: Deal) -> bool:
    """Whether the scope (its parties folded) covers ``deal``: its parties, and its order
    year or a delivery year."""
    years = (deal.order_year, *deal.figures[1])
    return folded.covers(party(deal.supplier), party(deal.recipient), years)


def _summaries(
    refs: list[str], load: Load, documents: Documents | None
) -> list[tuple[str, Deal | None]]:
    """Each contract's ref and, for a standing SIPRI contract, its deal."""
    if documents is not None:
        try:
            return [_of_document(doc) for doc in documents(refs)]
        except (_Irregular, LookupError, TypeError, ValueError, ArithmeticError, TrackerError):
            pass  # read as states: they give what they gave, or refuse as they refused
    return [(s.ref, _standing(s)) for s in load(refs)]


def _standing(state: ContractState) -> Deal | None:
    """The deal of a SIPRI contract not withdrawn; None for any other contract."""
    return None if state.contract.sipri is None or state.withdrawn else known(state)


class _Irregular(Exception):
    """A field of a document is not of the type its state's model gives it."""


def _of_document(doc: dict[str, Any]) -> tuple[str, Deal | None]:
    """``_summaries``' entry of the state ``doc`` is the JSON form of: the fields ``known``
    reads, each checked for its JSON type, the dates read as the models read them."""
    ref = split_stream(_get(doc, "stream_id", str))[1]
    signing = _get(doc, "signing", dict)
    signed = _get(signing, "event", dict)
    sipri = _get(signed, "sipri", dict, None)
    retracted = set(_get(doc, "retracted", list))
    if sipri is None or _get(signing, "event_id", str) in retracted:
        return ref, None
    occurred = coerce_date(_get(signed, "occurred", str))
    if occurred.is_unknown:  # its validation re-dates it from its sources
        raise _Irregular("occurred")
    delivered = []
    for fact in _get(doc, "deliveries", list):
        day = coerce_date(_get(_get(fact, "event", dict), "occurred", str))
        if _get(fact, "event_id", str) not in retracted and day.precision == "year":
            delivered.append(day.latest.year)
    notes = [_get(n, "event", dict) for n in _get(doc, "notes", list)]
    comments = [_get(e, "text", str) for e in notes if "sipri" in _get(e, "tags", list)]
    tiv = _get(sipri, "tiv_unit", str, None)
    return ref, Deal(
        ident=ref,
        deal_id=_get(sipri, "deal_id", int, None),
        supplier=_get(sipri, "supplier", str),
        recipient=_get(sipri, "recipient", str),
        designation=_get(signed, "system", str),
        order_year=occurred.latest.year,
        figures=(_get(sipri, "delivered", int, None), tuple(delivered)),
        content=(
            _get(signed, "quantity", int, None),
            _get(sipri, "status", str, None),
            None if tiv is None else Decimal(tiv),
            comments[-1] if comments else None,
        ),
    )


def _get(doc: dict[str, Any], key: str, kind: type, *none: None) -> Any:
    """``doc[key]``, of type ``kind`` exactly (or None, when ``none`` allows it)."""
    value = doc[key]
    if type(value) is kind or (value is None and none):
        return value
    raise _Irregular(key)

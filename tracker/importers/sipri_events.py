"""SIPRI deals as tracker events; a newer release becomes corrections, never overwrites.

A deal becomes a contract (order year at year precision, `?` estimates marked
'unconfirmed'), a note with SIPRI's comment, and deliveries: one per year where the export
gives yearly numbers, else the cumulative total "by" the last delivery year. Every event
cites the release it came from. Event ids derive from the deal and the fact, so importing
the same file again produces nothing new; when a later release says otherwise, the earlier
events are corrected or retracted with the release as the source.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

from tracker.domain.contracts import deliveries
from tracker.domain.dates import FuzzyDate
from tracker.domain.event_base import Confidence, DomainEvent
from tracker.domain.events import (
    ContractSigned,
    DeliveryRecorded,
    EventCorrected,
    EventRetracted,
    NoteRecorded,
)
from tracker.domain.sources import Source
from tracker.domain.state import ContractState, Fact
from tracker.importers.sipri.model import SipriDeal, SipriRelease

NAMESPACE = uuid.UUID("0b7f5a9e-2d1c-4c3e-8f6a-5e9d4b2a7c10")
_NAMESPACE_BYTES = NAMESPACE.bytes
SIPRI_URL = "https://www.sipri.org/databases/armstransfers"
Planned = tuple[str, DomainEvent]


def contract_ref(deal: SipriDeal) -> str:
    """'sipri:32127' -> 'sipri-32127'; 'sipri-tr:1a2b...' -> 'sipri-tr-1a2b...'."""
    return deal.deal_key.replace(":", "-").lower()


def release_source(release: SipriRelease, today: date) -> Source:
    """The release as a source; an undated file is cited with the day it was imported."""
    return Source(
        publisher="SIPRI", title=release.label, url=SIPRI_URL, published=release.generated or today
    )


def deal_events(
    deal: SipriDeal, release: SipriRelease, existing: ContractState | None, today: date
) -> list[Planned]:
    """The events that bring the log in line with ``deal`` (nothing when it already is).

    Corrections and notes of a later release are dated by the release (else ``today``).
    """
    ref = contract_ref(deal)
    cite = _cite(release, today)
    planned: list[Planned] = []
    signing = _signing(deal, ref, cite)
    if existing is None:
        planned.append((_id(deal, "signed"), signing))
    else:
        planned.extend(_signing_changes(deal, existing, signing, cite))
    planned.extend(_comment(deal, ref, cite, existing))
    if any(d.quantity is not None for d in deal.deliveries):
        planned.extend(_yearly(deal, ref, cite, existing))
    else:
        planned.extend(_total(deal, ref, cite, existing))
    return planned


@functools.lru_cache(maxsize=4)
def _cite(release: SipriRelease, today: date) -> tuple[Source, ...]:
    """The release as every event's sources: one instance for all the deals of an import."""
    return (release_source(release, today),)


def _signing(deal: SipriDeal, ref: str, cite: tuple[Source, ...]) -> ContractSigned:
    return ContractSigned(
        reference=ref,
        system=deal.designation,
        description=deal.description or None,
        buyer=deal.recipient.name,
        seller=deal.supplier.name,
        # An order of 0 (one deal, flagged as an estimate) is read as "not known".
        quantity=deal.ordered or None,
        unit=deal.description or "item",
        occurred=_year(deal.order_year),
        sources=cite,
        confidence=_confidence(deal.order_year_estimate or deal.ordered_estimate),
    )


def _signing_changes(
    deal: SipriDeal, state: ContractState, signing: ContractSigned, cite: tuple[Source, ...]
) -> Iterator[Planned]:
    old = state.signing.event
    changes: dict[str, Any] = {}
    for name in ("system", "description", "buyer", "seller", "quantity", "unit", "occurred"):
        if getattr(old, name) != getattr(signing, name):
            changes[name] = getattr(signing, name)
    if changes:
        yield _fix(deal, state.signing.event_id, changes, cite)


def _comment(
    deal: SipriDeal, ref: str, cite: tuple[Source, ...], state: ContractState | None
) -> Iterator[Planned]:
    if not deal.comments:
        return
    latest = [f.event.text for f in (state.notes if state else ()) if "sipri" in f.event.tags]
    if latest and latest[-1] == deal.comments:
        return
    note = NoteRecorded(
        subject=f"contract:{ref}",
        text=deal.comments,
        tags=("sipri", "comment"),
        occurred=_release_day(cite[0]) if state else _year(deal.order_year),
        sources=cite,
        confidence="reported",
    )
    yield _id(deal, "comment", _digest(deal.comments)), note


def _yearly(
    deal: SipriDeal, ref: str, cite: tuple[Source, ...], state: ContractState | None
) -> Iterator[Planned]:
    """Per-year numbers: one delivery a year; changed years corrected, vanished ones retracted."""
    known: dict[int, Fact[DeliveryRecorded]] = {}
    if state is not None:
        for fact in state.deliveries:
            if not state.is_retracted(fact.event_id) and fact.event.occurred.precision == "year":
                known[fact.event.occurred.latest.year] = fact
    for year in deal.deliveries:
        if not year.quantity:
            continue
        found = known.pop(year.year, None)
        if found is None:
            yield (
                _id(deal, "delivered", str(year.year)),
                DeliveryRecorded(
                    contract=ref,
                    quantity=year.quantity,
                    occurred=_year(year.year),
                    sources=cite,
                    confidence=_confidence(year.quantity_estimate or year.year_estimate),
                ),
            )
        elif found.event.quantity != year.quantity:
            yield _fix(deal, found.event_id, {"quantity": year.quantity}, cite)
    for fact in known.values():
        retraction = EventRetracted(
            target_event_id=fact.event_id,
            reason=f"{cite[0].title} no longer lists deliveries in {fact.event.occurred}",
            occurred=_release_day(cite[0]),
            sources=cite,
            confidence="reported",
        )
        yield _id(deal, "retracted", fact.event_id), retraction


def _total(
    deal: SipriDeal, ref: str, cite: tuple[Source, ...], state: ContractState | None
) -> Iterator[Planned]:
    """The register gives a total over the delivery years: 'delivered by' the last of them."""
    if not deal.delivered_total or not deal.deliveries:
        return
    steps = deliveries(state) if state is not None else []
    now = steps[-1].total if steps else 0
    if deal.delivered_total == now:
        return
    last = max(deal.delivery_years)
    if deal.delivered_total > now:
        yield (
            _id(deal, "delivered", f"{deal.delivered_total}-by-{last}"),
            DeliveryRecorded(
                contract=ref,
                cumulative_total=deal.delivered_total,
                occurred=FuzzyDate.by(_year(last)),
                sources=cite,
                confidence=_confidence(deal.delivered_estimate),
            ),
        )
    elif state is not None and state.deliveries:
        # SIPRI revised the total down: correct the latest report rather than contradict it.
        latest = state.deliveries[-1]
        yield _fix(deal, latest.event_id, {"cumulative_total": deal.delivered_total}, cite)


def _fix(
    deal: SipriDeal, target: str, changes: dict[str, Any], cite: tuple[Source, ...]
) -> Planned:
    event = EventCorrected(
        target_event_id=target,
        changes=changes,
        reason=f"{cite[0].title} gives other figures than an earlier release",
        occurred=_release_day(cite[0]),
        sources=cite,
        confidence="reported",
    )
    return _id(deal, "corrected", target, _digest(changes)), event


def _confidence(estimate: bool) -> Confidence:
    return "unconfirmed" if estimate else "reported"


def _release_day(source: Source) -> FuzzyDate:
    assert source.published is not None  # release_source always dates it
    return FuzzyDate.day(source.published)


@functools.lru_cache(maxsize=256)
def _year(year: int) -> FuzzyDate:
    """Years repeat across deals: one (immutable) FuzzyDate each."""
    return FuzzyDate.year(year)


def _id(deal: SipriDeal, *parts: str) -> str:
    """``str(uuid.uuid5(NAMESPACE, 'key/part/...'))``, without the UUID object in between,
    which cost a fifth of the time planning a whole register took."""
    name = "/".join((deal.deal_key, *parts)).encode()
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + name).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # the RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _digest(value: object) -> str:
    text = repr(sorted(value.items())) if isinstance(value, dict) else repr(value)
    return hashlib.sha256(text.encode()).hexdigest()[:16]

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

from tracker.domain.events.catalogue import (
    ContractSigned,
    DeliveryRecorded,
    EventCorrected,
    EventRetracted,
    NoteRecorded,
)
from tracker.domain.events.contract_events import SipriRecord
from tracker.domain.events.event_base import Confidence, DomainEvent
from tracker.domain.state.state import ContractState, Fact
from tracker.domain.values.dates import FuzzyDate
from tracker.domain.values.opaque_refs import opaque_sipri_ref
from tracker.domain.values.parties import closed_index, party_key
from tracker.domain.values.refs import slug
from tracker.domain.values.sources import Source
from tracker.importers.sipri.model import Party, SipriDeal, SipriRelease

NAMESPACE = uuid.UUID("0b7f5a9e-2d1c-4c3e-8f6a-5e9d4b2a7c10")
_NAMESPACE_BYTES = NAMESPACE.bytes
SIPRI_URL = "https://www.sipri.org/databases/armstransfers"
Planned = tuple[str, DomainEvent]
BEFORE_ORDER = "delivery year before order year, as SIPRI publishes it"


def contract_ref(deal: SipriDeal) -> str:
    """A ref to type: supplier, recipient, designation and order year, 'russia-india-s400-
    triumf-2018' (before a suffix that makes it unique, see sipri_release._free).

    Each part is a lowercase ASCII slug (domain.refs.slug); a hyphen inside the designation
    is dropped ('S-400' -> 's400', 'Su-30MKI' -> 'su30mki'), words are kept. A party is
    named as SIPRI spells it, but by the shortest of its names in the closed party list that
    names no other party when it is a non-state actor or an organisation, or a state whose
    name runs over 10 characters ('United States' -> 'us', 'Soviet Union' -> 'ussr',
    'Hezbollah (Lebanon)' -> 'hezbollah'; 'China' stays 'china'); SIPRI's 'unknown
    supplier(s)' and 'unknown recipient(s)' are 'unknown'. The ref is worked out once, when
    the deal is first imported: a later release that renames a party or revises the order
    year leaves it as it is.
    """
    who = f"{_party_slug(deal.supplier)}-{_party_slug(deal.recipient)}"
    return f"{who}-{_designation_slug(deal.designation)}-{deal.order_year}"


def opaque_ref(deal: SipriDeal) -> str:
    """The ref the deal took before refs were readable: 'sipri-tr-1a2b...', 'sipri-32127'."""
    return opaque_sipri_ref(deal.deal_key)


# A state's name this short stays as SIPRI writes it ('china', not the list's 'PRC').
_SHORT_STATE = 10


@functools.lru_cache(maxsize=16384)
def _designation_slug(designation: str) -> str:
    """Designations repeat over a register's deals: each is worked out once."""
    return slug(designation, join_hyphenated=True) or "deal"


@functools.lru_cache(maxsize=2048)
def _party_slug(party: Party) -> str:
    if party.kind == "unknown":
        return "unknown"
    own = slug(party.name) or "party"
    index = closed_index()
    known = index.get(party_key(party.name))
    if known is None or (party.kind == "state" and len(own) <= _SHORT_STATE):
        return own
    names = (
        own,
        *(slug(n) for n in (known.name, *known.aliases) if index.get(party_key(n)) is known),
    )
    return min((n for n in names if n), key=len)


def release_source(release: SipriRelease, today: date) -> Source:
    """The release as a source; an undated file is cited with the day it was imported."""
    return Source(
        publisher="SIPRI", title=release.label, url=SIPRI_URL, published=release.generated or today
    )


def deal_events(
    deal: SipriDeal,
    release: SipriRelease,
    existing: ContractState | None,
    today: date,
    ref: str | None = None,
) -> list[Planned]:
    """The events that bring the log in line with ``deal`` (nothing when it already is).

    ``existing`` is the contract the deal was matched to, ``ref`` the reference a new
    contract takes (default ``contract_ref(deal)``). Every field SIPRI gives is kept: the
    signing carries a SipriRecord; deliveries are one event a year. Corrections and notes
    of a later release are dated by the release (else ``today``) and cite it.
    """
    ref = existing.ref if existing is not None else ref or contract_ref(deal)
    cite = _cite(release, today)
    old = existing.signing.event if existing is not None else None
    signing = _signing(deal, ref, cite, release, old)
    lower, higher = _yearly(deal, ref, cite, existing)
    planned: list[Planned] = []
    if existing is None:
        planned.append((_id(ref, "signed"), signing))
    else:
        planned.extend(lower)
        planned.extend(_signing_changes(ref, existing, signing, cite))
    planned.extend(_comment(deal, ref, cite, existing))
    planned.extend(higher)
    return planned


def retraction(state: ContractState, release: SipriRelease, today: date) -> Planned:
    """Withdraw a contract whose deal a newer release, covering it, no longer lists."""
    cite = _cite(release, today)
    event = EventRetracted(
        target_event_id=state.signing.event_id,
        reason=f"{cite[0].title} no longer lists this deal",
        occurred=_release_day(cite[0]),
        sources=cite,
        confidence="reported",
    )
    return _id(state.ref, "retracted", state.signing.event_id, release.label), event


@functools.lru_cache(maxsize=4)
def _cite(release: SipriRelease, today: date) -> tuple[Source, ...]:
    """The release as every event's sources: one instance for all the deals of an import."""
    return (release_source(release, today),)


def before_order(deal: SipriDeal) -> bool:
    """SIPRI lists a delivery in a year before the order year (a tracker rule broken)."""
    return any(year < deal.order_year for year in deal.delivery_years)


def record(deal: SipriDeal, old: SipriRecord | None) -> SipriRecord:
    """The deal's SIPRI fields; those its format does not carry keep their earlier value."""
    register = deal.sipri_id is None
    keep = old if old is not None else None
    return SipriRecord(
        deal_id=deal.sipri_id if not register else (keep.deal_id if keep else None),
        supplier=deal.supplier.sipri_name,
        recipient=deal.recipient.sipri_name,
        order_year_estimate=deal.order_year_estimate,
        ordered_estimate=deal.ordered_estimate
        if register
        else bool(keep and keep.ordered_estimate),
        delivered=deal.delivered_total,
        delivered_estimate=deal.delivered_estimate,
        status=deal.status,
        tiv_unit=deal.tiv_unit,
        tiv_order=deal.tiv_order if register else (keep.tiv_order if keep else None),
        tiv_delivered=deal.tiv_delivered,
        tiv_new_unit=(keep.tiv_new_unit if keep else None) if register else deal.tiv_new_unit,
        category=(keep.category if keep else None) if register else deal.category,
        local_production=(keep.local_production if keep else None)
        if register
        else deal.local_production,
        quality=(BEFORE_ORDER,) if before_order(deal) else (),
        # The key the contract was created under, kept (None: created before keys were kept).
        key=old.key if old is not None else deal.deal_key,
    )


def _signing(
    deal: SipriDeal,
    ref: str,
    cite: tuple[Source, ...],
    release: SipriRelease,
    old: ContractSigned | None,
) -> ContractSigned:
    register = release.format == "register"
    # An order of 0 (one deal, flagged as an estimate) is read as "not known"; the
    # per-delivery-year export gives no number ordered: an earlier one is kept.
    quantity = (deal.ordered or None) if register else (old.quantity if old else None)
    return ContractSigned(
        reference=ref,
        system=deal.designation,
        description=deal.description or None,
        buyer=deal.recipient.name,
        seller=deal.supplier.name,
        quantity=quantity,
        unit=deal.description or "item",
        occurred=_year(deal.order_year),
        sources=cite,
        confidence=_confidence(deal.order_year_estimate),
        sipri=record(deal, old.sipri if old else None),
    )


_COMPARED = (
    *("system", "description", "buyer", "seller", "quantity", "unit", "occurred"),
    *("confidence", "buyer_as_written", "seller_as_written", "sipri"),
)


def _signing_changes(
    ref: str, state: ContractState, signing: ContractSigned, cite: tuple[Source, ...]
) -> Iterator[Planned]:
    old = state.signing.event
    changes = {n: getattr(signing, n) for n in _COMPARED if getattr(old, n) != getattr(signing, n)}
    if changes:
        what = "; ".join(_changed(old, changes))
        yield _fix(ref, state.signing.event_id, changes, cite, what)


def _changed(old: ContractSigned, changes: dict[str, Any]) -> Iterator[str]:
    """Each changed field as 'name: old -> new', a SipriRecord's fields one by one."""
    for name, value in changes.items():
        if name != "sipri":
            yield f"{name}: {_shown(getattr(old, name))} -> {_shown(value)}"
            continue
        before = old.sipri.model_dump() if old.sipri else {}
        for key, now in value.model_dump().items():
            if before.get(key) != now:
                yield f"sipri {key}: {_shown(before.get(key))} -> {_shown(now)}"


def _shown(value: object) -> str:
    return "none" if value is None else str(value)


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
    yield _id(ref, "comment", _digest(deal.comments)), note


def yearly(deal: SipriDeal, ref: str, cite: tuple[Source, ...]) -> dict[int, DeliveryRecorded]:
    """One delivery per year: SIPRI's number where given, else an even share of the
    register's total (the earliest years take the remainder), marked `split_estimate`."""
    years = deal.delivery_years
    given = [d.quantity for d in deal.deliveries]
    exact = None not in given
    if not exact:
        total = deal.delivered_total or 0
        share, extra = divmod(total, len(years)) if years else (0, 0)
        given = [share + (i < extra) for i in range(len(years))]
    out: dict[int, DeliveryRecorded] = {}
    for d, number in zip(deal.deliveries, given, strict=True):
        out[d.year] = DeliveryRecorded(
            contract=ref,
            quantity=number or None,
            size_unknown=not number,
            occurred=_year(d.year),
            sources=cite,
            confidence=_confidence(
                d.quantity_estimate or d.year_estimate or deal.delivered_estimate
            ),
            split_estimate=not exact and len(years) > 1,
            quality=(BEFORE_ORDER,) if d.year < deal.order_year else (),
        )
    return out


def _yearly(
    deal: SipriDeal, ref: str, cite: tuple[Source, ...], state: ContractState | None
) -> tuple[list[Planned], list[Planned]]:
    """New years recorded, changed years corrected, years no longer listed retracted:
    (what lowers the deliveries, what raises them), so that the first can go before a
    change of the number ordered and the second after it, each step within the rules."""
    known: dict[int, Fact[DeliveryRecorded]] = {}
    if state is not None:
        for fact in state.deliveries:
            if not state.is_retracted(fact.event_id) and fact.event.occurred.precision == "year":
                known[fact.event.occurred.latest.year] = fact
    wanted = yearly(deal, ref, cite)
    lower: list[Planned] = []
    higher: list[Planned] = []
    if state is not None and _same_split(known, wanted, deal):
        return lower, higher
    for year, delivery in wanted.items():
        found = known.pop(year, None)
        if found is None:
            higher.append((_id(ref, "delivered", str(year), _digest(cite[0].title)), delivery))
            continue
        changes = {
            n: getattr(delivery, n)
            for n in _DELIVERY_FIELDS
            if getattr(found.event, n) != getattr(delivery, n)
        }
        if changes:
            what = "; ".join(
                f"{n}: {_shown(getattr(found.event, n))} -> {_shown(v)}" for n, v in changes.items()
            )
            fix = _fix(ref, found.event_id, changes, cite, f"deliveries in {year}: {what}")
            up = (delivery.quantity or 0) > (found.event.quantity or 0)
            (higher if up else lower).append(fix)
    for fact in known.values():
        retracted = EventRetracted(
            target_event_id=fact.event_id,
            reason=f"{cite[0].title} no longer lists deliveries in {fact.event.occurred}",
            occurred=_release_day(cite[0]),
            sources=cite,
            confidence="reported",
        )
        lower.append((_id(ref, "retracted", fact.event_id), retracted))
    return lower, higher


_DELIVERY_FIELDS = ("quantity", "size_unknown", "confidence", "split_estimate", "quality")


def _same_split(
    known: dict[int, Fact[DeliveryRecorded]], wanted: dict[int, DeliveryRecorded], deal: SipriDeal
) -> bool:
    """A register total over the same years as yearly numbers already held: those stand."""
    if deal.sipri_id is not None or set(known) != set(wanted):
        return False
    if any(d.quantity is not None for d in deal.deliveries):
        return False
    held = [f.event for f in known.values()]
    if any(e.split_estimate for e in held):
        return False
    return sum(e.quantity or 0 for e in held) == (deal.delivered_total or 0)


def _fix(
    ref: str, target: str, changes: dict[str, Any], cite: tuple[Source, ...], what: str
) -> Planned:
    event = EventCorrected(
        target_event_id=target,
        changes=changes,
        reason=f"{cite[0].title} gives {what}"[:2000],
        occurred=_release_day(cite[0]),
        sources=cite,
        confidence="reported",
    )
    return _id(ref, "corrected", target, _digest(what)), event


def _confidence(estimate: bool) -> Confidence:
    return "unconfirmed" if estimate else "reported"


def _release_day(source: Source) -> FuzzyDate:
    assert source.published is not None  # release_source always dates it
    return FuzzyDate.day(source.published)


@functools.lru_cache(maxsize=256)
def _year(year: int) -> FuzzyDate:
    """Years repeat across deals: one (immutable) FuzzyDate each."""
    return FuzzyDate.year(year)


def _id(ref: str, *parts: str) -> str:
    """``str(uuid.uuid5(NAMESPACE, 'key/part/...'))``, without the UUID object in between,
    which cost a fifth of the time planning a whole register took."""
    name = "/".join((ref, *parts)).encode()
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + name).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # the RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _digest(value: object) -> str:
    text = repr(sorted(value.items())) if isinstance(value, dict) else repr(value)
    return hashlib.sha256(text.encode()).hexdigest()[:16]

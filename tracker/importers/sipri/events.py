"""SIPRI deals as tracker events; a newer release becomes corrections, never overwrites.

A deal becomes a contract (order year at year precision, `?` estimates marked
'unconfirmed'), a note with SIPRI's comment, and deliveries (sipri.deliveries): one per
year where the export gives yearly numbers, else the cumulative total "by" the last
delivery year. Every event cites the release it came from. Event ids derive from the deal
and the fact (sipri.planned), so importing the same file again produces nothing new; when
a later release says otherwise, the earlier events are corrected or retracted with the
release as the source.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from tracker.domain.events.catalogue import ContractSigned
from tracker.domain.events.contract_events import SipriRecord
from tracker.domain.state.state import ContractState
from tracker.domain.values.sources import Source
from tracker.importers.sipri import built
from tracker.importers.sipri.deliveries import delivery_changes
from tracker.importers.sipri.model import SipriDeal, SipriRelease
from tracker.importers.sipri.planned import (
    BEFORE_ORDER,
    Planned,
    before_order,
    citation,
    confidence_of,
    correction,
    digest,
    event_id,
    release_day,
    shown,
    year_date,
)
from tracker.importers.sipri.refs import contract_ref


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
    cite = citation(release, today)
    old = existing.signing.event if existing is not None else None
    signing = _signing(deal, ref, cite, release, old)
    lower, higher = delivery_changes(deal, ref, cite, existing)
    planned: list[Planned] = []
    if existing is None:
        planned.append((event_id(ref, "signed"), signing))
    else:
        planned.extend(lower)
        planned.extend(_signing_changes(ref, existing, signing, cite))
    planned.extend(_comment(deal, ref, cite, existing))
    planned.extend(higher)
    return planned


def retraction(state: ContractState, release: SipriRelease, today: date) -> Planned:
    """Withdraw a contract whose deal a newer release, covering it, no longer lists."""
    cite = citation(release, today)
    event = built.retracted(
        target_event_id=state.signing.event_id,
        reason=f"{cite[0].title} no longer lists this deal",
        occurred=release_day(cite[0]),
        sources=cite,
        confidence="reported",
    )
    return event_id(state.ref, "retracted", state.signing.event_id, release.label), event


def record(deal: SipriDeal, old: SipriRecord | None) -> SipriRecord:
    """The deal's SIPRI fields; those its format does not carry keep their earlier value."""
    register = deal.sipri_id is None
    keep = old if old is not None else None
    return built.record(
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
    return built.signing(
        reference=ref,
        system=deal.designation,
        description=deal.description or None,
        buyer=deal.recipient.name,
        seller=deal.supplier.name,
        quantity=quantity,
        unit=deal.description or "item",
        occurred=year_date(deal.order_year),
        sources=cite,
        confidence=confidence_of(deal.order_year_estimate),
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
        yield correction(ref, state.signing.event_id, changes, cite, what)


def _changed(old: ContractSigned, changes: dict[str, Any]) -> Iterator[str]:
    """Each changed field as 'name: old -> new', a SipriRecord's fields one by one."""
    for name, value in changes.items():
        if name != "sipri":
            yield f"{name}: {shown(getattr(old, name))} -> {shown(value)}"
            continue
        before = old.sipri.model_dump() if old.sipri else {}
        for key, now in value.model_dump().items():
            if before.get(key) != now:
                yield f"sipri {key}: {shown(before.get(key))} -> {shown(now)}"


def _comment(
    deal: SipriDeal, ref: str, cite: tuple[Source, ...], state: ContractState | None
) -> Iterator[Planned]:
    if not deal.comments:
        return
    latest = [f.event.text for f in (state.notes if state else ()) if "sipri" in f.event.tags]
    if latest and latest[-1] == deal.comments:
        return
    note = built.note(
        subject=f"contract:{ref}",
        text=deal.comments,
        tags=("sipri", "comment"),
        occurred=release_day(cite[0]) if state else year_date(deal.order_year),
        sources=cite,
        confidence="reported",
    )
    yield event_id(ref, "comment", digest(deal.comments)), note

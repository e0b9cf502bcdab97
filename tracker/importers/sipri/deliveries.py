"""A SIPRI deal's deliveries as one event a year, and what a later release changes in them."""

from __future__ import annotations

from tracker.domain.events.catalogue import DeliveryRecorded
from tracker.domain.state.state import ContractState, Fact
from tracker.domain.values.sources import Source
from tracker.importers.sipri import built
from tracker.importers.sipri.model import SipriDeal
from tracker.importers.sipri.planned import (
    BEFORE_ORDER,
    Planned,
    confidence_of,
    correction,
    digest,
    event_id,
    release_day,
    shown,
    year_date,
)


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
        out[d.year] = built.delivery(
            contract=ref,
            quantity=number or None,
            size_unknown=not number,
            occurred=year_date(d.year),
            sources=cite,
            confidence=confidence_of(
                d.quantity_estimate or d.year_estimate or deal.delivered_estimate
            ),
            split_estimate=not exact and len(years) > 1,
            quality=(BEFORE_ORDER,) if d.year < deal.order_year else (),
        )
    return out


def delivery_changes(
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
            higher.append((event_id(ref, "delivered", str(year), digest(cite[0].title)), delivery))
            continue
        changes = {
            n: getattr(delivery, n)
            for n in _DELIVERY_FIELDS
            if getattr(found.event, n) != getattr(delivery, n)
        }
        if changes:
            what = "; ".join(
                f"{n}: {shown(getattr(found.event, n))} -> {shown(v)}" for n, v in changes.items()
            )
            fix = correction(ref, found.event_id, changes, cite, f"deliveries in {year}: {what}")
            up = (delivery.quantity or 0) > (found.event.quantity or 0)
            (higher if up else lower).append(fix)
    for fact in known.values():
        retracted = built.retracted(
            target_event_id=fact.event_id,
            reason=f"{cite[0].title} no longer lists deliveries in {fact.event.occurred}",
            occurred=release_day(cite[0]),
            sources=cite,
            confidence="reported",
        )
        lower.append((event_id(ref, "retracted", fact.event_id), retracted))
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

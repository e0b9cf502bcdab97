"""Hypothesis strategies for every event type (valid events only)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

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
    Milestone,
    NoteRecorded,
    ProductionRecorded,
    ScheduleRevised,
)
from tracker.domain.values.dates import FuzzyDate
from tracker.domain.values.money import Money
from tracker.domain.values.sources import Source

_days = st.dates(min_value=date(1950, 1, 1), max_value=date(2060, 12, 31))


@st.composite
def fuzzy_dates(draw: st.DrawFn) -> FuzzyDate:
    d = draw(_days)
    plain = draw(
        st.sampled_from(
            [
                FuzzyDate.day(d),
                FuzzyDate.month(d.year, d.month),
                FuzzyDate.quarter(d.year, (d.month - 1) // 3 + 1),
                FuzzyDate.year(d.year),
            ]
        )
    )
    return FuzzyDate.by(plain) if draw(st.booleans()) and draw(st.booleans()) else plain


refs = st.from_regex(r"\A[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,3}\Z")
texts = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "Zs", "P")), min_size=1
).filter(lambda s: s.strip() == s and s)
counts = st.integers(min_value=1, max_value=10**9)
confidences = st.sampled_from([None, "confirmed", "reported", "planned", "unconfirmed"])
money = st.builds(
    Money.of,
    st.decimals(min_value=1, max_value=10**13, places=2, allow_nan=False),
    st.sampled_from(["USD", "INR", "RUB", "EUR"]),
)
sources = st.builds(
    Source,
    publisher=st.none() | texts,
    title=texts,
    url=st.none() | st.just("https://example.org/a"),
    published=st.none() | _days,
    reliability=st.none() | st.sampled_from("ABCDEF"),
    credibility=st.none() | st.integers(1, 6),
)


def _common() -> dict[str, Any]:
    return {
        "occurred": fuzzy_dates(),
        "sources": st.lists(sources, min_size=1, max_size=3).map(tuple),
        "confidence": confidences,
    }


def _event(cls: type, **fields: Any) -> st.SearchStrategy[Any]:
    return st.builds(cls, **_common(), **fields)


def _one_of_counts() -> st.SearchStrategy[dict[str, int | None]]:
    return st.one_of(
        st.builds(lambda n: {"quantity": n, "cumulative_total": None}, counts),
        st.builds(lambda n: {"quantity": None, "cumulative_total": n}, counts),
    )


milestones = st.lists(
    st.builds(Milestone, label=texts, quantity=counts, due=fuzzy_dates()),
    min_size=1,
    max_size=4,
    unique_by=lambda m: m.label,
).map(tuple)

_shares = st.sampled_from(
    [
        {"A": Decimal(100)},
        {"AWEIL": Decimal("50.5"), "Kalashnikov": Decimal(42), "ROE": Decimal("7.5")},
    ]
)
_percent = st.decimals(min_value=0, max_value=100, places=1, allow_nan=False)

events = st.one_of(
    _event(
        ContractSigned,
        reference=refs,
        system=texts,
        description=st.none() | texts,
        buyer=texts,
        seller=texts,
        quantity=counts,
        unit=st.sampled_from(["squadron", "rifle", "system"]),
        value=st.none() | money,
        joint_venture=st.none() | refs,
        agreement=st.none() | refs,
    ),
    _event(
        ContractAmended,
        contract=refs,
        quantity=counts,
        value=st.none() | money,
        reason=st.none() | texts,
    ),
    _event(ContractCancelled, contract=refs, reason=texts),
    _event(
        FigureReported, contract=refs, figure=st.just("value"), value=money, note=st.none() | texts
    ),
    _event(FigureReported, contract=refs, figure=st.just("quantity"), quantity=counts),
    _event(DeliveryScheduled, contract=refs, milestones=milestones),
    _event(
        ScheduleRevised,
        contract=refs,
        milestone=texts,
        due=fuzzy_dates(),
        quantity=st.none() | counts,
    ),
    _one_of_counts().flatmap(
        lambda q: _event(
            DeliveryRecorded,
            contract=refs,
            label=st.none() | texts,
            destination=st.none() | texts,
            **{k: st.just(v) for k, v in q.items()},
        )
    ),
    _event(
        JointVentureEstablished,
        reference=refs,
        name=texts,
        partners=_shares,
        location=st.none() | texts,
        products=st.lists(texts, max_size=2).map(tuple),
    ),
    _one_of_counts().flatmap(
        lambda q: _event(
            ProductionRecorded,
            joint_venture=refs,
            contract=refs,
            indigenisation_percent=st.none() | _percent,
            **{k: st.just(v) for k, v in q.items()},
        )
    ),
    _event(
        AgreementSigned,
        reference=refs,
        title=texts,
        parties=st.lists(texts, min_size=1, max_size=3).map(tuple),
    ),
    _event(
        AgreementExtended,
        reference=refs,
        valid_to=st.just(FuzzyDate.year(2061)),
        title=st.none() | texts,
    ),
    _event(
        NoteRecorded,
        subject=refs.map(lambda r: f"topic:{r}"),
        text=texts,
        tags=st.lists(texts, max_size=3).map(tuple),
    ),
    _event(
        EventCorrected,
        target_event_id=texts,
        changes=st.dictionaries(
            st.sampled_from(["quantity", "label", "occurred"]),
            st.integers(1, 9) | texts,
            min_size=1,
        ),
        reason=texts,
    ),
    _event(EventRetracted, target_event_id=texts, reason=texts),
)

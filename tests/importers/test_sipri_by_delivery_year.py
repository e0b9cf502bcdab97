"""The per-delivery-year export (one row per deal and year), read from a hand-typed sample."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.importers.sipri_support import FIXTURES, read_all
from tracker.importers.sipri import Party, SipriDeal, YearDelivery

SAMPLE = FIXTURES / "by-delivery-year-2024-04-sample.csv"


@pytest.fixture(scope="module")
def deals() -> dict[int | None, SipriDeal]:
    _, deals, bad = read_all(SAMPLE)
    assert bad == []
    return {deal.sipri_id: deal for deal in deals}


def test_release_is_named_by_its_format_generation_date_and_years() -> None:
    release, _, _ = read_all(SAMPLE)
    assert release.format == "by-delivery-year"
    assert release.generated == date(2024, 4, 13)
    assert release.year_range == (1990, 2023)
    assert release.label == (
        "SIPRI Arms Transfers Database, transfers by delivery year, 13 Apr 2024"
    )


def test_rows_of_one_deal_group_into_one_deal_per_sipri_id(
    deals: dict[int | None, SipriDeal],
) -> None:
    assert list(deals) == [32127, 24001, 55238, 60001]
    assert [deal.line for deal in deals.values()] == [7, 10, 12, 13]


def test_s400_deal_keeps_each_year_with_its_own_numbers_and_flags(
    deals: dict[int | None, SipriDeal],
) -> None:
    s400 = deals[32127]
    assert s400.deal_key == "sipri:32127"
    assert s400.deliveries == (
        YearDelivery(2021, 2, quantity_estimate=False, year_estimate=False),
        YearDelivery(2022, 2, quantity_estimate=False, year_estimate=False),
        YearDelivery(2023, 2, quantity_estimate=True, year_estimate=False),
    )
    assert (s400.delivered_total, s400.delivered_estimate) == (6, True)
    assert (s400.supplier, s400.recipient) == (Party("Russia"), Party("India"))
    assert (s400.category, s400.order_year, s400.order_year_estimate) == (
        "Air defence systems",
        2018,
        False,
    )
    assert (s400.tiv_new_unit, s400.tiv_unit, s400.tiv_delivered) == (65, 65, 390)
    assert (s400.local_production, s400.status) == (False, "New")


def test_fields_this_format_lacks_are_none(deals: dict[int | None, SipriDeal]) -> None:
    s400 = deals[32127]
    assert (s400.ordered, s400.tiv_order, s400.comments) == (None, None, None)


def test_delivery_years_come_out_oldest_first_whatever_the_row_order(
    deals: dict[int | None, SipriDeal],
) -> None:
    t90 = deals[24001]
    assert t90.delivery_years == (2004, 2005)
    assert [d.year_estimate for d in t90.deliveries] == [False, True]
    assert (t90.delivered_total, t90.tiv_delivered, t90.local_production) == (190, 760, True)


def test_yes_flags_and_second_hand_tiv_are_read(deals: dict[int | None, SipriDeal]) -> None:
    mortar = deals[55238]
    assert (mortar.order_year_estimate, mortar.status) == (True, "Second hand")
    assert (mortar.tiv_new_unit, mortar.tiv_unit) == (Decimal("0.25"), Decimal("0.1"))


def test_organisation_marker_is_read_in_this_format_too(
    deals: dict[int | None, SipriDeal],
) -> None:
    assert deals[60001].recipient == Party("OSCE", "organisation")

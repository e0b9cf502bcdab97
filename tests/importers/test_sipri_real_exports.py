"""The real SIPRI exports in ../shared/sipri (not part of the repository) read without a bad row."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.importers.sipri_support import read_all
from tracker.importers.sipri import Party, SipriDeal, SipriRelease, YearDelivery

# This file is <repo>/tests/importers/; the exports sit beside the repository in shared/sipri.
SIPRI_DIR = (Path(__file__).resolve().parents[2] / ".." / "shared" / "sipri").resolve()


def real_export(name: str) -> Path:
    if not SIPRI_DIR.is_dir():
        pytest.skip(f"{SIPRI_DIR} not found: real SIPRI exports are not available")
    return SIPRI_DIR / name


@pytest.fixture(scope="module")
def register() -> tuple[SipriRelease, list[SipriDeal]]:
    release, deals, bad = read_all(real_export("trade-register-2025-03.csv"))
    assert bad == []
    return release, deals


@pytest.fixture(scope="module")
def by_year() -> tuple[SipriRelease, list[SipriDeal]]:
    release, deals, bad = read_all(real_export("trade-register-by-delivery-year-2024-04.csv"))
    assert bad == []
    return release, deals


def test_india_rows_of_the_register_read_as_764_deals_without_a_bad_row() -> None:
    release, deals, bad = read_all(real_export("india-rows-2025-03.csv"))
    assert bad == []
    assert len(deals) == 764
    assert {deal.recipient for deal in deals} == {Party("India")}
    assert (release.header_line, release.generated) == (2, date(2025, 3, 13))


def test_india_s400_row_reads_10_ordered_6_delivered_over_2021_to_2023() -> None:
    _, deals, _ = read_all(real_export("india-rows-2025-03.csv"))
    (s400,) = [deal for deal in deals if deal.designation == "S-400 Triumf"]
    assert (s400.supplier, s400.order_year, s400.line) == (Party("Russia"), 2018, 392)
    assert (s400.ordered, s400.delivered_total) == (10, 6)
    assert not (s400.ordered_estimate or s400.delivered_estimate or s400.order_year_estimate)
    assert s400.delivery_years == (2021, 2022, 2023)
    assert s400.comments == "INR390 b ($5.4 b) deal; delivery planned 2021-2025/2026"
    assert (s400.tiv_unit, s400.tiv_order, s400.tiv_delivered) == (65, 650, 390)


def test_whole_register_reads_as_29515_deals_the_four_split_ones_included(
    register: tuple[SipriRelease, list[SipriDeal]],
) -> None:
    release, deals = register
    assert release.label == "SIPRI Arms Transfers Database, trade register, 13 Mar 2025"
    assert release.header_line == 12
    assert len(deals) == 29_515
    # FORMAT.md counts only the 29,511 one-line rows; the four records split over two lines
    # are all 'New', and two of them are orders with nothing delivered yet.
    assert Counter(deal.status for deal in deals) == {
        "New": 22_014,
        "Second hand": 6_991,
        "Second hand but modernized": 510,
    }
    assert sum(deal.ordered is None for deal in deals) == 280
    assert sum(deal.delivered_total == 0 and not deal.deliveries for deal in deals) == 1_166
    assert sum(deal.supplier == Party("unknown supplier(s)", "unknown") for deal in deals) == 290
    assert len({deal.deal_key for deal in deals}) == len(deals)


def test_register_records_broken_inside_comments_are_joined(
    register: tuple[SipriRelease, list[SipriDeal]],
) -> None:
    _, deals = register
    by_line = {deal.line: deal for deal in deals}
    hermes = by_line[27955]
    assert hermes.recipient == Party("United Nations", "organisation")
    assert hermes.comments == "3-year lease; for use with UN peacekeeping forces in Mali"
    assert (hermes.tiv_unit, hermes.tiv_order, hermes.tiv_delivered) == (3, 9, 9)
    ivorian = by_line[5432]
    assert (ivorian.comments or "").endswith("diesel engine for 12 Puma M-36 APC from South Africa")
    assert (ivorian.tiv_unit, ivorian.tiv_order, ivorian.tiv_delivered) == (
        Decimal("0.03"),
        Decimal("0.36"),
        0,
    )
    for line in (5432, 21488, 25178, 27955):
        assert "\r" not in (by_line[line].comments or "")
        assert line + 1 not in by_line  # the second physical line is no deal of its own


def test_whole_by_year_file_reads_as_13893_deals_holding_its_27838_rows(
    by_year: tuple[SipriRelease, list[SipriDeal]],
) -> None:
    release, deals = by_year
    assert (release.generated, release.year_range) == (date(2024, 4, 13), (1990, 2023))
    assert len(deals) == 13_893
    assert sum(len(deal.deliveries) for deal in deals) == 27_838
    assert Counter(deal.category for deal in deals).keys() == {
        "Aircraft",
        "Air defence systems",
        "Armoured vehicles",
        "Artillery",
        "Engines",
        "Missiles",
        "Naval weapons",
        "Other",
        "Satellites",
        "Sensors",
        "Ships",
    }


def test_india_rows_by_year_group_deal_32127_into_2_2_2() -> None:
    release, deals, bad = read_all(real_export("india-rows-by-delivery-year-2024-04.csv"))
    assert bad == []
    assert release.format == "by-delivery-year"
    assert sum(len(deal.deliveries) for deal in deals) == 1_430
    (s400,) = [deal for deal in deals if deal.sipri_id == 32127]
    assert s400.deliveries == (
        YearDelivery(2021, 2, quantity_estimate=False, year_estimate=False),
        YearDelivery(2022, 2, quantity_estimate=False, year_estimate=False),
        YearDelivery(2023, 2, quantity_estimate=True, year_estimate=False),
    )
    assert (s400.line, s400.tiv_delivered, s400.designation) == (1059, 390, "S-400 Triumf")

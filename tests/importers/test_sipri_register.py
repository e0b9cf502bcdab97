"""The trade register export (one row per deal), read from a hand-typed sample."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.importers.sipri_support import FIXTURES, REGISTER_HEADER, read_all, write
from tracker.importers.sipri import Party, SipriDeal, YearDelivery

SAMPLE = FIXTURES / "register-2025-03-sample.csv"


@pytest.fixture(scope="module")
def deals() -> dict[str, SipriDeal]:
    _, deals, bad = read_all(SAMPLE)
    assert bad == []
    return {deal.designation: deal for deal in deals}


def test_release_is_named_by_its_format_and_generation_date() -> None:
    release, _, _ = read_all(SAMPLE)
    assert release.format == "register"
    assert release.generated == date(2025, 3, 13)
    assert release.label == "SIPRI Arms Transfers Database, trade register, 13 Mar 2025"
    assert release.header_line == 8
    assert release.year_range is None  # 'Not specified' to 'Not specified'


def test_s400_row_reads_every_field(deals: dict[str, SipriDeal]) -> None:
    s400 = deals["S-400 Triumf"]
    assert (s400.recipient, s400.supplier) == (Party("India"), Party("Russia"))
    assert (s400.description, s400.status, s400.category) == ("SAM system", "New", None)
    assert (s400.order_year, s400.order_year_estimate) == (2018, False)
    assert (s400.ordered, s400.ordered_estimate) == (10, False)
    assert (s400.delivered_total, s400.delivered_estimate) == (6, False)
    assert s400.delivery_years == (2021, 2022, 2023)
    assert s400.deliveries[0] == YearDelivery(2021, None, False, False)
    assert s400.comments == "INR390 b ($5.4 b) deal; delivery planned 2021-2025/2026"
    assert (s400.tiv_unit, s400.tiv_order, s400.tiv_delivered) == (65, 650, 390)
    assert isinstance(s400.tiv_unit, Decimal)
    assert (s400.sipri_id, s400.tiv_new_unit, s400.local_production) == (None, None, None)
    assert s400.line == 9


def test_question_marks_flag_order_year_ordered_and_delivered_as_estimates(
    deals: dict[str, SipriDeal],
) -> None:
    brahmos = deals["PJ-10 BrahMos"]
    assert (brahmos.order_year, brahmos.order_year_estimate) == (1998, True)
    assert (brahmos.ordered, brahmos.ordered_estimate) == (400, True)
    assert (brahmos.delivered_total, brahmos.delivered_estimate) == (350, True)
    assert brahmos.tiv_unit == Decimal("1.6")


def test_order_with_nothing_delivered_has_zero_total_and_no_years(
    deals: dict[str, SipriDeal],
) -> None:
    su30 = deals["Su-30MK"]
    assert (su30.delivered_total, su30.deliveries, su30.delivery_years) == (0, (), ())
    assert su30.tiv_delivered == 0


def test_empty_number_ordered_reads_as_unknown_with_the_order_tiv_as_published(
    deals: dict[str, SipriDeal],
) -> None:
    bestmann = deals["Bü-181 Bestmann"]
    assert bestmann.ordered is None
    assert bestmann.tiv_order == 0  # SIPRI writes 0 there: kept as published


def test_latin_1_names_are_decoded(deals: dict[str, SipriDeal]) -> None:
    assert deals["Bü-181 Bestmann"].recipient == Party("Côte d'Ivoire")


def test_actor_markers_become_party_kinds_and_come_back_in_sipri_name(
    deals: dict[str, SipriDeal],
) -> None:
    un = deals["Hermes-900"].recipient
    contras = deals["SA-7 Grail"].recipient
    assert un == Party("United Nations", "organisation")
    assert un.sipri_name == "United Nations**"
    assert contras == Party("Contras (Nicaragua)", "non_state")
    assert contras.sipri_name == "Contras (Nicaragua)*"
    assert deals["SA-7 Grail"].supplier == Party("unknown supplier(s)", "unknown")
    assert deals["S-400 Triumf"].supplier.kind == "state"


def test_record_broken_by_crlf_after_its_comments_is_read_as_one_deal(
    deals: dict[str, SipriDeal],
) -> None:
    hermes = deals["Hermes-900"]
    assert hermes.comments == "3-year lease; for use with UN peacekeeping forces in Mali"
    assert (hermes.tiv_unit, hermes.tiv_order, hermes.tiv_delivered) == (3, 9, 9)
    assert hermes.line == 13
    assert deals["SA-7 Grail"].line == 15


def test_line_break_inside_comments_becomes_a_space(deals: dict[str, SipriDeal]) -> None:
    btr = deals["BTR-3"]
    assert btr.comments == "Part of deal for 96 BTR-3"
    assert btr.delivery_years == (2010, 2012)
    assert (btr.line, btr.tiv_delivered) == (16, Decimal("3.25"))


def test_record_spread_over_three_lines_is_joined(tmp_path) -> None:
    path = write(
        tmp_path / "three-lines.csv",
        REGISTER_HEADER,
        "India,Israel,2009,?,16,?,Heron,UAV,16,,2012; 2013,New,first part",
        "",
        "second part",
        ",3,48,48",
        "India,Russia,2018,,10,,S-400 Triumf,SAM system,6,,2021,New,,65,650,130",
    )
    _, (heron, s400), bad = read_all(path)
    assert bad == []
    assert (heron.line, heron.comments, heron.tiv_delivered) == (2, "first part second part", 48)
    assert s400.line == 6


def test_exactly_repeated_rows_get_distinct_keys_in_file_order() -> None:
    _, deals, _ = read_all(SAMPLE)
    engines = [deal for deal in deals if deal.designation == "aircraft engine"]
    first, second = engines
    assert (first.line, second.line) == (18, 19)
    assert second.deal_key == first.deal_key + "-2"
    assert len({deal.deal_key for deal in deals}) == len(deals)


def test_deal_keys_are_the_same_on_every_read_and_ignore_case_and_spacing(tmp_path) -> None:
    _, deals, _ = read_all(SAMPLE)
    _, again, _ = read_all(SAMPLE)
    assert [d.deal_key for d in deals] == [d.deal_key for d in again]
    respelled = write(
        tmp_path / "respelled.csv",
        REGISTER_HEADER,
        "INDIA,Russia,2018,,10,,S-400  Triumf,SAM system,6,,2021,New,,65,650,130",
    )
    _, (s400,), _ = read_all(respelled)
    assert s400.deal_key == deals[0].deal_key
    assert s400.deal_key.startswith("sipri-tr:")


def test_deal_key_changes_when_sipri_revises_the_order_year(tmp_path) -> None:
    revised = write(
        tmp_path / "revised.csv",
        REGISTER_HEADER,
        "India,Russia,2018,,10,,S-400 Triumf,SAM system,6,,2021,New,,65,650,130",
        "India,Russia,2019,,10,,S-400 Triumf,SAM system,6,,2021,New,,65,650,130",
    )
    _, (as_2018, as_2019), _ = read_all(revised)
    assert as_2018.deal_key != as_2019.deal_key


def test_file_starting_with_a_comment_line_takes_its_date_from_that_line(tmp_path) -> None:
    path = write(
        tmp_path / "india-rows.csv",
        '# source: a copy. SIPRI export, "Data generated: 13 Mar 2025 10:02:49 AM". (c) SIPRI.',
        REGISTER_HEADER,
        "India,Russia,2018,,10,,S-400 Triumf,SAM system,6,,2021; 2022; 2023,New,,65,650,390",
    )
    release, (s400,), bad = read_all(path)
    assert (release.header_line, release.generated, bad) == (2, date(2025, 3, 13), [])
    assert s400.line == 3


def test_copy_re_saved_as_utf_8_reads_like_the_latin_1_original(tmp_path) -> None:
    utf8 = tmp_path / "utf8.csv"
    utf8.write_bytes(SAMPLE.read_bytes().decode("latin-1").encode("utf-8"))
    _, original, _ = read_all(SAMPLE)
    _, resaved, bad = read_all(utf8)
    assert bad == []
    assert resaved == original
    assert any(deal.recipient.name == "Côte d'Ivoire" for deal in resaved)

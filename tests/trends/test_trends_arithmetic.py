"""Trends on a few typed deals: shares, 'others', ranks, volume change and world share,
against values worked out by hand (tests/trends/fixtures/by-year.csv, register.csv).

By hand, India's imports (TIV, millions), 2014-18: Russia 200 (Su-30MK, 2015-16),
Germany 100 (2014), United States 80 (2016), Israel 20 (2017): 400. 2019-23: France 350,
Russia 50, United States 40, Israel 10: 450, a change of +12.5%. The world: 420 and 540
(Pakistan's 20 and 90 besides), so India holds 400/420 and 450/540 of it.
"""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

from tests.trends.helpers import FIXTURES, run, shares, trends_json
from tracker.cli.main import cli
from tracker.domain.events.catalogue import ContractSigned, DeliveryRecorded
from tracker.domain.values.sources import Source
from tracker.service.app import Tracker

PERIODS = ("--periods", "2014-18,2019-23")


def approx(value: float) -> object:
    """JSON carries four decimals."""
    return pytest.approx(value, abs=1e-4)


@pytest.fixture
def by_year(tracker: Tracker) -> str:
    run(tracker.url, "import", "sipri", str(FIXTURES / "by-year.csv"))
    return tracker.url


def test_shares_ranks_and_volume_change_match_the_hand_computed_values(by_year: str):
    data = trends_json(by_year, "--recipient", "India", *PERIODS)
    assert shares(data) == {
        "France": [0.0, approx(100 * 350 / 450)],
        "Russia": [50.0, approx(100 * 50 / 450)],
        "United States": [20.0, approx(100 * 40 / 450)],
        "Israel": [5.0, approx(100 * 10 / 450)],
        "Germany": [25.0, 0.0],
    }
    ranks = {p["name"]: [c["rank"] for c in p["periods"]] for p in data["partners"]}
    assert ranks == {
        "France": [None, 1],
        "Russia": [1, 2],
        "Germany": [2, None],
        "United States": [3, 3],
        "Israel": [4, 4],
    }
    totals = [(p["tiv"], p["change_pct"], p["world_share_pct"]) for p in data["periods"]]
    assert totals == [
        (400.0, None, pytest.approx(100 * 400 / 420, abs=1e-4)),
        (450.0, 12.5, pytest.approx(100 * 450 / 540, abs=1e-4)),
    ]
    assert data["releases"] == [
        "SIPRI Arms Transfers Database, transfers by delivery year, 13 Apr 2024"
    ]


def test_partners_beyond_the_top_are_summed_as_others(by_year: str):
    data = trends_json(by_year, "--recipient", "India", "--top", "2", *PERIODS)
    # The top two of the last period: France (350) and Russia (50).
    assert shares(data) == {
        "France": [0.0, approx(100 * 350 / 450)],
        "Russia": [50.0, approx(100 * 50 / 450)],
        "others": [50.0, approx(100 * 50 / 450)],
    }
    others = data["partners"][-1]
    assert others["others"] is True
    assert [c["tiv"] for c in others["periods"]] == [200.0, 50.0]


def test_a_supplier_sees_its_recipients_and_the_world_sees_suppliers(by_year: str):
    russia = trends_json(by_year, "--supplier", "Russia", *PERIODS)
    # Russia exported 200 to India and 20 to Pakistan, then 50 to India only.
    assert shares(russia) == {
        "India": [approx(100 * 200 / 220), 100.0],
        "Pakistan": [approx(100 * 20 / 220), 0.0],
    }
    world = trends_json(by_year, *PERIODS)
    assert [p["tiv"] for p in world["periods"]] == [420.0, 540.0]
    assert shares(world)["China"] == [0.0, approx(100 * 90 / 540)]


def test_filters_narrow_the_deals_and_the_world_alike(by_year: str):
    data = trends_json(by_year, "--recipient", "India", "--category", "aircraft", *PERIODS)
    # Aircraft only: Russia 200 and the US 80, then France 350, Russia 50, US 40;
    # the world's aircraft add Pakistan's 20 and 90.
    assert [p["tiv"] for p in data["periods"]] == [280.0, 440.0]
    assert [p["world_tiv"] for p in data["periods"]] == [300.0, 530.0]
    rafale = trends_json(by_year, "--recipient", "India", "--system", "rafale", *PERIODS)
    assert shares(rafale) == {"France": [None, 100.0]}  # nothing at all in 2014-18


def test_an_even_split_is_marked_as_an_estimate(sqlite_tracker: Tracker):
    url = sqlite_tracker.url
    run(url, "import", "sipri", str(FIXTURES / "register.csv"))
    # T-90S: 70 TIV over 2017, 2018 and 2019 (no yearly figures): 70/3 a year, estimated.
    # MH-60R: 30 TIV in 2019 alone, SIPRI's own figure.
    data = trends_json(url, "--recipient", "India", "--periods", "2015-18,2019-22")
    assert [p["tiv"] for p in data["periods"]] == [
        pytest.approx(140 / 3, abs=1e-3),
        pytest.approx(70 / 3 + 30, abs=1e-3),
    ]
    assert [p["estimated_tiv"] for p in data["periods"]] == [
        pytest.approx(140 / 3, abs=1e-3),
        pytest.approx(70 / 3, abs=1e-3),
    ]
    assert shares(data)["United States"] == [
        0.0,
        pytest.approx(100 * 30 / (70 / 3 + 30), abs=1e-3),
    ]
    table = run(url, "trends", "--recipient", "India", "--periods", "2015-18,2019-22")
    assert "100.0% (1)*" in table
    assert "* includes estimates: a deal's delivered TIV split evenly" in table
    csv_text = run(
        url, "trends", "--recipient", "India", "--periods", "2015-18,2019-22", "--format", "csv"
    )
    assert csv_text.splitlines()[0] == (
        "kind,period,partner,rank,tiv,estimated_tiv,share_pct,change_pct,releases,note"
    )


def test_deals_outside_sipri_are_listed_beside_the_figures_never_counted(by_year: str):
    tracker = Tracker.open(by_year)
    try:
        source = Source(
            publisher="PIB",
            title="AK-203 deliveries",
            url="https://pib.gov.in/x",
            published=date(2024, 1, 10),
        )
        tracker.log(
            [
                ContractSigned(
                    reference="ak203-india-2021",
                    system="AK-203",
                    buyer="India",
                    seller="Russia",
                    quantity=601427,
                    unit="rifle",
                    occurred="2021-12-06",
                    sources=(source,),
                ),
                DeliveryRecorded(
                    contract="ak203-india-2021",
                    quantity=35000,
                    occurred="2023-01",
                    sources=(source,),
                ),
            ]
        )
    finally:
        tracker.close()
    data = trends_json(by_year, "--recipient", "India", *PERIODS)
    assert [p["tiv"] for p in data["periods"]] == [400.0, 450.0]
    assert data["not_in_figures"] == [
        {
            "ref": "ak203-india-2021",
            "supplier": "Russia",
            "recipient": "India",
            "designation": "AK-203",
            "years": [2023],
            "delivered": 35000,
        }
    ]
    table = run(by_year, "trends", "--recipient", "India", *PERIODS)
    assert "In the record, not in these figures" in table
    assert "ak203-india-2021: Russia -> India, AK-203, 35000 delivered in 2023" in table


def test_known_at_gives_the_trends_as_the_log_held_them(by_year: str):
    # Before anything was logged there is nothing to show; now is the same as the table.
    now = trends_json(by_year, "--recipient", "India", *PERIODS, "--known-at", "2999-01-01")
    assert now == trends_json(by_year, "--recipient", "India", *PERIODS)
    result = CliRunner().invoke(cli, ["--db", by_year, "trends", "--known-at", "2000-01-01"])
    assert result.exit_code == 1
    assert (
        result.output == "Error: No SIPRI deliveries in the record: import a SIPRI release first\n"
    )


def test_the_transfers_table_passes_the_read_model_audit(by_year: str):
    tracker = Tracker.open(by_year)
    try:
        assert tracker.verify_read_models().ok
        tracker.rebuild()
        assert tracker.verify_read_models().ok
    finally:
        tracker.close()


def test_bad_periods_are_one_line_errors(by_year: str):
    for periods, message in [
        ("2019-13", "Error: Invalid period '2019-13': 2013 is before 2019\n"),
        ("soon", "Error: Invalid period 'soon': write 2019-23 or 2019-2023\n"),
        ("2014-18,2018-22", "Error: Periods must follow one another: 2014-18 then 2018-22\n"),
    ]:
        result = CliRunner().invoke(cli, ["--db", by_year, "trends", "--periods", periods])
        assert (result.exit_code, result.output) == (1, message)


def test_the_audit_names_a_transfers_row_changed_behind_the_log(by_year: str):
    tracker = Tracker.open(by_year)
    try:
        from sqlalchemy import update

        from tracker.projections.transfers import TRANSFERS

        with tracker.engine.begin() as conn:
            conn.execute(update(TRANSFERS).where(TRANSFERS.c.year == 2021).values(tiv="1"))
        found = tracker.verify_read_models()
        assert found.mismatch is not None
        assert found.mismatch.projection == "proj_transfers"
        assert "tiv is '1' in the table" in found.mismatch.what
    finally:
        tracker.close()

"""Rows that cannot be read are reported by line; files that are not SIPRI exports are refused."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator

import pytest

from tests.importers.sipri_support import BY_YEAR_HEADER, FIXTURES, REGISTER_HEADER, read_all, write
from tracker.errors import InvalidInputError, TrackerError
from tracker.importers.sipri import read_release

S400 = "India,Russia,2018,,10,,S-400 Triumf,SAM system,6,,2021; 2022; 2023,New,deal,65,650,390"
S400_YEAR = "32127,Russia,India,S-400 Triumf,SAM system,Air defence systems,2018,No,2,{flag},{year},No,New,65,65,130,No"  # noqa: E501


def s400_year(year: int, flag: str = "No") -> str:
    return S400_YEAR.format(year=year, flag=flag)


def test_broken_register_rows_are_reported_with_line_and_reason(tmp_path) -> None:
    path = write(
        tmp_path / "broken.csv",
        REGISTER_HEADER,
        S400,
        S400.replace(",10,", ",ten,"),
        S400.replace("deal", "deal, with a comma"),
        S400.replace("2018", "1850"),
        S400.replace(",6,,", ",6,x,"),
        "India,Russia,2018,,10,,S-400 Triumf",
        S400.replace("2021; 2022", "2021;; 2022"),
        S400.replace(",650,", ",lots,"),
        S400,
    )
    _, deals, bad = read_all(path)
    assert [str(row) for row in bad] == [
        "line 3: 'Number ordered' is 'ten', expected a whole number",
        "line 4: expected 16 fields, found 17",
        "line 5: 'Year of order' is '1850', expected a year from 1900 to 2100",
        "line 6: the column after 'Number delivered' is 'x', expected '?' or nothing",
        "line 7: expected 16 fields, found 7",
        "line 8: 'Year(s) of delivery' is '2021;; 2022; 2023', expected years from 1900 to"
        " 2100 like '2021; 2022'",
        "line 9: 'SIPRI TIV for total order' is 'lots', expected a number like 0.25",
    ]
    assert [deal.line for deal in deals] == [2, 10]


def test_years_after_the_release_date_are_refused(tmp_path) -> None:
    path = write(
        tmp_path / "future.csv",
        "Data generated: 13 Mar 2025 10:02:49 AM",
        REGISTER_HEADER,
        S400.replace("2021; 2022; 2023", "2025; 2026"),
    )
    _, deals, bad = read_all(path)
    assert deals == []
    assert [str(row) for row in bad] == [
        "line 3: 'Year(s) of delivery' is '2025; 2026', expected years from 1900 to 2025"
        " like '2021; 2022'"
    ]


def test_short_lines_that_do_not_add_up_to_a_record_are_reported_as_one(tmp_path) -> None:
    path = write(
        tmp_path / "short.csv",
        REGISTER_HEADER,
        "India,Russia,2018,,10,,S-400 Triumf,SAM system",
        "and more,1,2",
        S400,
    )
    _, deals, bad = read_all(path)
    assert [str(row) for row in bad] == ["line 2: expected 16 fields, found 10 (lines 2-3 joined)"]
    assert [deal.line for deal in deals] == [4]


def test_by_year_deal_with_a_bad_row_is_skipped_and_its_neighbours_are_kept(tmp_path) -> None:
    path = write(
        tmp_path / "by-year.csv",
        BY_YEAR_HEADER,
        "55238,Albania,Burkina Faso,PM-43 120mm,mortar,Artillery,2011,Yes,12,No,2011,No,Second hand,0.25,0.1,1.2,No",  # noqa: E501
        s400_year(2021),
        s400_year(2022, flag="Maybe"),
        s400_year(2023),
        "60001,Austria,OSCE**,Camcopter S-100,UAV,Aircraft,2015,No,1,No,2016,No,New,0.4,0.4,0.4,No",
    )
    _, deals, bad = read_all(path)
    assert [str(row) for row in bad] == [
        "line 4: 'Numbers delivered is estimate' is 'Maybe', expected Yes or No; deal 32127 skipped"
    ]
    assert [deal.sipri_id for deal in deals] == [55238, 60001]


def test_by_year_rows_of_one_deal_that_disagree_are_reported(tmp_path) -> None:
    path = write(
        tmp_path / "disagree.csv",
        BY_YEAR_HEADER,
        s400_year(2021),
        s400_year(2022).replace("Russia", "Belarus"),
        s400_year(2021),
    )
    _, deals, bad = read_all(path)
    assert deals == []
    assert [str(row) for row in bad] == [
        "line 3: 'Supplier' is 'Belarus' here but 'Russia' on line 2, in the same deal;"
        " deal 32127 skipped",
        "line 4: delivery year 2021 is already on line 2; deal 32127 skipped",
    ]


def test_by_year_deal_coming_back_after_other_deals_is_reported(tmp_path) -> None:
    path = write(
        tmp_path / "apart.csv",
        BY_YEAR_HEADER,
        s400_year(2021),
        "60001,Austria,OSCE**,Camcopter S-100,UAV,Aircraft,2015,No,1,No,2016,No,New,0.4,0.4,0.4,No",
        s400_year(2022),
        "S-400,Russia,India",
    )
    _, deals, bad = read_all(path)
    assert [deal.sipri_id for deal in deals] == [32127, 60001]
    assert [str(row) for row in bad] == [
        "line 4: deal 32127 comes back after other deals; its rows must be together",
        "line 5: 'SIPRI AT Database ID' is 'S-400', expected a whole number",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty, not a SIPRI export"),
        (b"\n\n  \n", "is empty, not a SIPRI export"),
        (
            b"name,value\nS-400,10\n",
            "is not a SIPRI Arms Transfers Database export: no header row starting"
            " 'Recipient,Supplier,' or 'SIPRI AT Database ID,' in its first 100 lines",
        ),
        (
            REGISTER_HEADER.encode("utf-16"),
            "is not a SIPRI Arms Transfers Database export: it holds NUL bytes",
        ),
        (
            b"Recipient,Supplier,Year of order, ,Number ordered\nIndia,Russia,2018,,10\n",
            "the header on line 1 has no column 'Weapon designation', 'Weapon description',",
        ),
        (
            BY_YEAR_HEADER.replace("Order date,", "Order year,").encode(),
            "the header on line 1 has no column 'Order date'",
        ),
    ],
    ids=["empty", "blank", "other-csv", "utf-16", "register-columns", "by-year-columns"],
)
def test_file_that_is_not_a_sipri_export_is_refused_naming_the_file(
    tmp_path, content: bytes, message: str
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    with pytest.raises(InvalidInputError) as raised:
        read_release(path)
    assert str(raised.value).startswith(f"'{path}'")
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_missing_file_is_a_tracker_error_naming_it(tmp_path) -> None:
    path = tmp_path / "nowhere.csv"
    with pytest.raises(TrackerError, match=r"Cannot read '.*nowhere\.csv': No such file"):
        read_release(path)


def test_deals_are_read_one_at_a_time(tmp_path) -> None:
    row = "India,Russia,{year},,10,,Type-{i},SAM system,6,,2021; 2022,New,note {i},65,650,390"
    rows = [row.format(year=1950 + i % 70, i=i) for i in range(10_000)]
    path = write(tmp_path / "big.csv", REGISTER_HEADER, *rows)

    def peak_bytes(consume) -> int:
        tracemalloc.start()
        try:
            _, deals = read_release(path)
            consume(deals)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    def drain(deals: Iterator[object]) -> None:
        for _ in deals:
            pass

    streamed = peak_bytes(drain)
    held = peak_bytes(list)
    assert streamed * 4 < held


def test_rows_come_from_an_iterator_in_file_order() -> None:
    release, rows = read_release(FIXTURES / "register-2025-03-sample.csv")
    assert iter(rows) is rows
    assert release.header_line == 8
    first = next(rows)
    assert getattr(first, "designation", None) == "S-400 Triumf"

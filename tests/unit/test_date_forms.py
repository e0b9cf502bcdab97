# ruff: noqa: E501  (the table of forms reads best one form a line)
"""Dates as analysts write them: every accepted form, its canonical and spoken prints, and
refusals; parse(print(d)) == d for every precision; arbitrary text never breaks the parser."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.values.date_columns import column_precision, column_precisions, from_columns
from tracker.domain.values.dates import BOUNDS, POINTS, FuzzyDate, Mark, Precision
from tracker.errors import InvalidInputError

D = date

# text typed -> (canonical, spoken, earliest, latest, column precision), worked out by hand.
FORMS = [
    ("2021-12-06", "2021-12-06", "6 Dec 2021", D(2021, 12, 6), D(2021, 12, 6), "day"),
    ("2021-12", "2021-12", "Dec 2021", D(2021, 12, 1), D(2021, 12, 31), "month"),
    ("2021-Q4", "2021-Q4", "Q4 2021", D(2021, 10, 1), D(2021, 12, 31), "quarter"),
    ("2021", "2021", "2021", D(2021, 1, 1), D(2021, 12, 31), "year"),
    ("6 Dec 2021", "2021-12-06", "6 Dec 2021", D(2021, 12, 6), D(2021, 12, 6), "day"),
    ("December 6, 2021", "2021-12-06", "6 Dec 2021", D(2021, 12, 6), D(2021, 12, 6), "day"),
    ("December 2021", "2021-12", "Dec 2021", D(2021, 12, 1), D(2021, 12, 31), "month"),
    ("Dec 2021", "2021-12", "Dec 2021", D(2021, 12, 1), D(2021, 12, 31), "month"),
    ("Sept. 2021", "2021-09", "Sep 2021", D(2021, 9, 1), D(2021, 9, 30), "month"),
    ("Q3 2024", "2024-Q3", "Q3 2024", D(2024, 7, 1), D(2024, 9, 30), "quarter"),
    ("H1 2026", "2026-H1", "H1 2026", D(2026, 1, 1), D(2026, 6, 30), "half"),
    ("2026-H2", "2026-H2", "H2 2026", D(2026, 7, 1), D(2026, 12, 31), "half"),
    ("early 2022", "early 2022", "early 2022", D(2022, 1, 1), D(2022, 4, 30), "third"),
    ("mid-2022", "mid 2022", "mid-2022", D(2022, 5, 1), D(2022, 8, 31), "third"),
    ("late 2022", "late 2022", "late 2022", D(2022, 9, 1), D(2022, 12, 31), "third"),
    ("by 2023", "by 2023", "by end 2023", None, D(2023, 12, 31), "by-year"),
    ("by end 2021", "by 2021", "by end 2021", None, D(2021, 12, 31), "by-year"),
    ("by the end of 2025", "by 2025", "by end 2025", None, D(2025, 12, 31), "by-year"),
    ("by end May 2026", "by 2026-05", "by end May 2026", None, D(2026, 5, 31), "by-month"),
    ("../2026-05", "by 2026-05", "by end May 2026", None, D(2026, 5, 31), "by-month"),
    ("by 2021-Q4", "by 2021-Q4", "by end Q4 2021", None, D(2021, 12, 31), "by-quarter"),
    ("by mid-2022", "by mid 2022", "by mid-2022", None, D(2022, 8, 31), "by-third"),
    ("2026-27", "2026/2027", "2026-27", D(2026, 1, 1), D(2027, 12, 31), "range-year"),
    ("2026/2027", "2026/2027", "2026-27", D(2026, 1, 1), D(2027, 12, 31), "range-year"),
    ("2026/27", "2026/2027", "2026-27", D(2026, 1, 1), D(2027, 12, 31), "range-year"),
    ("2005-2010", "2005/2010", "2005-2010", D(2005, 1, 1), D(2010, 12, 31), "range-year"),
    ("Jul-Aug 2025", "2025-07/2025-08", "Jul-Aug 2025", D(2025, 7, 1), D(2025, 8, 31), "range-month"),
    ("Jul – Aug 2025", "2025-07/2025-08", "Jul-Aug 2025", D(2025, 7, 1), D(2025, 8, 31), "range-month"),
    ("Q3-Q4 2024", "2024-Q3/2024-Q4", "Q3-Q4 2024", D(2024, 7, 1), D(2024, 12, 31), "range-quarter"),
    ("6-20 Dec 2021", "2021-12-06/2021-12-20", "6-20 Dec 2021", D(2021, 12, 6), D(2021, 12, 20), "range-day"),
    ("Dec 2025-Jan 2026", "2025-12/2026-01", "Dec 2025-Jan 2026", D(2025, 12, 1), D(2026, 1, 31), "range-month"),
    ("~2021", "2021~", "~2021", D(2021, 1, 1), D(2021, 12, 31), "year~"),
    ("circa 2021", "2021~", "~2021", D(2021, 1, 1), D(2021, 12, 31), "year~"),
    ("c. 2021", "2021~", "~2021", D(2021, 1, 1), D(2021, 12, 31), "year~"),
    ("2021~", "2021~", "~2021", D(2021, 1, 1), D(2021, 12, 31), "year~"),
    ("2021?", "2021?", "2021?", D(2021, 1, 1), D(2021, 12, 31), "year?"),
    ("2021%", "2021%", "~2021?", D(2021, 1, 1), D(2021, 12, 31), "year%"),
    ("Dec 2021?", "2021-12?", "Dec 2021?", D(2021, 12, 1), D(2021, 12, 31), "month?"),
    ("~2026-27", "2026~/2027~", "~2026-27", D(2026, 1, 1), D(2027, 12, 31), "range-year~"),
    ("by ~2021", "by 2021~", "~by end 2021", None, D(2021, 12, 31), "by-year~"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "canonical", "spoken", "earliest", "latest", "column"), FORMS)
def test_each_written_form_parses_to_its_days_and_prints_both_ways(
    text: str, canonical: str, spoken: str, earliest: date | None, latest: date, column: str
) -> None:
    parsed = FuzzyDate.parse(text)
    assert (parsed.earliest, parsed.latest, column_precision(parsed)) == (earliest, latest, column)
    assert (str(parsed), parsed.human()) == (canonical, spoken)
    assert FuzzyDate.parse(canonical) == parsed
    assert FuzzyDate.parse(spoken) == parsed


def test_old_canonical_strings_read_exactly_as_before_marks_existed() -> None:
    # Stored payloads hold these strings; they must decode to the same unmarked values.
    assert FuzzyDate.parse("2021-Q4") == FuzzyDate(
        Precision.QUARTER, D(2021, 10, 1), D(2021, 12, 31)
    )
    by = FuzzyDate.parse("by 2021-12")
    assert by == FuzzyDate(Precision.BY, None, D(2021, 12, 31), FuzzyDate.month(2021, 12))
    assert (by.mark, by.end, str(by), column_precision(by)) == (
        Mark.NONE,
        None,
        "by 2021-12",
        "by-month",
    )


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("6-5", "expected YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY, '6 Dec 2021'"),
        ("2027-26", "month must be in 1..12 (a range of years must end after it starts"),
        ("2027-2026", "a range must end after it starts"),
        ("Aug-Jul 2025", "a range must end after it starts"),
        ("2026/2027~", "mark both ends of a range alike, e.g. 2026~/2027~"),
        ("2021/..", "an interval open at its end is not a date"),
        ("by 2026-27", "'by' takes a single date"),
        ("by by 2021", "'by' cannot be nested"),
        ("Q5 2021", "quarter must be in 1..4"),
        ("31 Nov 2021", "day must be in 1..30 for 2021-11"),
        ("2021-02-30", "day must be in 1..28 for 2021-02"),
        ("Decembre 2021", "expected YYYY-MM-DD"),
        ("0999", "year 999 is out of range 1000..2999"),
    ],
)
def test_bad_dates_are_refused_in_one_line_saying_why(text: str, why: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        FuzzyDate.parse(text)
    assert str(caught.value).startswith(f"Invalid date '{text}': {why}")
    assert "\n" not in str(caught.value)


def test_an_unrecognised_form_is_refused_naming_every_accepted_form() -> None:
    with pytest.raises(InvalidInputError) as caught:
        FuzzyDate.parse("last week")
    for form in ("'6 Dec 2021'", "'Q3 2024'", "'early/mid/late 2022'", "'Jul-Aug 2025'", "'2021?'"):
        assert form in str(caught.value)


def test_a_by_bound_on_31_december_prints_as_the_end_of_its_year() -> None:
    # The one print that reads back at another precision: same last day, same meaning.
    day_bound = FuzzyDate.parse("by 2025-12-31")
    assert day_bound.human() == "by end 2025"
    back = FuzzyDate.parse(day_bound.human())
    assert (back.precision, back.earliest, back.latest) == (Precision.BY, None, D(2025, 12, 31))
    assert column_precision(back) == "by-year" and column_precision(day_bound) == "by-day"


# --- properties -----------------------------------------------------------------------------

_years = st.integers(1000, 2998)
_marks = st.sampled_from(list(Mark))


@st.composite
def single_dates(draw: st.DrawFn, precisions: tuple[Precision, ...] = BOUNDS) -> FuzzyDate:
    p = draw(st.sampled_from(precisions))
    year = draw(_years)
    match p:
        case Precision.DAY:
            return FuzzyDate.day(draw(st.dates(D(year, 1, 1), D(year, 12, 31))))
        case Precision.MONTH:
            return FuzzyDate.month(year, draw(st.integers(1, 12)))
        case Precision.QUARTER:
            return FuzzyDate.quarter(year, draw(st.integers(1, 4)))
        case Precision.HALF:
            return FuzzyDate.half(year, draw(st.integers(1, 2)))
        case Precision.THIRD:
            return FuzzyDate.third(year, draw(st.integers(1, 3)))
    return FuzzyDate.year(year)


@st.composite
def fuzzy_dates(draw: st.DrawFn) -> FuzzyDate:
    """Every precision, bounds and ranges included, with any mark."""
    kind = draw(st.sampled_from(["single", "by", "range"]))
    if kind == "single":
        found = draw(single_dates())
    elif kind == "by":
        found = FuzzyDate.by(draw(single_dates()))
    else:
        first = draw(single_dates(POINTS))
        last = draw(single_dates((first.precision,)).filter(lambda d: d.sort_key > first.sort_key))
        found = FuzzyDate.between(first, last)
    return found.marked(draw(_marks))


def _end_of_year_day_bound(d: FuzzyDate) -> bool:
    inner = d.inner
    return (
        d.precision is Precision.BY
        and inner is not None
        and inner.precision is Precision.DAY
        and (inner.latest.month, inner.latest.day) == (12, 31)
    )


@given(fuzzy_dates())
def test_what_the_tool_prints_reads_back_as_the_same_date(d: FuzzyDate) -> None:
    assert FuzzyDate.parse(str(d)) == d
    back = FuzzyDate.parse(d.human())
    if _end_of_year_day_bound(d):  # see test_a_by_bound_on_31_december_...
        assert (back.latest, back.mark, back.precision) == (d.latest, d.mark, d.precision)
    else:
        assert back == d


@given(fuzzy_dates())
def test_the_stored_columns_rebuild_the_same_date(d: FuzzyDate) -> None:
    assert column_precision(d) in column_precisions()
    assert len(column_precision(d)) <= 16  # the column is String(16)
    assert from_columns(column_precision(d), d.earliest, d.latest) == d


_DATEISH = "0123456789-/~?%. ,qhQHbyendmidlatecircaJulAugDecSept"


@given(st.text() | st.text(alphabet=_DATEISH, max_size=24))
def test_the_parser_raises_nothing_but_an_input_error(text: str) -> None:
    try:
        parsed = FuzzyDate.parse(text)
    except InvalidInputError as e:
        assert "\n" not in str(e)
    else:
        assert FuzzyDate.parse(str(parsed)) == parsed

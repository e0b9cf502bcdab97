"""Undated facts and relative due dates (issue 13): hand-computed days."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.domain.values.date_columns import column_precision, column_precisions, from_columns
from tracker.domain.values.dates import NO_BOUND, FuzzyDate, Precision
from tracker.domain.values.due_dates import add_months, resolve
from tracker.errors import InvalidInputError


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2023, 1, 17), 32, date(2025, 9, 17)),
        (date(2021, 12, 6), 24, date(2023, 12, 6)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2021, 12, 6), 128, date(2032, 8, 6)),
    ],
)
def test_months_are_added_on_the_calendar(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_a_relative_date_resolves_at_its_anchors_precision() -> None:
    due = FuzzyDate.parse("+32 months after production start")
    by_day = resolve(due, {"production start": FuzzyDate.day(date(2023, 1, 17))})
    assert by_day == FuzzyDate.by(FuzzyDate.day(date(2025, 9, 17)))
    assert by_day.human() == "by 17 Sep 2025, 32 months after production start"
    by_month = resolve(due, {"production start": FuzzyDate.month(2023, 1)})
    assert by_month == FuzzyDate.by(FuzzyDate.month(2025, 9))
    assert by_month.human() == "by end Sep 2025, 32 months after production start"


def test_a_relative_date_without_its_anchor_is_never_due() -> None:
    due = FuzzyDate.parse("+24 months after signing")
    for anchor in (None, FuzzyDate.unknown()):
        waiting = resolve(due, {"signing": anchor})
        assert waiting.human() == "24 months after signing (signing undated)"
        assert not waiting.certainly_by(date(2999, 12, 31))
    waiting = resolve(FuzzyDate.parse("2 years after production start"), {})
    assert waiting.human() == "24 months after production start (not started)"


@pytest.mark.parametrize(
    "text", ["unknown", "+1 month after signing", "+32 months after production start"]
)
def test_dates_without_days_read_back_as_printed(text: str) -> None:
    d = FuzzyDate.parse(text)
    assert FuzzyDate.parse(str(d)) == d
    assert FuzzyDate.parse(d.human()) == d


def test_an_undated_fact_happened_by_its_publication_date() -> None:
    d = FuzzyDate.unknown(date(2023, 2, 14))
    assert d == FuzzyDate.parse("undated")
    assert d.human() == "undated; reported 2023-02-14"
    assert not d.certainly_by(date(2023, 2, 13))
    assert d.certainly_by(date(2023, 2, 14))
    assert d.sort_key == (date(2023, 2, 14), date(2023, 2, 14))
    assert FuzzyDate.unknown().human() == "undated; no dated source"


def test_an_undated_fact_is_stored_as_unknown_with_its_bound_as_end() -> None:
    d = FuzzyDate.unknown(date(2023, 2, 14))
    assert (column_precision(d), d.earliest, d.latest) == ("unknown", None, date(2023, 2, 14))
    assert "unknown" in column_precisions()
    back = from_columns("unknown", None, date(2023, 2, 14))
    assert back.latest == date(2023, 2, 14) and back.precision is Precision.UNKNOWN
    assert from_columns("unknown", None, NO_BOUND).human() == "undated; no dated source"


@pytest.mark.parametrize("text", ["~unknown", "undated?", "+0 months after signing"])
def test_marks_and_empty_offsets_are_refused(text: str) -> None:
    with pytest.raises(InvalidInputError):
        FuzzyDate.parse(text)

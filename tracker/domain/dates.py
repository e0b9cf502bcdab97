"""Procurement dates: a day, month, quarter, half, part of a year or year; "by" such a date;
a range of two; each possibly marked approximate or uncertain.

Reporting on arms deals rarely gives a day. "Delivered in December 2021" is a month;
"the fifth squadron in 2027" is a year; "by the end of 2021" is a bound; "2026-27" a range;
"~2021" approximate and "2021?" uncertain (as SIPRI marks them). A FuzzyDate keeps the
precision it was given with and knows the earliest and latest day it can stand for. Text
in and out lives in date_forms.
"""

from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

import pendulum
from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from tracker.errors import InvalidInputError


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    BY = "by"
    HALF = "half"
    THIRD = "third"  # early (Jan-Apr), mid (May-Aug) or late (Sep-Dec) in a year
    RANGE = "range"


class Mark(StrEnum):
    """EDTF's qualifiers, kept as the source gave them; they never widen the bounds."""

    NONE = ""
    APPROXIMATE = "~"
    UNCERTAIN = "?"
    BOTH = "%"


# The precisions a "by" bound, or each end of a range, may have.
POINTS = (Precision.DAY, Precision.MONTH, Precision.QUARTER, Precision.YEAR)
BOUNDS = (*POINTS, Precision.HALF, Precision.THIRD)


@dataclass(frozen=True, slots=True)
class FuzzyDate:
    """A date known to a precision, with the earliest and latest day it can mean.

    ``inner`` is set for ``by`` dates (the date that bounds them) and for ranges (their
    first end; ``end`` is the last). ``mark`` defaults to none, so dates stored before
    marks existed read back exactly as they did.
    """

    precision: Precision
    earliest: date | None
    latest: date
    inner: FuzzyDate | None = None
    end: FuzzyDate | None = None
    mark: Mark = Mark.NONE

    # --- construction -------------------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> FuzzyDate:
        """Parse any form in date_forms.FORMS; anything else raises InvalidInputError."""
        from tracker.domain.date_forms import parse_date

        return parse_date(text)

    @classmethod
    def day(cls, d: date) -> FuzzyDate:
        return cls(Precision.DAY, d, d)

    @classmethod
    def month(cls, year: int, month: int) -> FuzzyDate:
        if not 1 <= month <= 12:
            raise ValueError("month must be in 1..12")
        _check_year(year)
        last = calendar.monthrange(year, month)[1]
        return cls(Precision.MONTH, date(year, month, 1), date(year, month, last))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> FuzzyDate:
        if not 1 <= quarter <= 4:
            raise ValueError("quarter must be in 1..4")
        return cls._months(Precision.QUARTER, year, 3 * quarter - 2, 3)

    @classmethod
    def half(cls, year: int, half: int) -> FuzzyDate:
        if not 1 <= half <= 2:
            raise ValueError("half must be 1 or 2")
        return cls._months(Precision.HALF, year, 6 * half - 5, 6)

    @classmethod
    def third(cls, year: int, third: int) -> FuzzyDate:
        """Part of a year: 1 early (Jan-Apr), 2 mid (May-Aug), 3 late (Sep-Dec)."""
        if not 1 <= third <= 3:
            raise ValueError("part of a year must be 1 (early), 2 (mid) or 3 (late)")
        return cls._months(Precision.THIRD, year, 4 * third - 3, 4)

    @classmethod
    def year(cls, year: int) -> FuzzyDate:
        _check_year(year)
        return cls(Precision.YEAR, date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def by(cls, bound: FuzzyDate) -> FuzzyDate:
        if bound.precision not in BOUNDS:
            raise ValueError(f"'by' takes a single date, not {bound.precision.value} {bound}")
        return cls(Precision.BY, None, bound.latest, bound.marked(Mark.NONE), None, bound.mark)

    @classmethod
    def between(cls, first: FuzzyDate, last: FuzzyDate) -> FuzzyDate:
        """A range from ``first`` to ``last``: both days, months, quarters or years."""
        if first.precision not in POINTS or first.precision is not last.precision:
            raise ValueError("a range joins two days, months, quarters or years of one kind")
        if first.mark is not last.mark:
            raise ValueError("mark both ends of a range alike, e.g. 2026~/2027~")
        if last.sort_key <= first.sort_key:
            raise ValueError("a range must end after it starts")
        plain = (first.marked(Mark.NONE), last.marked(Mark.NONE))
        return cls(Precision.RANGE, first.earliest, last.latest, *plain, first.mark)

    def marked(self, mark: Mark) -> FuzzyDate:
        """This date with ``mark`` (a range or bound carries it on the whole)."""
        return FuzzyDate(self.precision, self.earliest, self.latest, self.inner, self.end, mark)

    @classmethod
    def _months(cls, p: Precision, year: int, first: int, count: int) -> FuzzyDate:
        _check_year(year)
        last = first + count - 1
        end = date(year, last, calendar.monthrange(year, last)[1])
        return cls(p, date(year, first, 1), end)

    @classmethod
    def from_columns(cls, precision: str, earliest: date | None, latest: date) -> FuzzyDate:
        """Rebuild from stored columns (see ``column_precision``, earliest, latest)."""
        mark = Mark(precision[-1]) if precision[-1:] in ("~", "?", "%") else Mark.NONE
        name = precision.removesuffix(mark.value) if mark else precision
        kind, _, of = name.partition("-")
        if kind == "by":
            return cls(Precision.BY, None, latest, widen(latest, Precision(of)), None, mark)
        if earliest is None:
            raise InvalidInputError(f"Stored date '{precision}' has no earliest day")
        if kind == "range":
            ends = (widen(earliest, Precision(of)), widen(latest, Precision(of)))
            return cls(Precision.RANGE, earliest, latest, *ends, mark)
        # Columns written by the store are trusted as they were before marks existed.
        return cls(Precision(name), earliest, latest, mark=mark)

    @property
    def column_precision(self) -> str:
        """As stored: 'day'..'third', 'by-<bound>' or 'range-<ends>', then any mark."""
        base = self.precision.value
        if self.inner is not None:
            base = f"{base}-{self.inner.precision.value}"
        return base + self.mark.value

    @classmethod
    def coerce(cls, value: Any) -> FuzzyDate:
        """Accept a FuzzyDate, a date, or any parseable string (for pydantic fields)."""
        if isinstance(value, FuzzyDate):
            return value
        if isinstance(value, date):
            return cls.day(value)
        if isinstance(value, str):
            return _parsed(value)
        from tracker.domain.date_forms import refusal

        raise InvalidInputError(refusal(repr(value)))

    # --- reading ------------------------------------------------------------------------

    def __str__(self) -> str:
        """The canonical text form (EDTF where EDTF has one); parse(str(d)) == d."""
        from tracker.domain.date_forms import canonical

        return canonical(self)

    def human(self) -> str:
        """As a person writes it: '6 Dec 2021', 'Q4 2021', 'by end 2021', 'Jul-Aug 2025'."""
        from tracker.domain.date_forms import spoken

        return spoken(self)

    @property
    def sort_key(self) -> tuple[date, date]:
        """Orders dates by the earliest day they can mean, then by the latest."""
        return (self.earliest or self.latest, self.latest)

    def certainly_by(self, day: date) -> bool:
        """True when whatever day this stands for is on or before ``day``."""
        return self.latest <= day

    def possibly_by(self, day: date) -> bool:
        """True when the day this stands for may be on or before ``day``."""
        return (self.earliest or date.min) <= day

    def __repr__(self) -> str:
        return f"FuzzyDate({str(self)!r})"

    # --- pydantic -----------------------------------------------------------------------

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            _pydantic_coerce,
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        from tracker.domain.date_forms import FORMS

        return {"type": "string", "description": f"A fuzzy date: {FORMS}"}


def column_precisions() -> tuple[str, ...]:
    """Every value ``column_precision`` can take (for the store's check on appends)."""
    bases = [p.value for p in BOUNDS]
    bases += [f"by-{p.value}" for p in BOUNDS] + [f"range-{p.value}" for p in POINTS]
    return tuple(b + m.value for b in bases for m in Mark)


def today_in_utc() -> date:
    """Today's date in UTC, for callers at the edges (the domain takes ``today`` as a value)."""
    return pendulum.now("UTC").date()


def parse_day(text: str) -> date:
    """Parse an --as-of date; '2021-12' means the last day of December 2021."""
    return FuzzyDate.parse(text).latest


def widen(day: date, precision: Precision) -> FuzzyDate:
    """The date of ``precision`` that holds ``day``."""
    month = day.month
    match precision:
        case Precision.DAY:
            return FuzzyDate.day(day)
        case Precision.MONTH:
            return FuzzyDate.month(day.year, month)
        case Precision.QUARTER:
            return FuzzyDate.quarter(day.year, (month - 1) // 3 + 1)
        case Precision.HALF:
            return FuzzyDate.half(day.year, (month - 1) // 6 + 1)
        case Precision.THIRD:
            return FuzzyDate.third(day.year, (month - 1) // 4 + 1)
        case Precision.YEAR:
            return FuzzyDate.year(day.year)
    raise InvalidInputError(f"Stored date precision '{precision}' is not a single date")


@functools.lru_cache(maxsize=4096)
def _parsed(text: str) -> FuzzyDate:
    # Replaying a log validates the same few hundred date strings over and over; a
    # FuzzyDate is immutable, so one parse of each serves them all.
    return FuzzyDate.parse(text)


def _pydantic_coerce(value: Any) -> FuzzyDate:
    try:
        return FuzzyDate.coerce(value)
    except InvalidInputError as e:
        # pydantic turns ValueError into a validation error that names the field.
        raise ValueError(str(e)) from None


def _check_year(year: int) -> None:
    if not 1000 <= year <= 2999:
        raise ValueError(f"year {year} is out of range 1000..2999")

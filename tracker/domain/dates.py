"""Procurement dates: a day, month, quarter or year, or "by" such a date.

Reporting on arms deals rarely gives a day. "Delivered in December 2021" is a month;
"the fifth squadron in 2027" is a year; "by the end of 2021" is a bound. A FuzzyDate keeps
the precision it was given with and knows the earliest and latest day it can stand for.
"""

from __future__ import annotations

import calendar
import functools
import re
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


_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_BY = re.compile(r"^by\s+(.+)$", re.IGNORECASE)
_FORMS = "YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY or 'by <date>'"


@dataclass(frozen=True, slots=True)
class FuzzyDate:
    """A date known to a precision, with the earliest and latest day it can mean.

    ``inner`` is set only for ``by`` dates: the date that bounds them.
    """

    precision: Precision
    earliest: date | None
    latest: date
    inner: FuzzyDate | None = None

    # --- construction -------------------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> FuzzyDate:
        """Parse the forms people type: 2021-12-06, 2021-12, 2021-Q4, 2021, by 2021-12-31."""
        raw = text.strip() if isinstance(text, str) else ""
        if m := _BY.match(raw):
            inner = cls.parse(m.group(1))
            if inner.precision is Precision.BY:
                raise InvalidInputError(f"Invalid date '{text}': 'by' cannot be nested")
            return cls(Precision.BY, None, inner.latest, inner)
        try:
            if m := _DAY.match(raw):
                return cls.day(_checked_date(int(m[1]), int(m[2]), int(m[3])))
            if m := _MONTH.match(raw):
                return cls.month(int(m[1]), int(m[2]))
            if m := _QUARTER.match(raw):
                return cls.quarter(int(m[1]), int(m[2]))
            if m := _YEAR.match(raw):
                return cls.year(int(m[1]))
        except ValueError as e:
            raise InvalidInputError(f"Invalid date '{text}': {e}") from e
        raise InvalidInputError(f"Invalid date '{text}': expected {_FORMS}")

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
        _check_year(year)
        first_month = 3 * (quarter - 1) + 1
        last = calendar.monthrange(year, first_month + 2)[1]
        return cls(Precision.QUARTER, date(year, first_month, 1), date(year, first_month + 2, last))

    @classmethod
    def year(cls, year: int) -> FuzzyDate:
        _check_year(year)
        return cls(Precision.YEAR, date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def by(cls, bound: FuzzyDate) -> FuzzyDate:
        return cls(Precision.BY, None, bound.latest, bound)

    @classmethod
    def from_columns(cls, precision: str, earliest: date | None, latest: date) -> FuzzyDate:
        """Rebuild from stored columns (see ``column_precision``, earliest, latest)."""
        if precision.startswith("by-"):
            inner_p = Precision(precision[3:])
            inner = cls.day(latest) if inner_p is Precision.DAY else _widen(latest, inner_p)
            return cls(Precision.BY, None, latest, inner)
        p = Precision(precision)
        if earliest is None or p is Precision.BY:
            raise InvalidInputError(f"Stored date '{precision}' has no earliest day")
        return cls(p, earliest, latest)

    @property
    def column_precision(self) -> str:
        """The precision as stored: 'day'..'year', or 'by-<precision of the bound>'."""
        if self.inner is not None:
            return f"by-{self.inner.precision.value}"
        return self.precision.value

    @classmethod
    def coerce(cls, value: Any) -> FuzzyDate:
        """Accept a FuzzyDate, a date, or any parseable string (for pydantic fields)."""
        if isinstance(value, FuzzyDate):
            return value
        if isinstance(value, date):
            return cls.day(value)
        if isinstance(value, str):
            return _parsed(value)
        raise InvalidInputError(f"Invalid date {value!r}: expected {_FORMS}")

    # --- reading ------------------------------------------------------------------------

    def __str__(self) -> str:
        """The canonical text form; parse(str(d)) == d."""
        if self.precision is Precision.BY:
            assert self.inner is not None
            return f"by {self.inner}"
        assert self.earliest is not None
        e = self.earliest
        match self.precision:
            case Precision.DAY:
                return e.isoformat()
            case Precision.MONTH:
                return f"{e.year:04d}-{e.month:02d}"
            case Precision.QUARTER:
                return f"{e.year:04d}-Q{(e.month - 1) // 3 + 1}"
            case _:
                return f"{e.year:04d}"

    def human(self) -> str:
        """As a person writes it: '6 Dec 2021', 'Dec 2021', 'Q4 2021', '2021', 'by end 2021'."""
        if self.precision is Precision.BY:
            assert self.inner is not None
            return "by " + _bound_words(self.inner)
        assert self.earliest is not None
        e = self.earliest
        match self.precision:
            case Precision.DAY:
                return f"{e.day} {_MON[e.month]} {e.year}"
            case Precision.MONTH:
                return f"{_MON[e.month]} {e.year}"
            case Precision.QUARTER:
                return f"Q{(e.month - 1) // 3 + 1} {e.year}"
            case _:
                return str(e.year)

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
        return {"type": "string", "description": f"A fuzzy date: {_FORMS}"}


def today_in_utc() -> date:
    """Today's date in UTC, for callers at the edges (the domain takes ``today`` as a value)."""
    return pendulum.now("UTC").date()


def parse_day(text: str) -> date:
    """Parse an --as-of date; '2021-12' means the last day of December 2021."""
    return FuzzyDate.parse(text).latest


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


def _checked_date(year: int, month: int, day: int) -> date:
    _check_year(year)
    if not 1 <= month <= 12:
        raise ValueError("month must be in 1..12")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValueError(f"day must be in 1..{last} for {year:04d}-{month:02d}")
    return date(year, month, day)


def _widen(latest: date, precision: Precision) -> FuzzyDate:
    if precision is Precision.MONTH:
        return FuzzyDate.month(latest.year, latest.month)
    if precision is Precision.QUARTER:
        return FuzzyDate.quarter(latest.year, (latest.month - 1) // 3 + 1)
    return FuzzyDate.year(latest.year)


def _bound_words(inner: FuzzyDate) -> str:
    last = inner.latest
    if inner.precision is Precision.YEAR or (last.month, last.day) == (12, 31):
        return f"end {last.year}"
    if inner.precision in (Precision.MONTH, Precision.QUARTER):
        return "end " + inner.human()
    return inner.human()


_MON = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

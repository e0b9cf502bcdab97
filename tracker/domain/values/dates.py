"""Procurement dates: a day, month, quarter, half, part of a year or year; "by" such a date;
a range of two; each possibly marked approximate or uncertain.

Reporting on arms deals rarely gives a day. "Delivered in December 2021" is a month;
"the fifth squadron in 2027" is a year; "by the end of 2021" is a bound; "2026-27" a range;
"~2021" approximate and "2021?" uncertain (as SIPRI marks them). A FuzzyDate keeps the
precision it was given with and knows the earliest and latest day it can stand for. Text
in lives in date_forms, text out in date_words; the store's columns in date_columns; what
a pydantic field accepts in date_fields.

Two forms have no days of their own: ``unknown`` (an undated report; it is known to have
happened by its earliest source's publication date, when a source has one) and a due date
relative to another event ("+32 months after production start", see due_dates).
"""

from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import ModuleType
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    BY = "by"
    HALF = "half"
    THIRD = "third"  # early (Jan-Apr), mid (May-Aug) or late (Sep-Dec) in a year
    RANGE = "range"
    UNKNOWN = "unknown"  # the world date is not known: an undated report
    RELATIVE = "relative"  # N months after another event (a due date only, see due_dates)


class Mark(StrEnum):
    """EDTF's qualifiers, kept as the source gave them; they never widen the bounds."""

    NONE = ""
    APPROXIMATE = "~"
    UNCERTAIN = "?"
    BOTH = "%"


# The precisions a "by" bound, or each end of a range, may have.
POINTS = (Precision.DAY, Precision.MONTH, Precision.QUARTER, Precision.YEAR)
BOUNDS = (*POINTS, Precision.HALF, Precision.THIRD)
# The events a relative due date can count from (see due_dates.anchor_dates).
ANCHORS = ("signing", "production start")
# The last day of an undated fact no dated source bounds, and of an unresolved relative
# date: no day can be said to be after it ('certainly by' is never true).
NO_BOUND = date.max


@dataclass(frozen=True, slots=True)
class After:
    """'+32 months after production start': whole months after an anchor event."""

    months: int
    anchor: str


@dataclass(frozen=True, slots=True, eq=False)
class FuzzyDate:
    """A date known to a precision, with the earliest and latest day it can mean.

    ``inner`` is set for ``by`` dates (the date that bounds them) and for ranges (their
    first end; ``end`` is the last). ``mark`` defaults to none, so dates stored before
    marks existed read back exactly as they did. ``after`` is set for a relative date.
    ``note`` is what ``human`` adds ('; reported 2023-02-14' for an undated fact, ', 32
    months after signing' for a resolved relative date). Neither the note nor the day an
    undated fact is known by (its ``latest``, which comes from its sources) is part of the
    date's identity: every undated date equals ``parse('unknown')``.
    """

    precision: Precision
    earliest: date | None
    latest: date
    inner: FuzzyDate | None = None
    end: FuzzyDate | None = None
    mark: Mark = Mark.NONE
    after: After | None = None
    note: str = ""

    def _identity(self) -> tuple[object, ...]:
        if self.precision is Precision.UNKNOWN:
            return (self.precision,)
        return (
            self.precision,
            self.earliest,
            self.latest,
            self.inner,
            self.end,
            self.mark,
            self.after,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FuzzyDate):
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())

    # --- construction -------------------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> FuzzyDate:
        """Parse any form in date_forms.FORMS; anything else raises InvalidInputError."""
        from tracker.domain.values.date_forms import parse_date

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

    @classmethod
    def unknown(cls, known_by: date | None = None, basis: str = "reported") -> FuzzyDate:
        """An undated fact; ``known_by``: the day it had certainly happened by, which is
        its earliest source's publication date (``basis`` 'reported'), when known."""
        if known_by is None:
            return cls(Precision.UNKNOWN, None, NO_BOUND)
        return cls(Precision.UNKNOWN, None, known_by, note=f"; {basis} {known_by.isoformat()}")

    @classmethod
    def relative(cls, months: int, anchor: str) -> FuzzyDate:
        """'+32 months after production start', not yet resolved (see due_dates.resolve)."""
        if anchor not in ANCHORS:
            raise ValueError(f"a relative date counts from {' or '.join(ANCHORS)}")
        if not 1 <= months <= 1200:
            raise ValueError("a relative date is 1 to 1200 months after its anchor")
        return cls(Precision.RELATIVE, None, NO_BOUND, after=After(months, anchor))

    @property
    def is_unknown(self) -> bool:
        return self.precision is Precision.UNKNOWN

    @property
    def is_relative(self) -> bool:
        return self.precision is Precision.RELATIVE

    def marked(self, mark: Mark) -> FuzzyDate:
        """This date with ``mark`` (a range or bound carries it on the whole)."""
        if mark and self.precision in (Precision.UNKNOWN, Precision.RELATIVE):
            raise ValueError(f"an {self.precision.value} date takes no ~ or ? mark")
        return FuzzyDate(
            self.precision, self.earliest, self.latest, self.inner, self.end, mark, self.after
        )

    def noted(self, note: str) -> FuzzyDate:
        """This date with ``note`` shown after it by ``human`` (equal to this date)."""
        return FuzzyDate(
            self.precision,
            self.earliest,
            self.latest,
            self.inner,
            self.end,
            self.mark,
            self.after,
            note,
        )

    @classmethod
    def _months(cls, p: Precision, year: int, first: int, count: int) -> FuzzyDate:
        _check_year(year)
        last = first + count - 1
        end = date(year, last, calendar.monthrange(year, last)[1])
        return cls(p, date(year, first, 1), end)

    # --- reading ------------------------------------------------------------------------

    def __str__(self) -> str:
        """The canonical text form (EDTF where EDTF has one); parse(str(d)) == d."""
        return _words().canonical(self)

    def human(self) -> str:
        """As a person writes it: '6 Dec 2021', 'Q4 2021', 'by end 2021', 'Jul-Aug 2025'."""
        return _words().spoken(self)

    @property
    def sort_key(self) -> tuple[date, date]:
        """Orders dates by the earliest day they can mean, then by the latest."""
        return (self.earliest or self.latest, self.latest)

    def certainly_by(self, day: date) -> bool:
        """True when whatever day this stands for is on or before ``day`` (an undated fact:
        when it is known by then; an unresolved relative date: never)."""
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
        from tracker.domain.values.date_fields import validated

        return core_schema.no_info_plain_validator_function(
            validated,
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        from tracker.domain.values.date_forms import FORMS

        return {"type": "string", "description": f"A fuzzy date: {FORMS}"}


def _check_year(year: int) -> None:
    if not 1000 <= year <= 2999:
        raise ValueError(f"year {year} is out of range 1000..2999")


@functools.cache
def _words() -> ModuleType:
    """date_words, which imports this module: imported once, when a date is first written
    (an import statement inside ``__str__`` cost 0.7 us on every call)."""
    import tracker.domain.values.date_words as words

    return words

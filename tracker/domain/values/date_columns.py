"""A FuzzyDate as the store keeps it: a precision column, an earliest and a latest day.

``column_precision`` names the form ('day'..'third', 'by-<bound>', 'range-<ends>', then
any mark, or 'unknown'); ``from_columns`` rebuilds the date from the three columns, and
``column_precisions`` lists every name the store's check on appends accepts.
"""

from __future__ import annotations

from datetime import date

from tracker.domain.values.dates import BOUNDS, NO_BOUND, POINTS, FuzzyDate, Mark, Precision
from tracker.errors import InvalidInputError


def from_columns(precision: str, earliest: date | None, latest: date) -> FuzzyDate:
    """Rebuild from stored columns (see ``column_precision``, earliest, latest)."""
    mark = Mark(precision[-1]) if precision[-1:] in ("~", "?", "%") else Mark.NONE
    name = precision.removesuffix(mark.value) if mark else precision
    kind, _, of = name.partition("-")
    if kind == "unknown":
        return FuzzyDate.unknown(None if latest == NO_BOUND else latest)
    if kind == "by":
        return FuzzyDate(Precision.BY, None, latest, widen(latest, Precision(of)), None, mark)
    if earliest is None:
        raise InvalidInputError(f"Stored date '{precision}' has no earliest day")
    if kind == "range":
        ends = (widen(earliest, Precision(of)), widen(latest, Precision(of)))
        return FuzzyDate(Precision.RANGE, earliest, latest, *ends, mark)
    # Columns written by the store are trusted as they were before marks existed.
    return FuzzyDate(Precision(name), earliest, latest, mark=mark)


def column_precision(d: FuzzyDate) -> str:
    """As stored: 'day'..'third', 'by-<bound>' or 'range-<ends>', then any mark;
    'unknown' (start NULL, end the day it is known by, else NO_BOUND). A relative date
    is never a world date, so never stored ('relative' is refused by the store)."""
    base = d.precision.value
    if d.inner is not None:
        base = f"{base}-{d.inner.precision.value}"
    return base + d.mark.value


def column_precisions() -> tuple[str, ...]:
    """Every value ``column_precision`` of a world date can take (for the store's check on
    appends); 'unknown' carries no mark."""
    bases = [p.value for p in BOUNDS]
    bases += [f"by-{p.value}" for p in BOUNDS] + [f"range-{p.value}" for p in POINTS]
    return (*(b + m.value for b in bases for m in Mark), Precision.UNKNOWN.value)


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

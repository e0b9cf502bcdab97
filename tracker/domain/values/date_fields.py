"""What a FuzzyDate field accepts: a FuzzyDate, a date, or any text ``parse`` reads.

``coerce_date`` is the conversion (refusals raise InvalidInputError); ``validated`` is the
same for pydantic, which names the field when a validator raises ValueError.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

from tracker.domain.values.dates import FuzzyDate
from tracker.errors import InvalidInputError


def coerce_date(value: Any) -> FuzzyDate:
    """Accept a FuzzyDate, a date, or any parseable string (for pydantic fields)."""
    if isinstance(value, FuzzyDate):
        return value
    if isinstance(value, date):
        return FuzzyDate.day(value)
    if isinstance(value, str):
        return _parsed(value)
    from tracker.domain.values.date_forms import refusal

    raise InvalidInputError(refusal(repr(value)))


def validated(value: Any) -> FuzzyDate:
    """``coerce_date`` for pydantic's plain validator."""
    try:
        return coerce_date(value)
    except InvalidInputError as e:
        # pydantic turns ValueError into a validation error that names the field.
        raise ValueError(str(e)) from None


@functools.lru_cache(maxsize=4096)
def _parsed(text: str) -> FuzzyDate:
    # Replaying a log validates the same few hundred date strings over and over; a
    # FuzzyDate is immutable, so one parse of each serves them all.
    return FuzzyDate.parse(text)

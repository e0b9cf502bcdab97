"""Quantities: a positive whole number of something (squadrons, systems, rifles).

Units are kept singular and lowercase so that '5 squadrons' and '1 squadron' add up; the
number is parsed the way Indian and Western reports print it ('6,01,427', '601,427').
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, PositiveInt, field_validator

from tracker.domain.values.estimates import Figure
from tracker.domain.values.units import _SINGULAR, plural, units
from tracker.errors import InvalidInputError

_COUNT = re.compile(r"^\d+(?:,\d+)*$")
_QUANTITY = re.compile(r"^(\S+)(?:\s+(.+))?$")


def count_words(n: int, unit: str) -> str:
    """'1 squadron', '70,000 rifles'; a bare number when there is no unit."""
    return f"{n:,} {units(n, unit)}".rstrip()


def figure_words(figure: Figure, unit: str) -> str:
    """A figure as the source gave it, with its unit: '~48,000 rifles', '5-6 squadrons',
    'over 5 lakh rifles', 'an unknown number of rifles'."""
    if figure.best is None:
        return f"an unknown number of {plural(unit)}".rstrip()
    one = figure.best == 1 and figure.high in (None, 1)
    return f"{figure} {unit if one else plural(unit)}".rstrip()


def parse_count(text: str) -> int:
    """A positive whole number from '5', '601427', '6,01,427'; anything else is refused."""
    raw = text.strip() if isinstance(text, str) else str(text)
    if isinstance(text, int) and not isinstance(text, bool) and text > 0:
        return text
    if _COUNT.match(raw) and (value := int(raw.replace(",", ""))) > 0:
        return value
    raise InvalidInputError(f"Invalid quantity '{raw}': must be a positive whole number")


def normalise_unit(unit: str) -> str:
    """'Squadrons' -> 'squadron'; unknown units only lose case and extra spaces."""
    word = " ".join(unit.split()).lower()
    if not word:
        raise InvalidInputError("Invalid unit '': a unit such as 'squadron' is required")
    return _SINGULAR.get(word, word)


class Quantity(BaseModel):
    """A positive whole number of a unit, e.g. 5 squadron."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    count: PositiveInt
    unit: str

    @field_validator("unit")
    @classmethod
    def _singular(cls, value: str) -> str:
        try:
            return normalise_unit(value)
        except InvalidInputError as e:
            raise ValueError(str(e)) from None

    @classmethod
    def parse(cls, text: str, default_unit: str | None = None) -> Quantity:
        """Parse '5 squadrons' or '601,427 rifles'; a bare number takes ``default_unit``."""
        raw = " ".join(text.split()) if isinstance(text, str) else ""
        m = _QUANTITY.match(raw)
        count = parse_count(m[1] if m else raw)
        unit = (m[2] if m else None) or default_unit
        if unit is None:
            raise InvalidInputError(
                f"Invalid quantity '{raw}': say what is counted, e.g. '5 squadrons'"
            )
        return cls(count=count, unit=normalise_unit(unit))

    def __str__(self) -> str:
        return f"{self.count} {self.unit}"

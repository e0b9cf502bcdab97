"""Periods of years, as SIPRI's trend tables group them: '2019-23'."""

from __future__ import annotations

import itertools
import re

from pydantic import BaseModel, ConfigDict

from tracker.errors import DomainError

_PERIOD = re.compile(r"^\s*(\d{4})\s*(?:-\s*(\d{2}|\d{4}))?\s*$")


class Period(BaseModel):
    """A closed range of years: '2019-23'."""

    model_config = ConfigDict(frozen=True)

    first: int
    last: int

    @property
    def label(self) -> str:
        if self.first == self.last:
            return str(self.first)
        if self.first // 100 == self.last // 100:
            return f"{self.first}-{self.last % 100:02d}"
        return f"{self.first}-{self.last}"

    def holds(self, year: int) -> bool:
        return self.first <= year <= self.last


def parse_periods(text: str) -> tuple[Period, ...]:
    """'2009-13,2014-18,2019-23' (or 2009-2013, or one year 2023); in order, no overlap."""
    out = []
    for part in text.split(","):
        found = _PERIOD.match(part)
        if not found:
            raise DomainError(f"Invalid period '{part.strip()}': write 2019-23 or 2019-2023")
        first = int(found[1])
        end = found[2] or found[1]
        last = int(end) if len(end) == 4 else first // 100 * 100 + int(end)
        if last < first:
            raise DomainError(f"Invalid period '{part.strip()}': {last} is before {first}")
        out.append(Period(first=first, last=last))
    for a, b in itertools.pairwise(out):
        if b.first <= a.last:
            raise DomainError(f"Periods must follow one another: {a.label} then {b.label}")
    return tuple(out)


def default_periods(last: int, count: int = 3, length: int = 5) -> tuple[Period, ...]:
    """The last ``count`` periods of ``length`` years ending with the year ``last``."""
    firsts = [last - length * k + 1 for k in range(count, 0, -1)]
    return tuple(Period(first=f, last=f + length - 1) for f in firsts)

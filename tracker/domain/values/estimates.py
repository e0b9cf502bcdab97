"""Figures as sources print them: exact, approximate, bounded, a range, or unknown.

UCDP gives each count as best, low and high; so does a ``Figure``. '~48,000' and 'about
48,000' are approximate with no stated bounds; 'over 5 lakh' (also 'more than', 'above',
'at least', '500,000+') is a lower bound and 'under 500' ('up to', 'less than', 'below', 'at
most') an upper one, each with the bound as its best value; '5-6' is a range whose best is
its midpoint rounded down (so a range never overstates against an order). 'unknown' has no
figure. The text is kept as written, so a figure prints as the source put it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from tracker.errors import InvalidInputError

#: Far beyond any order (the largest are rounds of ammunition); past it a count is a typo.
MAX_COUNT = 10**12

_NUMBER = r"\d+(?:,\d+)*(?:\.\d+)?"
_SCALE = r"(?:lakhs?|lacs?|crores?|thousand|million)"
_FIGURE = re.compile(rf"^({_NUMBER})(?:\s*({_SCALE}))?$")
_RANGE = re.compile(rf"^({_NUMBER})(?:\s*({_SCALE}))?\s*(?:-|–|to)\s*({_NUMBER}(?:\s*{_SCALE})?)$")
_SCALES = {
    "lakh": 10**5,
    "lac": 10**5,
    "crore": 10**7,
    "thousand": 10**3,
    "million": 10**6,
}
_APPROX = ("~", "about ", "around ", "approximately ", "approx. ", "circa ", "c. ")
_OVER = ("over ", "more than ", "above ", "at least ")
_UNDER = ("under ", "up to ", "less than ", "below ", "at most ")
_UNKNOWN = frozenset({"unknown", "not known", "?"})
FORMS = (
    "a whole number (6,01,427; 5 lakh) or an estimate ('~48,000', 'about 48,000', 'over 5"
    " lakh', '500,000+', 'under 500', 'up to 500', '5-6', 'unknown')"
)


class Estimate(BaseModel):
    """How a figure that is not exact was given: its best value (the event's int field),
    its bounds (None: not stated) and the text as written."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    best: int
    low: int | None = None
    high: int | None = None
    as_written: str


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure as read: ``best`` is None when unknown; an exact one has low == high == best."""

    best: int | None
    low: int | None
    high: int | None
    as_written: str

    @property
    def unknown(self) -> bool:
        return self.best is None

    @property
    def exact(self) -> bool:
        return self.best is not None and self.low == self.best == self.high

    def estimate(self) -> Estimate | None:
        """What an event stores beside its int field; None for an exact or unknown figure."""
        if self.exact or self.best is None:
            return None
        return Estimate(best=self.best, low=self.low, high=self.high, as_written=self.as_written)

    def __str__(self) -> str:
        return self.as_written


@functools.lru_cache(maxsize=4096, typed=True)
def exact(n: int) -> Figure:
    """The exact figure ``n`` (remembered: a Figure is immutable, and a replay asks for the
    same few numbers again and again)."""
    return Figure(n, n, n, f"{n:,}")


def from_estimate(e: Estimate) -> Figure:
    return Figure(e.best, e.low, e.high, e.as_written)


def parse_figure(text: Any) -> Figure:
    """Read a figure from any of FORMS; anything else raises InvalidInputError."""
    if isinstance(text, int) and not isinstance(text, bool):
        return exact(_checked(text, str(text)))
    raw = " ".join(text.split()) if isinstance(text, str) else str(text)
    word = raw.lower()
    if word in _UNKNOWN:
        return Figure(None, None, None, "unknown")
    for prefixes, kind in ((_APPROX, "approx"), (_OVER, "over"), (_UNDER, "under")):
        rest = _after(word, prefixes)
        if rest is not None:
            n = _number(rest, raw)
            return _bounded(kind, n, raw)
    if word.endswith("+"):
        return _bounded("over", _number(word[:-1].rstrip(), raw), raw)
    if (m := _RANGE.match(word)) is not None:
        return _range(m, raw)
    n = _number(word, raw)
    return exact(n)


def _after(word: str, prefixes: tuple[str, ...]) -> str | None:
    for prefix in prefixes:
        if word.startswith(prefix):
            return word[len(prefix) :].strip()
    return None


def _bounded(kind: str, n: int, raw: str) -> Figure:
    if kind == "over":
        return Figure(n, n, None, raw)
    if kind == "under":
        return Figure(n, None, n, raw)
    return Figure(n, None, None, raw)


def _range(m: re.Match[str], raw: str) -> Figure:
    high_text = m[3]
    scale = m[2] or _scale_of(high_text)
    low = _number(f"{m[1]} {scale}" if scale else m[1], raw)
    high = _number(high_text, raw)
    if low >= high:
        raise InvalidInputError(
            f"Invalid quantity '{raw}': a range runs from the lower to the higher figure,"
            " e.g. '5-6'"
        )
    return Figure((low + high) // 2, low, high, raw)


def _scale_of(text: str) -> str | None:
    m = _FIGURE.match(text)
    return m[2] if m else None


def _number(text: str, raw: str) -> int:
    m = _FIGURE.match(text.strip())
    if m is None:
        raise InvalidInputError(f"Invalid quantity '{raw}': expected {FORMS}")
    amount = Decimal(m[1].replace(",", ""))
    if m[2]:
        amount *= _SCALES[m[2].rstrip("s")]
    if amount != amount.to_integral_value():
        raise InvalidInputError(f"Invalid quantity '{raw}': must be a whole number")
    return _checked(int(amount), raw)


def _checked(n: int, raw: str) -> int:
    if n <= 0:
        raise InvalidInputError(f"Invalid quantity '{raw}': must be a positive whole number")
    if n > MAX_COUNT:
        raise InvalidInputError(f"Invalid quantity '{raw}': out of range (at most {MAX_COUNT:,})")
    return n


@dataclass(frozen=True, slots=True)
class Tally:
    """A running total of figures: the sum of best values and of bounds (None: unbounded
    that way, because some part has no stated bound there). ``as_written`` is kept while
    the total is one reported figure (a cumulative total), so it prints as the source did."""

    best: int
    low: int | None
    high: int | None
    as_written: str | None = None

    @property
    def exact(self) -> bool:
        return self.low == self.best == self.high

    def then(self, figure: Figure, *, cumulative: bool) -> Tally:
        """The total after a report: a cumulative figure replaces it, an increment adds."""
        best = figure.best if figure.best is not None else 0
        if cumulative:
            return Tally(best, figure.low, figure.high, None if figure.exact else str(figure))
        return Tally(self.best + best, _add(self.low, figure.low), _add(self.high, figure.high))

    def plus(self, other: Tally) -> Tally:
        """The sum of two totals (output of two joint ventures for one contract)."""
        return Tally(self.best + other.best, _add(self.low, other.low), _add(self.high, other.high))

    def estimate(self) -> Estimate | None:
        """The total's bounds and how it prints, for a view; None when exact."""
        if self.exact:
            return None
        return Estimate(best=self.best, low=self.low, high=self.high, as_written=self.text())

    def text(self) -> str:
        """'48,000' when exact; else as written, or '~48,005 (48,005–48,006)'."""
        if self.exact:
            return f"{self.best:,}"
        if self.as_written is not None:
            return self.as_written
        return f"~{self.best:,}{self.bounds()}"

    def bounds(self) -> str:
        """' (5–6)', ' (at least 5)', ' (at most 6)' or '' (no stated bounds)."""
        if self.low is not None and self.high is not None:
            return f" ({self.low:,}–{self.high:,})"
        if self.low is not None:
            return f" (at least {self.low:,})"
        if self.high is not None:
            return f" (at most {self.high:,})"
        return ""


ZERO = Tally(0, 0, 0)


def _add(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b

"""Dates as text: every form an analyst types.

``parse_date`` reads ISO and EDTF forms (2021-12-06, 2021-Q4, 2021~, 2021?, 2026/2027,
../2026-05) and the ways sources write dates (6 Dec 2021, Q3 2024, mid-2022, by end May
2026, Jul-Aug 2025, circa 2021). ``canonical`` and ``spoken`` (date_words) print a
FuzzyDate in forms this reads back.

``unknown`` (or ``undated``) is an undated fact, printed "undated; reported 2023-02-14"
when a source's publication date bounds it; a due date may be relative to another event
("+32 months after production start", "+2 years after signing"), printed as such.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from tracker.domain.values.date_words import MON, PARTS
from tracker.domain.values.dates import POINTS, FuzzyDate, Mark, Precision
from tracker.errors import InvalidInputError

FORMS = (
    "YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY, '6 Dec 2021', 'Dec 2021', 'Q3 2024', 'H1 2026',"
    " 'early/mid/late 2022', 'by 2023', 'by end May 2026', '2026-27', 'Jul-Aug 2025',"
    " '2026/2027', '../2026-05', '~2021', 'circa 2021', '2021?', 'unknown' or (for a due"
    " date) '+32 months after production start', '+24 months after signing'"
)

_FULL = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTHS = {
    **{m.lower(): i for i, m in enumerate(MON) if m},
    **{m: i + 1 for i, m in enumerate(_FULL)},
    "sept": 9,
}
_LEADING = re.compile(
    r"^(?:~|c\.|ca\.|circa\b|about\b|around\b|approx\b|approximately\b)\s*", re.ASCII
)
_BY_END = re.compile(r"^(?:the )?end(?: of|-| )\s*", re.ASCII)
_OPEN = ("..", "")
_TWO_DIGITS = re.compile(r"^\d{2}(?![\d-])", re.ASCII)
_UNDATED = re.compile(r"(?:unknown|undated)(?:; ?(?:reported|recorded) .*|; no dated source)?")
_RELATIVE = re.compile(
    r"\+?(\d{1,4}) (month|year)s? (?:after|from) (?:the )?(signing|production start)", re.ASCII
)

Builder = Callable[[re.Match[str]], FuzzyDate | None]


def refusal(shown: str, why: str | None = None) -> str:
    """The one-line refusal of a date: why, or (for a form not recognised) the forms."""
    return f"Invalid date {shown}: {why or 'expected ' + FORMS}"


def parse_date(text: str) -> FuzzyDate:
    """A FuzzyDate from any form in FORMS; anything else raises InvalidInputError."""
    s = _normal(text) if isinstance(text, str) else ""
    try:
        found = _without_days(s) or (_interval(s) if "/" in s else _marked(s, _plain))
    except ValueError as e:
        raise InvalidInputError(refusal(_shown(text), str(e))) from None
    if found is None:
        raise InvalidInputError(refusal(_shown(text)))
    return found


# --- reading ------------------------------------------------------------------------------


def _without_days(s: str) -> FuzzyDate | None:
    """'unknown', 'undated' (and how an undated date prints), or a relative date."""
    if _UNDATED.fullmatch(s):
        return FuzzyDate.unknown()  # the day it is known by comes from its sources
    if m := _RELATIVE.fullmatch(s):
        return FuzzyDate.relative(int(m[1]) * (12 if m[2] == "year" else 1), m[3])
    marked = s.startswith("~") or s.endswith(("~", "?", "%"))
    if marked and _without_days(s.strip("~?% ")) is not None:
        raise ValueError("an unknown or relative date takes no ~ or ? mark")
    return None


def _normal(text: str) -> str:
    s = text.lower().translate({0x2013: "-", 0x2014: "-", 0x2212: "-", ord(","): " "})
    s = " ".join(s.split())
    s = re.sub(r"(?<=[a-z]{3})\.", "", s)  # 'Sept. 2021', 'Dec. 6'
    return re.sub(r"\s*([-/])\s*", r"\1", s)


def _marked(s: str, body: Callable[[str], FuzzyDate | None]) -> FuzzyDate | None:
    """``body`` of ``s`` without its marks (~, circa, ?, %), the marks then put on it."""
    approximate = uncertain = False
    if m := _LEADING.match(s):
        approximate, s = True, s[m.end() :]
    while s[-1:] in ("~", "?", "%"):
        approximate |= s[-1] in "~%"
        uncertain |= s[-1] in "?%"
        s = s[:-1].rstrip()
    found = body(s)
    if found is None or not (approximate or uncertain):
        return found
    both = (approximate or found.mark in (Mark.APPROXIMATE, Mark.BOTH)) and (
        uncertain or found.mark in (Mark.UNCERTAIN, Mark.BOTH)
    )
    mark = Mark.BOTH if both else Mark.APPROXIMATE if approximate else Mark.UNCERTAIN
    return found.marked(mark)


def _plain(s: str) -> FuzzyDate | None:
    if s.startswith("by "):
        return _by(s[3:])
    return _point(s) or _hyphen_range(s)


def _by(s: str) -> FuzzyDate | None:
    s = _BY_END.sub("", s, count=1)
    if s.startswith("by "):
        raise ValueError("'by' cannot be nested")
    bound = _marked(s, _point)
    return None if bound is None else FuzzyDate.by(bound)


def _interval(s: str) -> FuzzyDate | None:
    """EDTF intervals: '2026/2027', '2026~/2027~', '../2026-05' (on or before)."""
    left, _, right = s.partition("/")
    if right in _OPEN:
        raise ValueError("an interval open at its end is not a date; give its last date")
    if left in _OPEN:
        bound = _marked(right, _point)
        return None if bound is None else FuzzyDate.by(bound)
    first = _marked(left, _point)
    if first is not None and first.precision is Precision.YEAR and _TWO_DIGITS.match(right):
        right = f"{first.latest.year // 100}{right}"  # 2026/27, as 2026-27
    last = _marked(right, _point)
    return None if first is None or last is None else FuzzyDate.between(first, last)


def _hyphen_range(s: str) -> FuzzyDate | None:
    """'2026-2027', 'Jul-Aug 2025', '6-20 Dec 2021': the first end borrows what it omits."""
    for i, char in enumerate(s):
        if char != "-":
            continue
        last = _point(s[i + 1 :])
        if last is None or last.precision not in POINTS:
            continue
        month_year = f"{MON[last.latest.month]} {last.latest.year}".lower()
        for text in (s[:i], f"{s[:i]} {month_year}", f"{s[:i]} {last.latest.year}"):
            first = _point(text)
            if first is not None and first.precision is last.precision:
                return FuzzyDate.between(first, last)
    return None


def _point(s: str) -> FuzzyDate | None:
    """One date (or an ISO-like 'YYYY-YY' range); None when no form matches."""
    for pattern, build in _FORMS:
        if m := pattern.fullmatch(s):
            return build(m)
    return None


def _iso_month(m: re.Match[str]) -> FuzzyDate:
    year, n = int(m[1]), int(m[2])
    if n <= 12 or len(m[2]) != 2 or n <= year % 100:
        if n > 12:
            raise ValueError(
                "month must be in 1..12 (a range of years must end after it starts: 2026-27)"
            )
        return FuzzyDate.month(year, n)
    return FuzzyDate.between(FuzzyDate.year(year), FuzzyDate.year(year // 100 * 100 + n))


def _named_month(name: str, year: str, day: str | None = None) -> FuzzyDate | None:
    month = _MONTHS.get(name)
    if month is None:
        return None
    if day is None:
        return FuzzyDate.month(int(year), month)
    return FuzzyDate.day(_checked_day(int(year), month, int(day)))


def _checked_day(year: int, month: int, day: int) -> date:
    last = FuzzyDate.month(year, month).latest.day
    if not 1 <= day <= last:
        raise ValueError(f"day must be in 1..{last} for {year:04d}-{month:02d}")
    return date(year, month, day)


_ORD = r"(\d{1,2})(?:st|nd|rd|th)?"
_FORMS: tuple[tuple[re.Pattern[str], Builder], ...] = tuple(
    (re.compile(pattern, re.ASCII), build)
    for pattern, build in (
        (r"(\d{4})", lambda m: FuzzyDate.year(int(m[1]))),
        (r"(\d{4})-(\d{1,2})-(\d{1,2})", lambda m: FuzzyDate.day(_checked_day(*_ints(m)))),
        (r"(\d{4})-(\d{1,2})", _iso_month),
        (r"(\d{4})-?q(\d)", lambda m: FuzzyDate.quarter(int(m[1]), int(m[2]))),
        (r"q(\d)[ -]?(\d{4})", lambda m: FuzzyDate.quarter(int(m[2]), int(m[1]))),
        (r"(\d{4})-?h(\d)", lambda m: FuzzyDate.half(int(m[1]), int(m[2]))),
        (r"h(\d)[ -]?(\d{4})", lambda m: FuzzyDate.half(int(m[2]), int(m[1]))),
        (r"(early|mid|late)[ -]?(\d{4})", lambda m: FuzzyDate.third(int(m[2]), _third(m[1]))),
        (r"([a-z]+)[ -](\d{4})", lambda m: _named_month(m[1], m[2])),
        (rf"{_ORD} ([a-z]+) (\d{{4}})", lambda m: _named_month(m[2], m[3], m[1])),
        (rf"([a-z]+) {_ORD} (\d{{4}})", lambda m: _named_month(m[1], m[3], m[2])),
    )
)


def _ints(m: re.Match[str]) -> tuple[int, ...]:
    return tuple(int(g) for g in m.groups())


def _third(word: str) -> int:
    return PARTS.index(word) + 1


def _shown(text: Any) -> str:
    """The refused text as one short line."""
    t = text if isinstance(text, str) else repr(text)
    t = t if len(t) <= 40 else t[:40] + "..."
    return f"'{t}'" if t.isprintable() else repr(t)

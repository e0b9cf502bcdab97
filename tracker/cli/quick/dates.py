"""The canonical date texts the read models hold, read back without the domain's FuzzyDate.

Only canonical forms (``str(FuzzyDate)``, which is what the typed tables store) are read;
``spoken`` gives what ``FuzzyDate.parse(text).human()`` gives. Any other text raises
Unhandled, and the caller leaves the question to the full path.
"""

from __future__ import annotations

import re
from datetime import date

from tracker.cli.quick.errors import Unhandled

_MON = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_PARTS = ("early", "mid", "late")
_POINT = re.compile(
    r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?|-Q(?P<q>[1-4])|-H(?P<h>[12]))?"
    r"|(?P<part>early|mid|late) (?P<py>\d{4})"
)
_RELATIVE = re.compile(r"\+(\d{1,4}) months? after (signing|production start)")
_MARKS = ("~", "?", "%")


class Day:
    """A stored date text: ``str`` gives it back, ``human`` as FuzzyDate.human says it."""

    __slots__ = ("_spoken", "_text")

    def __init__(self, text: str, spoken: str) -> None:
        self._text, self._spoken = text, spoken

    def __str__(self) -> str:
        return self._text

    def human(self) -> str:
        return self._spoken


_SEEN: dict[str, Day] = {}


def day(text: str) -> Day:
    """The Day of a canonical date text (dates repeat: each is read once)."""
    found = _SEEN.get(text)
    if found is None:
        found = _SEEN[text] = Day(text, spoken(text))
    return found


def spoken(text: str) -> str:
    """'6 Dec 2021', 'by end May 2026', '~2021', 'Jul-Aug 2025', for a canonical text."""
    if text == "unknown":
        return "undated; no dated source"
    if m := _RELATIVE.fullmatch(text):
        months = int(m[1])
        if not 1 <= months <= 1200 or m[0] != _after(months, m[2], "+"):
            raise Unhandled(f"date {text!r}")
        return _after(months, m[2], "")
    body, mark = (text[:-1], text[-1]) if text[-1:] in _MARKS else (text, "")
    if body.startswith("by "):
        words = "by " + _bound(_point(body[3:]))
    elif "/" in body:
        left, right = body.split("/", 1)
        if not left.endswith(mark):
            raise Unhandled(f"date {text!r}")
        words = _range(_point(left.removesuffix(mark) if mark else left), _point(right))
    else:
        words = _words(_point(body))
    approximate, uncertain = mark in ("~", "%"), mark in ("?", "%")
    return ("~" if approximate else "") + words + ("?" if uncertain else "")


def _after(months: int, anchor: str, sign: str) -> str:
    return f"{sign}{months} month{'' if months == 1 else 's'} after {anchor}"


# A point is (precision, first day, last day).
Point = tuple[str, date, date]


def _point(text: str) -> Point:
    m = _POINT.fullmatch(text)
    if m is None:
        raise Unhandled(f"date {text!r}")
    year = int(m["y"] or m["py"])
    if not 1000 <= year <= 2999:
        raise Unhandled(f"date {text!r}")
    try:
        if m["part"]:
            kind, first, count = "third", 4 * _PARTS.index(m["part"]) + 1, 4
        elif m["q"]:
            kind, first, count = "quarter", 3 * int(m["q"]) - 2, 3
        elif m["h"]:
            kind, first, count = "half", 6 * int(m["h"]) - 5, 6
        elif m["d"]:
            d = date(year, int(m["m"]), int(m["d"]))
            return ("day", d, d)
        elif m["m"]:
            kind, first, count = "month", int(m["m"]), 1
        else:
            kind, first, count = "year", 1, 12
        start, end = date(year, first, 1), _month_end(year, first + count - 1)
    except ValueError as e:
        raise Unhandled(f"date {text!r}") from e
    return (kind, start, end)


def _month_end(year: int, month: int) -> date:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


def _words(p: Point) -> str:
    kind, e, _ = p
    if kind == "day":
        return f"{e.day} {_MON[e.month]} {e.year}"
    if kind == "month":
        return f"{_MON[e.month]} {e.year}"
    if kind == "quarter":
        return f"Q{(e.month - 1) // 3 + 1} {e.year}"
    if kind == "half":
        return f"H{(e.month - 1) // 6 + 1} {e.year}"
    if kind == "third":
        part = _PARTS[(e.month - 1) // 4]
        return f"{part}-{e.year}" if part == "mid" else f"{part} {e.year}"
    return str(e.year)


def _bound(inner: Point) -> str:
    kind, _, last = inner
    if kind == "year":
        return f"end {last.year}"
    if kind == "day":
        return f"end {last.year}" if (last.month, last.day) == (12, 31) else _words(inner)
    if kind == "third":
        return _words(inner)
    return "end " + _words(inner)


def _range(first: Point, last: Point) -> str:
    if first[0] != last[0] or first[0] in ("half", "third") or last[2] <= first[2]:
        raise Unhandled("date range")
    a, b = first[2], last[2]
    if first[0] == "year":
        short = a.year // 100 == b.year // 100 and b.year % 100 > 12
        return f"{a.year}-{b.year % 100:02d}" if short else f"{a.year}-{b.year}"
    if a.year != b.year:
        return f"{_words(first)}-{_words(last)}"
    if first[0] == "month":
        return f"{_MON[a.month]}-{_MON[b.month]} {a.year}"
    if first[0] == "quarter":
        return f"Q{(a.month - 1) // 3 + 1}-{_words(last)}"
    if a.month == b.month:
        return f"{a.day}-{_words(last)}"
    return f"{a.day} {_MON[a.month]}-{_words(last)}"

"""Dates as words: the canonical form and the spoken form of a FuzzyDate.

``canonical`` prints ISO and EDTF forms (2021-12-06, 2021-Q4, 2021~, 2026/2027, by 2023);
``spoken`` prints what a person writes (6 Dec 2021, mid-2022, by end May 2026, Jul-Aug
2025). Both read back (date_forms.parse_date) to the same date, with one exception: a "by"
bound given as the day 31 December prints as "by end YYYY", which reads back as the year
bound (the same last day). An undated fact prints "undated; reported 2023-02-14" when a
source's publication date bounds it; a relative due date prints as such.
"""

from __future__ import annotations

from tracker.domain.values.dates import FuzzyDate, Mark, Precision

MON = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
PARTS = ("early", "mid", "late")  # the parts of a year: Jan-Apr, May-Aug, Sep-Dec


def canonical(d: FuzzyDate) -> str:
    """The machine form: ISO/EDTF ('2021-12', '2021~', '2026/2027'), '2021-Q4', 'by 2023',
    'unknown', '+32 months after production start'."""
    # Years and days first, one identity test each: every fact's date is printed as its
    # state is stored, and most are SIPRI's years or a source's day.
    precision, e = d.precision, d.earliest
    if precision is Precision.YEAR and e is not None:
        text = f"{e.year:04d}"
    elif precision is Precision.DAY and e is not None:
        text = e.isoformat()
    else:
        return _canonical(d)
    return text + d.mark if d.mark else text


def _canonical(d: FuzzyDate) -> str:
    if d.precision is Precision.UNKNOWN:
        return "unknown"
    if d.precision is Precision.RELATIVE:
        return "+" + _after_words(d)
    if d.precision is Precision.RANGE:
        assert d.inner is not None and d.end is not None
        return f"{canonical(d.inner)}{d.mark}/{canonical(d.end)}{d.mark}"
    if d.precision is Precision.BY:
        assert d.inner is not None
        return f"by {canonical(d.inner)}{d.mark}"
    assert d.earliest is not None
    e = d.earliest
    match d.precision:
        case Precision.DAY:
            text = e.isoformat()
        case Precision.MONTH:
            text = f"{e.year:04d}-{e.month:02d}"
        case Precision.QUARTER:
            text = f"{e.year:04d}-Q{(e.month - 1) // 3 + 1}"
        case Precision.HALF:
            text = f"{e.year:04d}-H{(e.month - 1) // 6 + 1}"
        case Precision.THIRD:
            text = f"{PARTS[(e.month - 1) // 4]} {e.year:04d}"
        case _:
            text = f"{e.year:04d}"
    return text + d.mark


def spoken(d: FuzzyDate) -> str:
    """As a person writes it: '6 Dec 2021', 'mid-2022', 'by end May 2026', '~2021'."""
    approximate = d.mark in (Mark.APPROXIMATE, Mark.BOTH)
    uncertain = d.mark in (Mark.UNCERTAIN, Mark.BOTH)
    return ("~" if approximate else "") + _words(d) + ("?" if uncertain else "") + d.note


def after_words(months: int, anchor: str) -> str:
    """'32 months after production start', '1 month after signing'."""
    return f"{months} month{'' if months == 1 else 's'} after {anchor}"


def _after_words(d: FuzzyDate) -> str:
    assert d.after is not None
    return after_words(d.after.months, d.after.anchor)


def _words(d: FuzzyDate) -> str:
    if d.precision is Precision.UNKNOWN:
        return "undated" if d.note else "undated; no dated source"
    if d.precision is Precision.RELATIVE:
        return _after_words(d)
    if d.precision is Precision.BY:
        assert d.inner is not None
        return "by " + _bound_words(d.inner)
    if d.precision is Precision.RANGE:
        assert d.inner is not None and d.end is not None
        return _range_words(d.inner, d.end)
    assert d.earliest is not None
    e = d.earliest
    match d.precision:
        case Precision.DAY:
            return f"{e.day} {MON[e.month]} {e.year}"
        case Precision.MONTH:
            return f"{MON[e.month]} {e.year}"
        case Precision.QUARTER:
            return f"Q{(e.month - 1) // 3 + 1} {e.year}"
        case Precision.HALF:
            return f"H{(e.month - 1) // 6 + 1} {e.year}"
        case Precision.THIRD:
            part = PARTS[(e.month - 1) // 4]
            return f"{part}-{e.year}" if part == "mid" else f"{part} {e.year}"
        case _:
            return str(e.year)


def _bound_words(inner: FuzzyDate) -> str:
    last = inner.latest
    if inner.precision is Precision.YEAR:
        return f"end {last.year}"
    if inner.precision is Precision.DAY:
        # Sources say "by the end of 2025"; seeds record that as the day 2025-12-31.
        return f"end {last.year}" if (last.month, last.day) == (12, 31) else _words(inner)
    if inner.precision is Precision.THIRD:
        return _words(inner)
    return "end " + _words(inner)


def _range_words(first: FuzzyDate, last: FuzzyDate) -> str:
    a, b = first.latest, last.latest
    if first.precision is Precision.YEAR:
        short = a.year // 100 == b.year // 100 and b.year % 100 > 12
        return f"{a.year}-{b.year % 100:02d}" if short else f"{a.year}-{b.year}"
    if a.year != b.year:
        return f"{_words(first)}-{_words(last)}"
    if first.precision is Precision.MONTH:
        return f"{MON[a.month]}-{MON[b.month]} {a.year}"
    if first.precision is Precision.QUARTER:
        return f"Q{(a.month - 1) // 3 + 1}-{_words(last)}"
    if a.month == b.month:
        return f"{a.day}-{_words(last)}"
    return f"{a.day} {MON[a.month]}-{_words(last)}"

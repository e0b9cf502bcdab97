"""Durations as a person says them: '7 months', '1 year 2 months', '12 days'."""

from __future__ import annotations

from datetime import date

import pendulum


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def span_words(start: date, end: date) -> str:
    """The calendar distance from ``start`` to ``end`` in years and months, else in days.

    Slips are told in months: a remainder of days is dropped once a month has passed.
    Returns '' when the two days are equal.
    """
    if end < start:
        start, end = end, start
    interval = pendulum.Date(end.year, end.month, end.day) - pendulum.Date(
        start.year, start.month, start.day
    )
    parts = []
    if interval.years:
        parts.append(_plural(interval.years, "year"))
    if interval.months:
        parts.append(_plural(interval.months, "month"))
    if not parts and (days := interval.in_days()):
        parts.append(_plural(days, "day"))
    return " ".join(parts)


def late_words(due: date, actual: date) -> str:
    """'on time' or '7 months late' for something that arrived on ``actual``."""
    return f"{span_words(due, actual)} late" if actual > due else "on time"


def overdue_words(due: date, today: date) -> str:
    """'1 year 2 months overdue' for something still awaited."""
    return f"{span_words(due, today)} overdue"


def due_in_words(due: date, today: date) -> str:
    """'due in 11 months', 'due today'."""
    return f"due in {span_words(today, due)}" if due > today else "due today"


def moved_words(original: date, current: date) -> str:
    """How far a due date moved from the first plan: '3 years later than first planned'."""
    if current == original:
        return "as first planned"
    direction = "later" if current > original else "earlier"
    return f"{span_words(original, current)} {direction} than first planned"

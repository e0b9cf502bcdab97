"""Single days for callers at the edges: today in UTC, and an --as-of day read from text
(the domain itself takes ``today`` as a value)."""

from __future__ import annotations

from datetime import date

import pendulum

from tracker.domain.values.dates import FuzzyDate


def today_in_utc() -> date:
    """Today's date in UTC, for callers at the edges (the domain takes ``today`` as a value)."""
    return pendulum.now("UTC").date()


def parse_day(text: str) -> date:
    """Parse an --as-of date; '2021-12' means the last day of December 2021."""
    return FuzzyDate.parse(text).latest

"""What a request asks for, read from its query string; a bad value names its parameter.

``as_of`` and ``known_at`` ride along in every link, so a page seen on a past day links to
pages seen on the same day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlencode

from tracker.errors import InvalidInputError, TrackerError

#: Parameters every page takes: the two axes of time.
AXES = ("as_of", "known_at")
MAX_PER_PAGE = 500


class BadParameterError(InvalidInputError):
    """A query parameter the page cannot use; answered with 400 naming it."""

    def __init__(self, name: str, why: str) -> None:
        super().__init__(f"Invalid parameter '{name}': {why}")
        self.name = name


class NotFoundError(TrackerError):
    """A ref or page that does not exist (in this view); answered with 404."""


@dataclass(frozen=True, slots=True)
class When:
    """The view: a world date (``as_of``) and a record time (``known_at``); None is now."""

    as_of: date | None = None
    known_at: datetime | None = None
    raw: dict[str, str] = field(default_factory=dict)

    def sentence(self, today: date) -> str:
        """Which view the page shows, in plain words."""
        world = (
            f"what had happened by {_day(self.as_of)}"
            if self.as_of
            else f"where things stand today, {_day(today)}"
        )
        if self.known_at is None:
            return f"Showing {world}, from everything the log holds now."
        return (
            f"Showing {world}, from the log as it was known on "
            f"{self.known_at:%Y-%m-%d %H:%M} UTC (later entries and corrections left out)."
        )


def read_when(params: Mapping[str, str]) -> When:
    """The two axes from the query string; an empty value means 'now'."""
    raw = {k: params[k].strip() for k in AXES if params.get(k, "").strip()}
    as_of = _as_of(raw["as_of"]) if "as_of" in raw else None
    known_at = _known_at(raw["known_at"]) if "known_at" in raw else None
    return When(as_of, known_at, raw)


def only(params: Mapping[str, str], allowed: tuple[str, ...]) -> None:
    """Refuse parameters the page does not take (a typo would silently show everything)."""
    for name in params:
        if name not in allowed and name not in AXES:
            raise BadParameterError(name, "this page takes no such parameter")


def link(path: str, params: Mapping[str, str | None]) -> str:
    """``path`` with the non-empty ``params`` as its query string."""
    kept = {k: v for k, v in params.items() if v}
    return f"{path}?{urlencode(kept)}" if kept else path


def whole(params: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    """A whole number between ``low`` and ``high``."""
    text = params.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise BadParameterError(name, f"'{text}' is not a whole number from {low} to {high}")
    return int(text)


def choice(params: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str | None:
    text = params.get(name, "").strip()
    if text and text not in choices:
        raise BadParameterError(name, f"'{text}' is not one of {', '.join(choices)}")
    return text or None


def _as_of(text: str) -> date:
    from tracker.domain.values.days import parse_day

    try:
        return parse_day(text)
    except TrackerError as e:
        raise BadParameterError("as_of", str(e)) from e


def _known_at(text: str) -> datetime:
    """As --known-at reads it: a day (its end) or a date-time, in UTC."""
    import pendulum

    try:
        parsed = pendulum.parse(text, tz="UTC", strict=False)
    except (ValueError, OverflowError, pendulum.parsing.exceptions.ParserError) as e:
        raise BadParameterError("known_at", f"'{text}' is not a date or a date-time") from e
    if not isinstance(parsed, datetime):
        raise BadParameterError("known_at", f"'{text}' is not a date or a date-time")
    if len(text) == 10:  # a bare day means the end of that day
        parsed = parsed.end_of("day")
    return parsed.in_tz("UTC")


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"

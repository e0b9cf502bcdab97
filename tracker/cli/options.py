"""Parameter types and option bundles shared by commands."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

import click

from tracker.cli.output import FORMATS

F = TypeVar("F", bound=Callable[..., Any])


class DayType(click.ParamType):
    """A world date for --as-of ("as of"): 2022-01-01 (or 2021-12 = its last day)."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        from tracker.domain.dates import parse_day
        from tracker.errors import InvalidInputError

        try:
            return parse_day(str(value))
        except InvalidInputError as e:
            self.fail(str(e), param, ctx)


class MomentType(click.ParamType):
    """A record time for --known-at ("as known on"): 2024-04-30, 2024-04-30T12:00 (UTC)."""

    name = "DATETIME"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> datetime:
        if isinstance(value, datetime):
            return value
        import pendulum

        text = str(value).strip()
        try:
            parsed = pendulum.parse(text, tz="UTC", strict=False)
        except (ValueError, pendulum.parsing.exceptions.ParserError) as e:
            self.fail(f"Invalid date-time '{text}': {e}", param, ctx)
        if not isinstance(parsed, datetime):
            self.fail(f"Invalid date-time '{text}'", param, ctx)
        if len(text) == 10:  # a bare day means the end of that day
            parsed = parsed.end_of("day")
        return parsed.in_tz("UTC")


DAY = DayType()
MOMENT = MomentType()


def format_option(f: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="Output format.",
    )(f)


def read_options(f: F) -> F:
    """--as-of, --known-at and --format, the bundle every read command takes."""
    f = click.option(
        "--known-at",
        type=MOMENT,
        help=(
            "As known on this day or time (UTC), the record axis: only what the log held"
            " then, before any later correction, e.g. 2024-04-30 or 2024-04-30T12:00."
        ),
    )(f)
    f = click.option(
        "--as-of",
        type=DAY,
        help=(
            "As of this world date: only what had happened by then, at the dates the record"
            " now gives (corrections applied), e.g. 2022-01-01."
        ),
    )(f)
    return format_option(f)

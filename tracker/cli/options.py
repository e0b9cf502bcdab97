"""Parameter types and option bundles shared by commands."""

from __future__ import annotations

import functools
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


class SignedType(click.ParamType):
    """A signing window for --signed: a year (2018), years (2015-2020) or any date form."""

    name = "YEARS"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[date, date]:
        if isinstance(value, tuple):
            return value
        from tracker.errors import InvalidInputError
        from tracker.projections.filters import signed_window

        try:
            return signed_window(str(value))
        except InvalidInputError as e:
            self.fail(str(e), param, ctx)


#: What a table shows unless --limit says otherwise (JSON and CSV show everything).
PAGE = 50
_FILTERS = ("buyer", "seller", "country", "system", "search", "signed", "state", "overdue")


def filter_options(f: F | None = None, *, paging: bool = True) -> Any:
    """--buyer, --seller, --country, --system, --search, --signed, --state and --overdue
    (and with ``paging``, --sort and --limit): the filters every read of contracts takes,
    passed on as ``flt`` (a ContractFilter) and, with ``paging``, ``limit`` (None: the
    format's default). ``@filter_options`` or ``@filter_options(paging=False)``."""
    if f is None:
        return functools.partial(filter_options, paging=paging)
    from tracker.projections.filters import SORTS, STATES

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from tracker.projections.filters import ContractFilter

        chosen = {name: kwargs.pop(name) for name in _FILTERS}
        sort = kwargs.pop("sort") if paging else "ref"
        kwargs["flt"] = ContractFilter(**chosen, sort=sort)
        return f(*args, **kwargs)

    options = [
        click.option("--buyer", metavar="PARTY", help="Only contracts this party buys."),
        click.option("--seller", metavar="PARTY", help="Only contracts this party sells."),
        click.option("--country", metavar="PARTY", help="Only contracts with it on either side."),
        click.option("--system", help="Only systems whose name holds this text (S-400)."),
        click.option(
            "--search",
            metavar="TEXT",
            help="Full text: words beginning words of the system, description or notes.",
        ),
        click.option("--signed", type=SignedType(), help="Signed in 2018, 2015-2020, ..."),
        click.option("--state", type=click.Choice(STATES), help="Only contracts in this state."),
        click.option("--overdue", is_flag=True, help="Only contracts with an overdue milestone."),
    ]
    if paging:
        options += [
            click.option(
                "--sort",
                type=click.Choice(SORTS),
                default="ref",
                show_default=True,
                help="Order by.",
            ),
            click.option(
                "--limit",
                type=click.IntRange(min=1),
                help=f"At most N contracts (tables show {PAGE} unless told).",
            ),
        ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper

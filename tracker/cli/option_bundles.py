"""The option bundles commands share: --format; --as-of, --known-at; the contract filters;
and what every `tracker log KIND` takes (--occurred, the --source bundle, --dry-run...)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

from tracker.cli.input_types import DAY, FUZZY_DATE, MOMENT, PUBLISHED, SIGNED
from tracker.cli.output import FORMATS

F = TypeVar("F", bound=Callable[..., Any])


def format_option(f: F) -> F:
    """--format: table, json, csv or md."""
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
        click.option("--signed", type=SIGNED, help="Signed in 2018, 2015-2020, ..."),
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


CONFIDENCE = ("confirmed", "reported", "planned", "unconfirmed")

SOURCE_HELP = (
    "Sources: each --source URL (an absolute http or https link) starts a citation; the"
    " Nth --source-title, --publisher and --published belong to the Nth --source. Give each"
    " of those once per --source or not at all ('' stands for 'not known'). For a source"
    " without a link give --source-title alone (or --source '' beside other links)."
)


def event_options(*, occurred_default: str | None = None) -> Callable[[F], F]:
    """--occurred, the --source bundle, --confidence, --actor, --event-id and --dry-run."""
    occurred_help = "When it happened in the world: 2021-12-06, 2021-12, 2021-Q4, 2021, 'by 2023'."
    if occurred_default:
        occurred_help += f" Default: {occurred_default}."
    options = [
        click.option(
            "--occurred", type=FUZZY_DATE, required=occurred_default is None, help=occurred_help
        ),
        click.option(
            "--source",
            "sources",
            multiple=True,
            metavar="URL",
            help="Where it was reported: an http(s) link.",
        ),
        click.option(
            "--source-title", "source_titles", multiple=True, metavar="TEXT", help="Headline."
        ),
        click.option("--publisher", "publishers", multiple=True, metavar="TEXT", help="Outlet."),
        click.option(
            "--published", multiple=True, type=PUBLISHED, help="Day the source was published."
        ),
        click.option(
            "--confidence", type=click.Choice(CONFIDENCE), help="How sure the sources are."
        ),
        click.option("--actor", metavar="NAME", help="Who records it (default: your user name)."),
        click.option(
            "--event-id", metavar="UUID", help="Fixed event id: a retry with it logs nothing new."
        ),
        click.option("--dry-run", is_flag=True, help="Check and show the event; write nothing."),
    ]

    def decorate(f: F) -> F:
        for option in reversed(options):
            f = option(f)
        return f

    return decorate

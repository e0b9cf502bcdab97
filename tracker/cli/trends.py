"""`tracker trends`: partners' shares of SIPRI's TIV over five-year periods."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from tracker.cli.context import open_tracker
from tracker.cli.input_types import MOMENT
from tracker.cli.output import FORMATS, Column, echo_json, emit

if TYPE_CHECKING:
    from datetime import datetime

    from tracker.domain.views.trends_models import Trends


@click.command()
@click.option("--recipient", metavar="PARTY", help="Its imports, by supplier.")
@click.option("--supplier", metavar="PARTY", help="Its exports, by recipient.")
@click.option(
    "--periods",
    metavar="LIST",
    help="Periods, e.g. 2009-13,2014-18,2019-23 (default: the last three five-year"
    " periods ending with the last year in the data).",
)
@click.option("--yearly", is_flag=True, help="One column per year of the periods.")
@click.option(
    "--top", type=click.IntRange(min=1), default=5, show_default=True, help="Partners by name."
)
@click.option("--system", help="Only designations holding this text (S-400).")
@click.option("--category", help="Only this SIPRI armament category (Aircraft, Ships, ...).")
@click.option(
    "--known-at", type=MOMENT, help="As known on this day or time (UTC): what the log held then."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice((*FORMATS, "html")),
    default="table",
    show_default=True,
    help="Output format (html: a page with charts).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE instead of stdout.",
)
@click.pass_context
def trends(
    ctx: click.Context,
    recipient: str | None,
    supplier: str | None,
    periods: str | None,
    yearly: bool,
    top: int,
    system: str | None,
    category: str | None,
    known_at: datetime | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Who arms whom: partners' shares of SIPRI TIV, by period.

    For a recipient (its suppliers), a supplier (its recipients) or the world (its
    suppliers): each partner's share and rank per period, the volume per period in
    SIPRI trend-indicator values (millions), its change on the period before and its
    share of the world's. Only deliveries a SIPRI release reported count; even splits
    of a deal's TIV over its years are marked *; the record's other deals (logged by
    hand, e.g. small arms) are listed beside the figures, never added to them.

    \b
    Example:
      tracker trends --recipient India
      tracker trends --supplier France --periods 2009-13,2014-18,2019-23
      tracker trends --recipient India --format html -o india.html
    """
    from tracker.domain.views.periods import parse_periods
    from tracker.domain.views.trends import Question

    if fmt == "html" and output is None:
        raise click.UsageError("--format html needs --output FILE")
    question = Question(
        recipient=recipient,
        supplier=supplier,
        periods=parse_periods(periods) if periods else None,
        yearly=yearly,
        top=top,
        system=system,
        category=category,
    )
    found = open_tracker(ctx).trends(question, known_at=known_at)
    if output is not None:
        _to_file(found, fmt, output, _scope(system, category, known_at))
        return
    _print(found, fmt)


def _print(found: Trends, fmt: str) -> None:
    from tracker.reports import trends as r

    if fmt == "json":
        echo_json(r.as_json(found))
        return
    if fmt == "csv":
        emit(r.csv_rows(found), [], fmt)
        return
    columns = [Column("partner", found.partner_role.capitalize())] + [
        Column(f"p{n}", label, right=True) for n, label in enumerate(r.labels(found))
    ]
    if fmt == "table":  # above the table: rich would wrap a title to the table's width
        click.echo(r.title(found))
    emit(r.table_rows(found), columns, fmt, title=r.title(found) if fmt == "md" else None)
    lines = r.notes(found)
    if fmt == "md":
        click.echo("")
    click.echo("\n".join(f"- {n.strip()}" if fmt == "md" else n for n in lines))


def _to_file(found: Trends, fmt: str, output: Path, scope: list[str]) -> None:
    import contextlib
    import io
    import json

    from tracker.cli.files import write_all
    from tracker.inert import inert
    from tracker.reports import trends as r

    if fmt == "html":
        text = r.render_trends_html(found, scope=scope, made="From the record's SIPRI imports")
    elif fmt == "json":
        text = json.dumps(r.as_json(found), indent=2, ensure_ascii=False) + "\n"
    else:
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            _print(found, fmt)
        text = buffer.getvalue()
    write_all({output: inert(text).encode("utf-8")})
    click.echo(f"Wrote {output}.")


def _scope(system: str | None, category: str | None, known_at: datetime | None) -> list[str]:
    said = [
        f"systems matching '{system}'" if system else "",
        f"the category {category}" if category else "",
        f"the log as known on {known_at:%Y-%m-%d %H:%M} UTC" if known_at else "",
    ]
    return [s for s in said if s]

"""`tracker report`: sourced timelines and delivery-status briefs, to stdout or a file.

Only parsing and writing happen here; tracker.reports builds and renders (and imports
matplotlib and Jinja2 only when a report is made, never for --help).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from tracker.cli.context import open_tracker
from tracker.cli.input_types import DAY, FUZZY_DAY, MOMENT
from tracker.cli.option_bundles import filter_options
from tracker.cli.report_output import write, write_streamed

if TYPE_CHECKING:
    from tracker.domain.values.dates import FuzzyDate
    from tracker.projections.filters import ContractFilter
    from tracker.reports.model import TimelineReport
    from tracker.reports.pieces import Format

F = TypeVar("F", bound=Callable[..., Any])


def selection_options(f: F) -> F:
    """--contract, the contract filters (--buyer, --country, --system, --search, ...,
    --sort, --limit), --as-of and --known-at: which contracts, when."""
    for option in reversed(
        [
            click.option(
                "--contract",
                "contracts",
                metavar="REF",
                multiple=True,
                help="Only this contract, or the one a unique beginning names (repeat for more).",
            ),
            filter_options,
            click.option(
                "--as-of",
                type=DAY,
                help="As of this world date (corrections applied), e.g. 2022-01-01.",
            ),
            click.option(
                "--known-at",
                type=MOMENT,
                help="As known on this day or time (UTC): what the log held then.",
            ),
        ]
    ):
        f = option(f)
    return f


def output_options(formats: tuple[str, ...], default: str) -> Callable[[F], F]:
    def apply(f: F) -> F:
        f = click.option(
            "--no-charts", "no_charts", is_flag=True, help="Leave the charts out (md, html)."
        )(f)
        f = click.option(
            "--output",
            "-o",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Write to FILE (Markdown charts go beside it as PNG files).",
        )(f)
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(formats),
            default=default,
            show_default=True,
            help="Output format.",
        )(f)

    return apply


@click.group()
def report() -> None:
    """Write reports: sourced timelines and status briefs.

    \b
    Example:
      tracker report timeline --contract s400-india-2018
      tracker report timeline --format html --output story.html
      tracker report status --format md --output status.md
      tracker report trends --recipient India --format html -o india.html
    """


@report.command()
@selection_options
@click.option("--from", "start", type=FUZZY_DAY, help="Only entries from this date on.")
@click.option("--to", "end", type=FUZZY_DAY, help="Only entries up to this date.")
@output_options(("text", "md", "html", "csv", "json"), "text")
@click.pass_context
def timeline(ctx: click.Context, **options: Any) -> None:
    """Each programme's story in world-date order, with sources.

    A header per contract (parties, ordered, delivered and remaining, the values reported
    and how many sources gave each, state, expected completion), then one line per event
    dated at its known precision ('Dec 2021' stays 'Dec 2021'), with numbered citations and
    the sources listed at the end. Corrected and retracted events are shown struck through,
    never silently replaced. HTML is one self-contained file with the charts inline.

    \b
    Example:
      tracker report timeline --buyer India --from 2021 --to 2023
      tracker report timeline --as-of 2022-01-01 --format md -o story.md
      tracker report timeline --format csv > entries.csv
    """
    from tracker.reports.stream import stream_timeline

    output, charts = options["output"], not options["no_charts"]
    fmt = _timeline_format(options["fmt"], output, charts)
    streamed = stream_timeline(
        open_tracker(ctx),
        fmt,
        options["contracts"],
        **_selection(options),
        scope=_scope(options),
        title="Procurement timeline",
    )
    write_streamed(
        streamed, output, json=options["fmt"] == "json", files=getattr(fmt, "files", None)
    )


def _timeline_format(name: str, output: Path | None, charts: bool) -> Format[Any]:
    if name == "text":
        from tracker.reports.text import TextFormat

        return TextFormat()
    if name == "md":
        from tracker.reports.markdown import MarkdownFormat

        return MarkdownFormat(chart_stem=output.stem if output else None, charts=charts)
    if name == "html":
        from tracker.reports.html import HtmlFormat

        return HtmlFormat(charts=charts)
    from tracker.reports.tabular import CsvFormat, JsonFormat

    return CsvFormat() if name == "csv" else JsonFormat()


@report.command()
@selection_options
@output_options(("md", "html"), "md")
@click.pass_context
def status(ctx: click.Context, **options: Any) -> None:
    """A one-page delivery-status brief with schedule charts.

    Every contract (or those selected) on one table: ordered, delivered, remaining, value
    and the range reported, state, next milestone and expected completion; then each
    contract's schedule chart, showing how its due dates moved.

    \b
    Example:
      tracker report status --format html --output status.html
      tracker report status --as-of 2024-04-30 --format md -o status.md
    """
    built = _build(ctx, options, title="Delivery status")
    output, charts = options["output"], not options["no_charts"]
    if options["fmt"] == "html":
        from tracker.reports.html import render_status_html

        write(render_status_html(built, charts=charts), output)
    else:
        from tracker.reports.brief import render_status_markdown

        stem = output.stem if output else None
        write(render_status_markdown(built, chart_stem=stem, charts=charts), output)


@report.command()
@click.option("--recipient", metavar="PARTY", help="Its imports, by supplier.")
@click.option("--supplier", metavar="PARTY", help="Its exports, by recipient.")
@click.option("--periods", metavar="LIST", help="Periods, e.g. 2009-13,2014-18,2019-23.")
@click.option("--yearly", is_flag=True, help="One column per year of the periods.")
@click.option(
    "--top", type=click.IntRange(min=1), default=5, show_default=True, help="Partners by name."
)
@click.option("--system", help="Only designations holding this text (S-400).")
@click.option("--category", help="Only this SIPRI armament category (Aircraft, Ships, ...).")
@click.option("--known-at", type=MOMENT, help="As known on this day or time (UTC).")
@output_options(("text", "md", "html", "csv", "json"), "text")
@click.pass_context
def trends(ctx: click.Context, **options: Any) -> None:
    """Partners' shares of SIPRI TIV over periods, as a report.

    The figures of 'tracker trends' (shares, ranks, volume and its change, share of the
    world; estimates marked *, the release named, the record's other deals listed apart)
    with the stacked yearly volume and the period shares drawn: inline in HTML, as PNG
    files beside a Markdown file written with -o.

    \b
    Example:
      tracker report trends --recipient India --format html -o india.html
      tracker report trends --supplier France --format md -o france.md
    """
    from tracker.domain.views.periods import parse_periods
    from tracker.domain.views.trends import Question
    from tracker.reports import trends_formats as tf
    from tracker.reports.trends import render_trends_html

    question = Question(
        recipient=options["recipient"],
        supplier=options["supplier"],
        periods=parse_periods(options["periods"]) if options["periods"] else None,
        yearly=options["yearly"],
        top=options["top"],
        system=options["system"],
        category=options["category"],
    )
    found = open_tracker(ctx).trends(question, known_at=options["known_at"])
    fmt, output, charts = options["fmt"], options["output"], not options["no_charts"]
    scope = _trends_scope(options)
    if fmt == "html":
        made = "From the record's SIPRI imports"
        write(render_trends_html(found, scope=scope, made=made, charts=charts), output)
    elif fmt == "md":
        stem = output.stem if output else None
        write(tf.render_trends_markdown(found, scope=scope, chart_stem=stem, charts=charts), output)
    elif fmt == "text":
        write(tf.render_trends_text(found, scope=scope), output)
    elif fmt == "csv":
        write(tf.render_trends_csv(found), output)
    else:
        write(tf.render_trends_json(found), output, json=True)


def _trends_scope(options: dict[str, Any]) -> list[str]:
    said = [
        f"systems matching '{options['system']}'" if options["system"] else "",
        f"the category {options['category']}" if options["category"] else "",
        f"the log as known on {options['known_at']:%Y-%m-%d %H:%M} UTC"
        if options["known_at"]
        else "",
    ]
    return [s for s in said if s]


def _build(ctx: click.Context, options: dict[str, Any], *, title: str) -> TimelineReport:
    from tracker.reports.model import timeline_of

    return timeline_of(
        open_tracker(ctx),
        options["contracts"],
        **_selection(options),
        scope=_scope(options),
        title=title,
    )


def _selection(options: dict[str, Any]) -> dict[str, Any]:
    """The contracts (filter and limit), the entries' window and the moment asked for."""
    start: FuzzyDate | None = options.get("start")
    end: FuzzyDate | None = options.get("end")
    flt: ContractFilter = options["flt"]
    if options["limit"]:
        flt = replace(flt, limit=options["limit"])
    return {
        "flt": flt,
        "start": start.sort_key[0] if start else None,
        "end": end.latest if end else None,
        "as_of": options["as_of"],
        "known_at": options["known_at"],
    }


def _scope(options: dict[str, Any]) -> list[str]:
    """The filters in words, for the report's subtitle."""
    scope = []
    from tracker.projections.filters import describe

    if options["contracts"]:
        scope.append("contracts " + ", ".join(options["contracts"]))
    scope += describe(options["flt"])
    if options["limit"]:
        scope.append(f"the first {options['limit']}")
    start, end = options.get("start"), options.get("end")
    if start or end:
        since = f" from {start.human()}" if start else ""
        until = f" to {end.human()}" if end else ""
        scope.append(f"entries{since}{until}")
    return scope

"""The timeline report and the status brief as one self-contained HTML file each.

Templates live in ``templates/`` beside this module; autoescape is on, and the only markup
let through unescaped is the SVG that matplotlib wrote. The page loads nothing: its CSS is
inline, its charts are inline SVG (glyphs drawn as paths) and a Content-Security-Policy
forbids any fetch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any
from uuid import uuid4

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from tracker.inert import web_url
from tracker.reports.brief import STATUS_COLUMNS, status_rows
from tracker.reports.citations import NO_TITLE, describe
from tracker.reports.facts import header_facts, kind
from tracker.reports.model import Outline, Section, TimelineReport, fix_words
from tracker.reports.pieces import render


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("tracker.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["kind"] = kind
    env.filters["fix_words"] = fix_words
    env.filters["web_url"] = web_url  # the only URLs a page links to
    env.filters["describe"] = describe
    env.globals["no_title"] = NO_TITLE
    return env


def render_timeline_html(report: TimelineReport, *, charts: bool = True) -> str:
    """Programmes with their facts, charts and entries, then the numbered sources."""
    return render(HtmlFormat(charts=charts), report)


class HtmlFormat:
    """The page (its list of contents, then the sources) around one ``<section>`` per
    programme, each rendered on its own by the ``programme`` macro."""

    def __init__(self, *, charts: bool = True) -> None:
        self.charts = charts
        self._page: tuple[str, str] | None = None

    def head(self, outline: Outline) -> str:
        return self._split(outline)[0]

    def piece(self, section: Section) -> str:
        view = _view(section, self.charts, schedule_only=False)
        macros = environment().get_template("macros.html.j2").module
        return str(macros.programme(view))  # type: ignore[attr-defined]

    def body(self, pieces: Iterable[str], outline: Outline) -> Iterator[str]:
        return iter(pieces)

    def tail(self, outline: Outline) -> str:
        return self._split(outline)[1]

    def _split(self, outline: Outline) -> tuple[str, str]:
        """The page with a placeholder where the programmes go, cut there."""
        if self._page is None:
            mark = f"<!--programmes {uuid4().hex}-->"
            page = environment().get_template("timeline.html.j2")
            before, _, after = page.render(report=outline, programmes=Markup(mark)).partition(mark)
            self._page = (before, after)
        return self._page


def render_status_html(report: TimelineReport, *, charts: bool = True) -> str:
    """The status table of every contract, then each contract's schedule chart."""
    views = [_view(s, charts, schedule_only=True) for s in report.sections]
    return (
        environment()
        .get_template("status.html.j2")
        .render(report=report, views=views, columns=STATUS_COLUMNS, rows=status_rows(report))
    )


def _view(section: Section, charts: bool, *, schedule_only: bool) -> dict[str, Any]:
    drawn: list[dict[str, Any]] = []
    if charts:
        from tracker.reports import charts as drawing  # matplotlib: only when drawing

        for chart in drawing.charts_for(section):
            if schedule_only and chart.kind != "schedule":
                continue
            # Markup: matplotlib escaped every text it wrote into the SVG.
            drawn.append({"svg": Markup(drawing.svg(chart)), "caption": chart.caption})
    return {"section": section, "facts": header_facts(section), "charts": drawn}

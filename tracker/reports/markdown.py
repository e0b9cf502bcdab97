"""The timeline report as Markdown, with its charts as PNG files beside it.

Charts need a place to live: with ``chart_stem`` ('report' for report.md) each chart is
returned as ``report-<chart>.png`` and linked; without it the Markdown says in a comment
that the charts were left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from urllib.parse import quote

from tracker.inert import web_url
from tracker.reports.citations import NO_TITLE, Cited, Listed, describe
from tracker.reports.facts import header_facts, kind
from tracker.reports.model import Line, Outline, Rendered, Section, TimelineReport, fix_words
from tracker.reports.pieces import render

NO_CHARTS = (
    "<!-- Charts left out: with --output FILE.md they are written as PNG files beside it. -->"
)

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")


def escape(text: str) -> str:
    """Backslash the characters Markdown would read as markup."""
    return _SPECIAL.sub(r"\\\1", text)


def render_timeline_markdown(
    report: TimelineReport, *, chart_stem: str | None = None, charts: bool = True
) -> Rendered:
    fmt = MarkdownFormat(chart_stem=chart_stem, charts=charts)
    return Rendered(render(fmt, report), fmt.files)


class MarkdownFormat:
    """Markdown; with ``chart_stem`` each programme's charts are drawn into ``files``."""

    def __init__(self, *, chart_stem: str | None = None, charts: bool = True) -> None:
        self.chart_stem = chart_stem
        self.charts = charts
        self.files: dict[str, bytes] = {}

    def head(self, outline: Outline) -> str:
        out = [f"# {escape(outline.title)}", "", f"_{escape(outline.when())}._"]
        if outline.scope:
            out += ["", escape("Showing " + "; ".join(outline.scope) + ".")]
        if self.charts and self.chart_stem is None:
            out += ["", NO_CHARTS]
        if not outline.contents:
            out += ["", "No contracts match."]
        return "\n".join(out)

    def piece(self, section: Section) -> str:
        out = ["", "", f"## {escape(section.ref)}: {escape(section.status.system)}", ""]
        out += [f"- **{label}:** {escape(text)}" for label, text in header_facts(section)]
        if self.charts and self.chart_stem is not None:
            out += chart_links(section, self.chart_stem, self.files)
        out.append("")
        out += [entry(line) for line in section.lines] or ["_No entries in this period._"]
        return "\n".join(out)

    def body(self, pieces: Iterable[str], outline: Outline) -> Iterator[str]:
        return iter(pieces)

    def tail(self, outline: Outline) -> str:
        out = []
        if outline.sources:
            out += ["", "", "## Sources", ""]
            out += [source(listed) for listed in outline.sources]
        return "\n".join(out) + "\n"


def entry(line: Line) -> str:
    """'- **2022** · delivery · Delivered 1 squadron ... [3] _(corrected Mar 2026: date 2021 →
    2022 (why))_ [7] · was: ~~2021: Delivered ...~~'; a retracted entry is struck through."""
    e = line.entry
    text = escape(line.summary)
    if line.struck:
        text = f"~~{text}~~"
    parts = [f"**{escape(line.date_text)}**", kind(e.type), _cited(text, line.citations)]
    out = "- " + " · ".join(parts)
    for fix, numbers in line.fixes:
        out += " " + _cited(f"_({fix.kind} {escape(fix_words(fix))})_", numbers)
    if line.original is not None:
        out += f" · was: ~~{escape(f'{line.original_date_text}: {line.original}')}~~"
    return out


def _cited(text: str, cited: tuple[Cited, ...]) -> str:
    return " ".join([text, *(f"[{c.mark}]" for c in cited)])


def source(listed: Listed) -> str:
    """'3. India, Russia sign ..., NDTV, 2018-10-05, <https://...>': the URL once, as a link
    when it is http(s), else (javascript:, data:) as plain escaped text; a URL cited under
    several descriptions is followed by each, under its own mark ('3a')."""
    lead = f"{listed.number}. "
    fields = [] if listed.grouped else [escape(f) for f in describe(listed.cited[0].source)]
    if listed.url:
        link = web_url(listed.url)
        fields.append(f"<{link}>" if link else escape(listed.url))
    if not listed.grouped:
        return lead + ", ".join(fields)
    out = [lead + ", ".join(fields) + ", cited as:"]
    for cited in listed.cited:
        what = ", ".join(describe(cited.source)) or NO_TITLE
        out.append(f"{' ' * len(lead)}- [{cited.mark}] {escape(what)}")
    return "\n".join(out)


def chart_links(
    section: Section, stem: str, files: dict[str, bytes], *, only: str | None = None
) -> list[str]:
    """Draw the section's charts into ``files`` and return the Markdown image lines."""
    from tracker.reports import charts  # matplotlib: only when drawing

    lines = []
    for chart in charts.charts_for(section):
        if only is not None and chart.kind != only:
            continue
        name = f"{stem}-{chart.name}.png"
        files[name] = charts.png(chart)
        lines += ["", f"![{escape(chart.caption)}]({quote(name)})"]
    return lines

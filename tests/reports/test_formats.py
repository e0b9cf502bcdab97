"""Every format carries the same entries; CSV and JSON read back with the standard library."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from typing import ClassVar

from tracker.reports.citations import listed_text
from tracker.reports.facts import kind
from tracker.reports.html import render_status_html, render_timeline_html
from tracker.reports.markdown import escape, render_timeline_markdown
from tracker.reports.model import timeline_of
from tracker.reports.tabular import CSV_COLUMNS, render_csv, render_json
from tracker.reports.text import render_text
from tracker.service.app import Tracker

from .conftest import text_entries


def test_csv_rows_are_the_entries_of_the_text_report(shared: Tracker):
    report = timeline_of(shared)
    rows = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert list(rows[0]) == list(CSV_COLUMNS)
    from_csv = [
        (
            r["date_text"],
            f"{kind(r['type'])}: {r['summary']} "
            + "".join(f"[{mark}]" for mark in r["citations"].split()),
        )
        for r in rows
    ]
    assert from_csv == text_entries(render_text(report))
    # 55 before the seeds held the S-400's 2018 plan and two undated reports as
    # their own events, and the AK-203's plan, revision and 5,000-by-March note.
    assert len(rows) == len(report.lines) == 60
    assert {(r["date"], r["date_text"]) for r in rows} >= {
        ("2021-12", "Dec 2021"),
        ("2022", "2022"),
        ("2023", "2023"),
        ("by 2022-01-25", "by 25 Jan 2022"),
        ("2021-12-06", "6 Dec 2021"),
    }


def test_json_carries_the_same_entries_the_headers_and_the_sources(shared: Tracker):
    report = timeline_of(shared)
    data = json.loads(render_json(report))
    rows = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert [(e["programme"], e["date_text"], e["summary"]) for e in data["entries"]] == [
        (r["programme"], r["date_text"], r["summary"]) for r in rows
    ]
    assert [" ".join(c["mark"] for c in e["citations"]) for e in data["entries"]] == [
        r["citations"] for r in rows
    ]
    headers = {p["ref"]: p for p in data["programmes"]}
    s400, ak203 = headers["s400-india-2018"], headers["ak203-india-2021"]
    assert (s400["ordered"], s400["delivered"], s400["remaining"]) == (5, 3, 2)
    assert (ak203["ordered"], ak203["delivered"]) == (601427, 48000)
    assert ak203["completion"] == {
        "basis": "production",
        "date": "2072-10-29",
        "text": "29 Oct 2072",
        "explanation": "projected from irrpl's output at its recent rate"
        " (reports at least six months apart), "
        "977 rifles a month",
    }
    assert s400["completion"]["basis"] == "schedule"
    assert {"value": {"amount": "5000000000", "currency": "USD"}, "sources": 4} in s400[
        "value_reports"
    ]
    assert [s["number"] for s in data["sources"]] == list(range(1, len(report.sources) + 1))
    assert data["sources"][0]["label"] == listed_text(report.sources[0])


def test_markdown_lists_the_same_entries_with_their_dates(shared: Tracker):
    report = timeline_of(shared)
    md = render_timeline_markdown(report, charts=False).text
    for line in report.lines:
        cites = " ".join(f"[{c.mark}]" for c in line.citations)
        expected = (
            f"- **{line.date_text}** · {kind(line.entry.type)} · {escape(line.summary)} {cites}"
        )
        assert expected in md
    assert "- **Delivered:** 3 squadrons (60% of the order)" in md
    assert "- **Ordered:** 601,427 rifles of AK-203" in md
    assert "\n1. BRICS Summit 2016" not in md  # numbering runs over the whole report
    assert f"\n{len(report.sources)}. " in md


def test_html_has_the_same_entries_and_links_each_citation_to_its_source(shared: Tracker):
    report = timeline_of(shared)
    page = Page.parse(render_timeline_html(report, charts=False))
    assert page.cells("date") == [line.date_text for line in report.lines]
    what = page.cells("what")
    assert len(what) == len(report.lines)
    assert all(cell.startswith(line.summary) for cell, line in zip(what, report.lines, strict=True))
    assert what[1].endswith(" unconfirmed")  # confidence shown unless confirmed
    assert len(page.ids) == len(set(page.ids))
    cited = {href for href in page.hrefs if href.startswith("#source-")}
    assert cited == {f"#source-{n}" for n in range(1, len(report.sources) + 1)}
    assert {f"source-{n}" for n in range(1, len(report.sources) + 1)} <= set(page.ids)


def test_html_fetches_nothing_and_carries_its_css_and_charts_inline(shared: Tracker):
    html = render_timeline_html(timeline_of(shared))
    page = Page.parse(html)
    assert page.fetching == []
    assert page.tags["svg"] == 3  # two schedules and one joint venture's output
    # One style sheet for the page, and the one matplotlib puts in each SVG.
    assert page.tags["style"] == 1 + 3 and page.tags.get("script", 0) == 0
    assert all(h.startswith("#") for h in page.svg_links)
    assert len(page.ids) == len(set(page.ids))
    assert "url(" not in html.split("<body")[0]  # the style sheet loads nothing
    assert "default-src 'none'" in html


def test_html_renders_byte_for_byte_the_same_twice(shared: Tracker):
    first = render_timeline_html(timeline_of(shared))
    second = render_timeline_html(timeline_of(shared))
    assert first == second


def test_the_status_brief_has_one_row_per_contract_and_the_schedule_charts(shared: Tracker):
    report = timeline_of(shared, title="Delivery status")
    page = Page.parse(render_status_html(report))
    assert page.tags["svg"] == 2  # the emergency purchase had no schedule
    assert page.tags["tr"] == 4
    html = render_status_html(report, charts=False)
    assert "<td>s400-india-2018</td><td>S-400 Triumf</td>" in html
    assert '<td class="num">3 (60%)</td>' in html
    assert "ak200-india-2021-emergency: no delivery schedule recorded." in html


class Page(HTMLParser):
    """What a browser would fetch, and the ids, links and table cells of a page."""

    FETCHING: ClassVar[set[str]] = {
        "src",
        "srcset",
        "data",
        "poster",
        "background",
        "action",
        "formaction",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fetching: list[tuple[str, str, str]] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.svg_links: list[str] = []
        self.tags: dict[str, int] = {}
        self._cells: dict[str, list[str]] = {}
        self._cell: str | None = None
        self._depth = 0

    @classmethod
    def parse(cls, html: str) -> Page:
        page = cls()
        page.feed(html)
        page.close()
        return page

    def cells(self, cls: str) -> list[str]:
        return [" ".join(c.split()) for c in self._cells.get(cls, [])]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] = self.tags.get(tag, 0) + 1
        found = {k: v or "" for k, v in attrs}
        self.fetching += [(tag, k, v) for k, v in found.items() if k in self.FETCHING]
        if tag == "link" or (tag == "meta" and found.get("http-equiv") == "refresh"):
            self.fetching.append((tag, "", str(found)))
        if "id" in found:
            self.ids.append(found["id"])
        if tag == "a" and "href" in found:
            self.hrefs.append(found["href"])
        if "xlink:href" in found or (tag == "use" and "href" in found):
            self.svg_links.append(found.get("xlink:href") or found["href"])
        if tag == "td" and self._cell is None:
            self._cell = found.get("class", "")
            self._cells.setdefault(self._cell, []).append("")
        elif self._cell is not None:
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self._cell is None:
            return
        if self._depth:
            self._depth -= 1
        elif tag == "td":
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cells[self._cell][-1] += data

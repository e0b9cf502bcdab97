"""Each citation is shown as its event made it, and the source list prints each URL once.

The log: a contract citing an NDTV story under its headline, a delivery citing the same URL
under another title, a delivery citing a bare URL, and a note citing a source with no URL.
Expected output is written out by hand below.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from html.parser import HTMLParser

import pytest

from tests.cli.conftest import Cli
from tests.unit.factories import REF, contract_signed, delivery_recorded, note_recorded
from tracker.domain.values.sources import Source
from tracker.reports.citations import Citations, listed_text
from tracker.reports.html import render_timeline_html
from tracker.reports.markdown import render_timeline_markdown
from tracker.reports.model import timeline_of
from tracker.reports.tabular import render_csv, render_json
from tracker.reports.text import render_text
from tracker.service.app import Tracker

from .conftest import TODAY, text_entries

STORY = "https://www.ndtv.com/india-news/s-400-deal-1927382"
BARE = "https://tass.com/defense/1371497"
SIGNED = Source(
    url=STORY, title="India, Russia sign S-400 deal", publisher="NDTV", published=date(2018, 10, 5)
)
BEGUN = Source(url=STORY, title="S-400 deliveries begin", publisher="NDTV")
NO_TITLE = Source(url=BARE)
OFFLINE = Source(title="IAF chief: three of five arrived", publisher="PIB")


@pytest.fixture
def cited(tracker: Tracker) -> Tracker:
    tracker.today = lambda: TODAY
    tracker.log(
        [
            contract_signed(sources=(SIGNED,)),
            delivery_recorded(occurred="2021-12", label="squadron 1", sources=(BEGUN,)),
            delivery_recorded(occurred="2022", label="squadron 2", sources=(NO_TITLE, BEGUN)),
            note_recorded(
                occurred="2023",
                subject=f"contract:{REF}",
                text="Three of five in",
                sources=(OFFLINE,),
            ),
        ]
    )
    return tracker


def marks_by_kind(text: str) -> list[tuple[str, str]]:
    """(date, the marks that end the entry) of each entry of a text report."""
    return [(when, rest[rest.index(" [") + 1 :]) for when, rest in text_entries(text)]


def test_the_text_report_marks_each_entry_with_its_own_description(cited: Tracker):
    text = render_text(timeline_of(cited))
    assert marks_by_kind(text) == [
        ("5 Oct 2018", "[1a]"),
        ("Dec 2021", "[1b]"),
        ("2022", "[1b][2]"),
        ("2023", "[3]"),
    ]


def test_the_text_source_list_prints_each_url_once(cited: Tracker):
    text = render_text(timeline_of(cited))
    assert text.split("\nSources\n\n")[1] == (
        f"  [1] {STORY}, cited as:\n"
        "      [1a] India, Russia sign S-400 deal, NDTV, 2018-10-05\n"
        "      [1b] S-400 deliveries begin, NDTV\n"
        f"  [2] {BARE}\n"
        "  [3] IAF chief: three of five arrived, PIB\n"
    )
    assert text.count(STORY) == text.count(BARE) == 1


def test_the_markdown_source_list_links_each_url_once(cited: Tracker):
    md = render_timeline_markdown(timeline_of(cited), charts=False).text
    assert md.split("\n## Sources\n\n")[1] == (
        f"1. <{STORY}>, cited as:\n"
        "   - [1a] India, Russia sign S-400 deal, NDTV, 2018-10-05\n"
        "   - [1b] S-400 deliveries begin, NDTV\n"
        f"2. <{BARE}>\n"
        "3. IAF chief: three of five arrived, PIB\n"
    )
    entries = [line for line in md.splitlines() if line.startswith("- **") and " · " in line]
    assert [line[line.index(" [") + 1 :] for line in entries] == ["[1a]", "[1b]", "[1b] [2]", "[3]"]


class SourceList(HTMLParser):
    """The source list of a page: each item's id, its text, and the links in it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: dict[str, str] = {}
        self.links: list[tuple[str, str]] = []  # (href, link text)
        self.cites: list[str] = []  # hrefs of the citation marks in the entries
        self._in_list = False
        self._open: list[str] = []
        self._href: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "section" and found.get("id") == "sources":
            self._in_list = True
        if tag == "a" and found.get("href", "").startswith("#source-"):
            self.cites.append(found["href"])
        if not self._in_list:
            return
        if tag == "li":
            self._open.append(found["id"])
            self.items[found["id"]] = ""
        if tag == "a":
            self._href, self._text = found["href"], ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._in_list:
            self._open.pop()
        if tag == "a" and self._href is not None:
            self.links.append((self._href, self._text))
            self._href = None
        if tag == "section":
            self._in_list = False

    def handle_data(self, data: str) -> None:
        for item in self._open:
            self.items[item] += data
        if self._href is not None:
            self._text += data


def test_the_html_source_list_shows_each_url_once_as_its_link(cited: Tracker):
    page = SourceList()
    page.feed(render_timeline_html(timeline_of(cited), charts=False))
    assert page.links == [(STORY, STORY), (BARE, BARE)]
    assert all(href.startswith(("http://", "https://")) for href, _ in page.links)
    assert {k: " ".join(v.split()) for k, v in page.items.items()} == {
        "source-1": f"{STORY}, cited as: [1a] India, Russia sign S-400 deal, NDTV, 2018-10-05"
        " [1b] S-400 deliveries begin, NDTV",
        "source-1a": "[1a] India, Russia sign S-400 deal, NDTV, 2018-10-05",
        "source-1b": "[1b] S-400 deliveries begin, NDTV",
        "source-2": BARE,
        "source-3": "IAF chief: three of five arrived, PIB",
    }
    assert page.cites == ["#source-1a", "#source-1b", "#source-1b", "#source-2", "#source-3"]


def test_json_citations_carry_the_title_each_entry_gave(cited: Tracker):
    data = json.loads(render_json(timeline_of(cited)))
    given = [
        [(c["mark"], c["url"], c["title"], c["publisher"]) for c in e["citations"]]
        for e in data["entries"]
    ]
    assert given == [
        [("1a", STORY, SIGNED.title, "NDTV")],
        [("1b", STORY, BEGUN.title, "NDTV")],
        [("1b", STORY, BEGUN.title, "NDTV"), ("2", BARE, None, None)],
        [("3", None, OFFLINE.title, "PIB")],
    ]
    assert [
        (s["number"], s["url"], [c["mark"] for c in s["cited_as"]]) for s in data["sources"]
    ] == [
        (1, STORY, ["1a", "1b"]),
        (2, BARE, ["2"]),
        (3, None, ["3"]),
    ]


def test_csv_rows_say_what_each_of_their_marks_stands_for(cited: Tracker):
    rows = list(csv.DictReader(io.StringIO(render_csv(timeline_of(cited)))))
    assert [(r["citations"], r["cited_sources"]) for r in rows] == [
        ("1a", f"[1a] India, Russia sign S-400 deal, NDTV, 2018-10-05, {STORY}"),
        ("1b", f"[1b] S-400 deliveries begin, NDTV, {STORY}"),
        ("1b 2", f"[1b] S-400 deliveries begin, NDTV, {STORY} | [2] {BARE}"),
        ("3", "[3] IAF chief: three of five arrived, PIB"),
    ]


def test_a_url_cited_the_same_way_twice_keeps_one_plain_number(tracker: Tracker):
    tracker.today = lambda: TODAY
    tracker.log([contract_signed(sources=(SIGNED,)), delivery_recorded(sources=(SIGNED,))])
    report = timeline_of(tracker)
    assert [[c.mark for c in line.citations] for line in report.lines] == [["1"], ["1"]]
    assert render_text(report).split("\nSources\n\n")[1] == (
        f"  [1] India, Russia sign S-400 deal, NDTV, 2018-10-05,\n      {STORY}\n"
    )  # wrapped at 100 columns, never inside the URL


def test_show_lists_the_sources_of_the_event_as_it_cited_them(cited: Tracker, db_url: str):
    run = Cli(db_url)
    shown = json.loads(run.ok("show", "3", "--format", "json"))
    assert shown["sources"] == [BARE, f"S-400 deliveries begin, NDTV, {STORY}"]
    assert json.loads(run.ok("show", "4", "--format", "json"))["sources"] == [
        "IAF chief: three of five arrived, PIB"
    ]
    md = run.ok("show", "3", "--format", "md").splitlines()
    assert md[-1] == f"| sources | {BARE}<br>S-400 deliveries begin, NDTV, {STORY} |"


def test_a_bare_citation_of_a_titled_url_is_not_shown_the_other_title():
    citations = Citations()
    later = Source(
        title="IAF chief: three of five arrived", publisher="PIB", published=date(2023, 1, 2)
    )
    citations.register([SIGNED, Source(url=STORY), OFFLINE, later])
    assert [c.mark for c in citations.cite([Source(url=STORY)])] == ["1b"]
    # A source without a URL is its description: another date is another source.
    assert [c.mark for c in citations.cite([later, OFFLINE])] == ["2", "3"]
    assert listed_text(citations.listed()[0]) == (
        f"{STORY}, cited as: [1a] India, Russia sign S-400 deal, NDTV, 2018-10-05;"
        " [1b] no title given"
    )

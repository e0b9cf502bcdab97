"""Corrections and retractions are shown as such in every format, never silently replaced."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tracker.domain.events.catalogue import EventCorrected, EventRetracted
from tracker.domain.values.dates import FuzzyDate
from tracker.domain.values.sources import Source
from tracker.reports.html import render_timeline_html
from tracker.reports.markdown import render_timeline_markdown
from tracker.reports.model import timeline_of
from tracker.reports.tabular import render_csv, render_json
from tracker.reports.text import render_text
from tracker.service.app import Tracker

from .conftest import flat

OUTLIER = "Reported value of s400-india-2018: USD 4.5 bn"
SECOND = "Delivered 1 squadron (squadron 2) to China front under s400-india-2018"
NOW = "Delivered 1 squadron (squadron 2) to Pathankot under s400-india-2018"
REVIEW = Source(publisher="Analyst review", title="Re-reading the S-400 record")


def event_id(tracker: Tracker, summary: str) -> str:
    lines = timeline_of(tracker, ["s400-india-2018"]).lines
    return next(line.entry.event_id for line in lines if line.summary.startswith(summary))


@pytest.fixture
def fixed(seeded: Tracker) -> Tracker:
    """The seeded story with the USD 4.5 bn outlier retracted and squadron 2 re-sited."""
    seeded.log(
        [
            EventRetracted(
                target_event_id=event_id(seeded, OUTLIER),
                reason="the page misdates the deal; not a report of this contract",
                occurred=FuzzyDate.parse("2026-02"),
                sources=(REVIEW,),
            ),
            EventCorrected(
                target_event_id=event_id(seeded, SECOND),
                changes={"destination": "Pathankot"},
                reason="later reports place it at Pathankot",
                occurred=FuzzyDate.parse("2026-03"),
                sources=(REVIEW,),
            ),
        ]
    )
    return seeded


RETRACTION = "Feb 2026 (the page misdates the deal; not a report of this contract)"
CORRECTION = (
    "Mar 2026: destination China front {arrow} Pathankot (later reports place it at Pathankot)"
)


def test_the_text_report_marks_the_retraction_and_the_correction(fixed: Tracker):
    text = flat(render_text(timeline_of(fixed, ["s400-india-2018"])))
    assert f"[retracted] figure: {OUTLIER} (an outlier;" in text
    assert f"[retracted {RETRACTION} [" in text
    # The corrected entry stands with its current content; the first version is "was:".
    assert f"delivery: {NOW} [" in text
    assert f"[corrected {CORRECTION.format(arrow='->')} [" in text
    assert f"[was: 2022, {SECOND}]" in text
    # The fixes are told on the entries they fix, not as lines of their own.
    assert "retraction: Retracted event" not in text and "correction: Corrected event" not in text


def test_a_retracted_figure_no_longer_counts_in_the_header(fixed: Tracker):
    text = flat(render_text(timeline_of(fixed, ["s400-india-2018"])))
    assert "USD 4.5 bn (1 source)" not in text
    assert "Reported range: INR 350–400 bn; USD 5–5.5 bn" in text


def test_markdown_strikes_the_original_through(fixed: Tracker):
    md = render_timeline_markdown(timeline_of(fixed, ["s400-india-2018"]), charts=False).text
    assert "~~Reported value of s400-india-2018: USD 4.5 bn (an outlier;" in md
    assert "2015)~~ [" in md and f"] _(retracted {RETRACTION})_ [" in md
    assert f"· delivery · {NOW} [" in md
    assert f"_(corrected {CORRECTION.format(arrow='→')})_ [" in md
    assert f"· was: ~~2022: {SECOND}~~" in md


def test_html_strikes_the_original_through_with_del(fixed: Tracker):
    html = render_timeline_html(timeline_of(fixed, ["s400-india-2018"]), charts=False)
    assert f"<del>{OUTLIER} (an outlier;" in html
    assert f'<span class="flag retracted">retracted</span> {RETRACTION}<a href' in html
    assert f"\n{NOW} <span" in html  # the current version, not struck
    assert f'<span class="flag corrected">corrected</span> {CORRECTION.format(arrow="→")}' in html
    assert f'<span class="was">was: <del>2022: {SECOND}</del></span>' in html


def test_csv_and_json_carry_the_current_and_the_original_versions(fixed: Tracker):
    report = timeline_of(fixed, ["s400-india-2018"])
    rows = {r["summary"]: r for r in csv.DictReader(io.StringIO(render_csv(report)))}
    outlier = next(r for s, r in rows.items() if s.startswith(OUTLIER))
    assert (outlier["retracted"], outlier["corrected"], outlier["original_summary"]) == (
        "true",
        "false",
        "",
    )
    assert (outlier["retraction_date"], outlier["retraction_reason"]) == (
        "2026-02",
        "the page misdates the deal; not a report of this contract",
    )
    assert SECOND not in rows  # the entry is listed at its current content
    now = rows[NOW]
    assert (now["corrected"], now["original_summary"], now["date"], now["original_date"]) == (
        "true",
        SECOND,
        "2022",
        "2022",
    )
    assert (now["correction_date"], now["correction_changes"], now["correction_reason"]) == (
        "2026-03",
        "destination: China front -> Pathankot",
        "later reports place it at Pathankot",
    )
    data = json.loads(render_json(report))
    entry = next(e for e in data["entries"] if e["summary"] == NOW)
    assert (entry["corrected"], entry["retracted"], entry["original_summary"]) == (
        True,
        False,
        SECOND,
    )
    [fix] = entry["fixes"]
    assert fix["changes"] == [{"field": "destination", "old": "China front", "new": "Pathankot"}]
    [cited] = fix["citations"]
    assert (cited["title"], cited["publisher"]) == (REVIEW.title, REVIEW.publisher)
    listed = data["sources"][cited["number"] - 1]
    assert [c["title"] for c in listed["cited_as"]] == [REVIEW.title]

"""Corrections and retractions are shown as such in every format, never silently replaced."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tracker.app import Tracker
from tracker.domain.dates import FuzzyDate
from tracker.domain.events import EventCorrected, EventRetracted
from tracker.domain.sources import Source
from tracker.reports.html import render_timeline_html
from tracker.reports.markdown import render_timeline_markdown
from tracker.reports.model import timeline_of
from tracker.reports.tabular import render_csv, render_json
from tracker.reports.text import render_text

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


def test_the_text_report_marks_the_retraction_and_the_correction(fixed: Tracker):
    text = flat(render_text(timeline_of(fixed, ["s400-india-2018"])))
    assert f"[retracted] figure: {OUTLIER} (an outlier;" in text
    assert f"delivery: {SECOND} [" in text  # the original line stays
    assert f"[corrected: now {NOW}]" in text
    assert "retraction: Retracted event" in text and "correction: Corrected event" in text


def test_a_retracted_figure_no_longer_counts_in_the_header(fixed: Tracker):
    text = flat(render_text(timeline_of(fixed, ["s400-india-2018"])))
    assert "USD 4.5 bn (1 source)" not in text
    assert "Reported range: INR 350–400 bn; USD 5–5.5 bn" in text


def test_markdown_strikes_the_original_through(fixed: Tracker):
    md = render_timeline_markdown(timeline_of(fixed, ["s400-india-2018"]), charts=False).text
    assert "~~Reported value of s400-india-2018: USD 4.5 bn (an outlier;" in md
    assert "2015)~~ _(retracted)_ [" in md
    assert f"~~{SECOND}~~ → {NOW} _(corrected)_ [" in md


def test_html_strikes_the_original_through_with_del(fixed: Tracker):
    html = render_timeline_html(timeline_of(fixed, ["s400-india-2018"]), charts=False)
    assert f"<del>{OUTLIER} (an outlier;" in html
    assert '<span class="flag retracted">retracted</span>' in html
    assert f"<del>{SECOND}</del>" in html
    assert f'<span class="flag corrected">corrected</span><ins>{NOW}</ins>' in html
    assert f"<del>{SECOND}</del> <span" in html


def test_csv_and_json_flag_the_fixed_entries(fixed: Tracker):
    report = timeline_of(fixed, ["s400-india-2018"])
    rows = {r["summary"]: r for r in csv.DictReader(io.StringIO(render_csv(report)))}
    outlier = next(r for s, r in rows.items() if s.startswith(OUTLIER))
    assert (outlier["retracted"], outlier["corrected"], outlier["current_summary"]) == (
        "true",
        "false",
        "",
    )
    assert (rows[SECOND]["corrected"], rows[SECOND]["current_summary"]) == ("true", NOW)
    entries = json.loads(render_json(report))["entries"]
    second = next(e for e in entries if e["summary"] == SECOND)
    assert (second["corrected"], second["retracted"], second["current_summary"]) == (
        True,
        False,
        NOW,
    )

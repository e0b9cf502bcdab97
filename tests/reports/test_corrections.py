"""A corrected entry stands at its corrected date, in every format, with the correction told
beside it: the S-400 story with squadron 2 first logged as 2021 and corrected to 2022, and
Pravda's claim of three squadrons in 2021 retracted (issue #12)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Cli
from tests.cli.story import NEWSBHARATI
from tests.cli.story_fixed import PRAVDA, pravda_and_wrong_year

from .conftest import Report, ok, text_entries

SQ2 = "Delivered 1 squadron (squadron 2) under s400-india-2018"
CLAIM = "Delivered 3 squadrons in total under s400-india-2018"
WHY = "it arrived in 2022, not 2021"
RETRACTED_WHY = "contradicts every other report: one squadron in 2021"


@pytest.fixture(scope="module")
def story_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The fixed story on SQLite, shared: reports never write."""
    db = str(tmp_path_factory.mktemp("fixed") / "tracker.db")
    run = Cli(db)
    run.ok("init")
    pravda_and_wrong_year(run)
    return db


def timeline(report: Report, db: str, *args: str) -> str:
    return ok(report(db, "timeline", *args))


def test_text_puts_squadron_2_in_2022_with_the_correction_and_the_old_version(
    report: Report, story_db: str
):
    entries = text_entries(timeline(report, story_db))
    deliveries = [
        (when, rest)
        for when, rest in entries
        if rest.removeprefix("[retracted] ").startswith("delivery:")
    ]
    assert [when for when, _ in deliveries] == ["2021", "Dec 2021", "2022", "2023"]
    second = deliveries[2][1]
    assert second.startswith(f"delivery: {SQ2} [")
    assert f"[corrected 25 Jul 2022: date 2021 -> 2022 ({WHY}) [" in second
    assert second.endswith(f"[was: 2021, {SQ2}]")
    claim = deliveries[0][1]
    assert claim.startswith(f"[retracted] delivery: {CLAIM} [")
    assert f"[retracted 4 Oct 2023 ({RETRACTED_WHY}) [" in claim


def test_markdown_strikes_the_old_version_through_beside_the_current_one(
    report: Report, story_db: str
):
    md = timeline(report, story_db, "--format", "md", "--no-charts")
    [line] = [x for x in md.splitlines() if x.startswith("- ") and "(squadron 2)" in x]
    assert line.startswith(f"- **2022** · delivery · {SQ2} [")
    assert f"_(corrected 25 Jul 2022: date 2021 → 2022 ({WHY}))_ [" in line
    assert line.endswith(f" · was: ~~2021: {SQ2}~~")
    [claim] = [x for x in md.splitlines() if CLAIM in x]
    assert claim.startswith(f"- **2021** · delivery · ~~{CLAIM}~~ [")


def test_html_row_of_squadron_2_is_dated_2022_and_shows_the_fix(
    report: Report, story_db: str, tmp_path: Path
):
    page = tmp_path / "t.html"
    ok(report(story_db, "timeline", "--format", "html", "--no-charts", "--output", str(page)))
    rows = re.findall(r"<tr class=\"(\w+)\">(.*?)</tr>", page.read_text(), re.S)
    [(cls, row)] = [(c, r) for c, r in rows if "(squadron 2)" in r]
    assert cls == "standing"
    assert '<td class="date">2022</td>' in row
    assert f"\n{SQ2}<span" in row  # the current version stands, not struck
    assert f"corrected</span> 25 Jul 2022: date 2021 → 2022 ({WHY})" in row
    assert f'<span class="was">was: <del>2021: {SQ2}</del></span>' in row
    [(cls, claim)] = [(c, r) for c, r in rows if CLAIM in r]
    assert (cls, '<td class="date">2021</td>' in claim) == ("struck", True)


def _csv_rows(report: Report, db: str, *args: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(timeline(report, db, "--format", "csv", *args))))


def test_csv_has_the_corrected_date_and_the_original_in_their_own_columns(
    report: Report, story_db: str
):
    rows = _csv_rows(report, story_db)
    deliveries = [r for r in rows if r["type"] == "DeliveryRecorded"]
    assert [r["date"] for r in deliveries] == ["2021", "2021-12", "2022", "2023"]
    second = deliveries[2]
    assert {k: second[k] for k in ("summary", "original_date", "original_summary")} == {
        "summary": SQ2,
        "original_date": "2021",
        "original_summary": SQ2,
    }
    assert (second["corrected"], second["correction_date"], second["correction_reason"]) == (
        "true",
        "2022-07-25",
        WHY,
    )
    assert second["correction_changes"] == "occurred: 2021 -> 2022"
    claim = deliveries[0]
    assert (claim["retracted"], claim["retraction_reason"], claim["retraction_date"]) == (
        "true",
        RETRACTED_WHY,
        "2023-10-04",
    )
    assert not any(r["type"] in ("EventCorrected", "EventRetracted") for r in rows)


def test_json_says_what_changed_when_why_and_on_whose_source(report: Report, story_db: str):
    data: dict[str, Any] = json.loads(timeline(report, story_db, "--format", "json"))
    [second] = [e for e in data["entries"] if "(squadron 2)" in e["summary"]]
    assert (second["date"], second["original_date"], second["corrected"]) == ("2022", "2021", True)
    [fix] = second["fixes"]
    assert (fix["kind"], fix["date"], fix["reason"]) == ("corrected", "2022-07-25", WHY)
    assert fix["changes"] == [{"field": "occurred", "old": "2021", "new": "2022"}]
    assert [c["url"] for c in fix["citations"]] == [NEWSBHARATI]
    assert [data["sources"][c["number"] - 1]["url"] for c in fix["citations"]] == [NEWSBHARATI]
    [claim] = [e for e in data["entries"] if e["summary"] == CLAIM]
    [gone] = claim["fixes"]
    assert (gone["kind"], gone["reason"]) == ("retracted", RETRACTED_WHY)
    assert [c["url"] for c in claim["citations"]] == [PRAVDA]


def test_as_of_the_end_of_2021_the_report_has_only_squadron_1(report: Report, story_db: str):
    rows = _csv_rows(report, story_db, "--as-of", "2021-12-31")
    standing = [r for r in rows if r["type"] == "DeliveryRecorded" and r["retracted"] == "false"]
    assert [(r["date"], r["summary"]) for r in standing] == [
        ("2021-12", "Delivered 1 squadron (squadron 1) under s400-india-2018")
    ]


def test_as_known_before_the_correction_squadron_2_stands_at_2021_uncorrected(
    report: Report, story_db: str
):
    events = json.loads(Cli(story_db).ok("events", "--format", "json"))
    fix = next(e for e in events if e["event_type"] == "EventCorrected")
    before = events[fix["position"] - 2]["recorded_at"]
    rows = _csv_rows(report, story_db, "--known-at", before)
    [second] = [
        r for r in rows if "(squadron 2)" in r["summary"] and r["type"] != "DeliveryScheduled"
    ]
    assert (second["date"], second["corrected"], second["original_date"]) == ("2021", "false", "")

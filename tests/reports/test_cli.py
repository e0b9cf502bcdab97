"""`tracker report`: options, files written beside the report, errors in one line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli.main import cli
from tracker.cli.reports import report as report_group

from .conftest import Report, flat, ok, text_entries

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    "path", [[], ["timeline"], ["status"]], ids=["report", "timeline", "status"]
)
def test_every_report_command_has_help_with_an_example(report: Report, path: list[str]):
    result = CliRunner().invoke(
        cli, ["report", *path, "--help"], prog_name="tracker", terminal_width=80
    )
    assert result.exit_code == 0, result.output
    assert f"Usage: tracker report {' '.join(path)}".rstrip() in result.stdout
    assert "Example" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "..." not in result.stdout.split("Commands:\n")[-1] or path


def test_the_group_lists_timeline_status_and_trends(report: Report):
    assert sorted(report_group.commands) == ["status", "timeline", "trends"]


def test_the_text_timeline_goes_to_stdout(report: Report, seeded_db: str):
    out = ok(report(seeded_db, "timeline", "--contract", "s400-india-2018"))
    assert out.startswith(
        "Procurement timeline\nAs of 24 Nov 2026.\nShowing contracts s400-india-2018.\n"
    )
    assert "Remaining:      2 squadrons" in out
    assert (
        "Dec 2021",
        "delivery: Delivered 1 squadron (squadron 1) to Punjab sector under "
        "s400-india-2018 [12][13][14][15]",
    ) in text_entries(out)


def test_as_of_and_known_at_are_said_in_the_subtitle(report: Report, seeded_db: str):
    out = ok(report(seeded_db, "timeline", "--as-of", "2022-01-01", "--known-at", "2100-01-01"))
    assert "As of 1 Jan 2022, as known on 2100-01-01 23:59 UTC." in out
    assert "Delivered:      1 squadron (20% of the order)" in out


def test_from_and_to_take_dates_at_any_precision(report: Report, seeded_db: str):
    out = ok(
        report(
            seeded_db,
            "timeline",
            "--contract",
            "s400-india-2018",
            "--from",
            "2022",
            "--to",
            "2023-Q1",
        )
    )
    assert "Showing contracts s400-india-2018; entries from 2022 to Q1 2023." in out
    assert [when for when, _ in text_entries(out)] == [
        "2022",
        "17 Jan 2022",
        "Apr 2022",
        "2023",
        "23 Mar 2023",
        "23 Mar 2023",
    ]


def test_csv_and_json_go_to_stdout_and_parse_back(report: Report, seeded_db: str):
    rows = list(csv.DictReader(io.StringIO(ok(report(seeded_db, "timeline", "--format", "csv")))))
    data = json.loads(ok(report(seeded_db, "timeline", "--format", "json")))
    text = ok(report(seeded_db, "timeline"))
    # 55 before the seeds held the S-400's 2018 plan and two undated reports as
    # their own events, and the AK-203's plan, revision and 5,000-by-March note.
    assert len(rows) == len(data["entries"]) == len(text_entries(text)) == 60
    assert [r["summary"] for r in rows] == [e["summary"] for e in data["entries"]]


def test_markdown_on_stdout_leaves_the_charts_out_and_says_so(report: Report, seeded_db: str):
    out = ok(report(seeded_db, "timeline", "--format", "md"))
    assert (
        "<!-- Charts left out: with --output FILE.md they are written as PNG files beside it. -->"
        in out
    )
    assert "![" not in out


def test_markdown_with_output_writes_the_charts_beside_it(
    report: Report, seeded_db: str, tmp_path: Path
):
    target = tmp_path / "story.md"
    done = ok(report(seeded_db, "timeline", "--format", "md", "--output", str(target)))
    assert done == f"Wrote {target} and 3 charts.\n"
    md = target.read_text(encoding="utf-8")
    pngs = sorted(p.name for p in tmp_path.glob("*.png"))
    assert pngs == [
        "story-ak203-india-2021-production-irrpl.png",
        "story-ak203-india-2021-schedule.png",
        "story-s400-india-2018-schedule.png",
    ]
    assert all((tmp_path / name).read_bytes().startswith(PNG) for name in pngs)
    assert all(f"]({name})" in md for name in pngs)
    assert "Charts left out" not in md


def test_no_charts_writes_markdown_alone(report: Report, seeded_db: str, tmp_path: Path):
    target = tmp_path / "plain.md"
    ok(report(seeded_db, "timeline", "--format", "md", "--no-charts", "-o", str(target)))
    assert list(tmp_path.iterdir()) == [target]


def test_html_written_twice_is_the_same_file(report: Report, seeded_db: str, tmp_path: Path):
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    ok(report(seeded_db, "timeline", "--format", "html", "-o", str(first)))
    ok(report(seeded_db, "timeline", "--format", "html", "-o", str(second)))
    assert first.read_bytes() == second.read_bytes()
    assert first.read_text(encoding="utf-8").count("<svg") == 3


def test_the_status_brief_in_markdown_and_html(report: Report, seeded_db: str, tmp_path: Path):
    md = ok(report(seeded_db, "status", "--no-charts"))
    assert md.startswith("# Delivery status\n\n_As of 24 Nov 2026._\n")
    assert (
        "| s400-india-2018 | S-400 Triumf | India ← Russia | 5 squadrons | 3 (60%) | 2 | "
        "USD 5 bn (INR 350–400 bn; USD 4.5–5.5 bn) | delivering, 1 overdue | "
        "squadron 4, by end May 2026 | 2027 (latest due date) |"
    ) in md
    assert (
        "| ak203-india-2021 | AK-203 | India ← Indo-Russia Rifles Pvt Ltd | 601,427 rifles | "
        "about 48,000 (8%) |" in md
    )
    ok(report(seeded_db, "status", "--format", "md", "-o", str(tmp_path / "brief.md")))
    assert sorted(p.name for p in tmp_path.glob("*.png")) == [
        "brief-ak203-india-2021-schedule.png",
        "brief-s400-india-2018-schedule.png",
    ]
    html = ok(report(seeded_db, "status", "--format", "html"))
    assert html.startswith("<!DOCTYPE html>") and html.count("<svg") == 2


def test_an_unknown_contract_is_one_line_on_stderr(report: Report, seeded_db: str):
    result = report(seeded_db, "timeline", "--contract", "nope")
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        "Error: No contract 'nope'\n",
    )


def test_a_bad_date_is_a_usage_error(report: Report, seeded_db: str):
    result = report(seeded_db, "timeline", "--from", "2021-13")
    assert result.exit_code == 2
    assert "Invalid value for '--from': Invalid date '2021-13'" in result.stderr


def test_the_status_brief_has_no_csv(report: Report, seeded_db: str):
    result = report(seeded_db, "status", "--format", "csv")
    assert result.exit_code == 2 and "'csv' is not one of 'md', 'html'" in result.stderr


def test_a_country_filter_matches_buyer_or_seller(report: Report, seeded_db: str):
    out = flat(ok(report(seeded_db, "status", "--no-charts", "--country", "Russian Federation")))
    assert "s400-india-2018" in out and "ak200-india-2021-emergency" in out
    assert "ak203-india-2021 |" not in out  # sold by the joint venture, not Russia

"""The trends page: self-contained, its estimates and release named, its charts drawn in
headless Chromium (skipped without Chromium unless TRACKER_REQUIRE_CHROMIUM=1)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.image import imread

from tests.reports.test_browser import HEIGHT, WIDTH, visit
from tests.trends.helpers import FIXTURES, run
from tracker.service.app import Tracker


def _page(tracker: Tracker, tmp_path: Path, fixture: str, *args: str) -> str:
    run(tracker.url, "import", "sipri", str(FIXTURES / fixture))
    page = tmp_path / "trends.html"
    out = run(tracker.url, "trends", "--format", "html", "-o", str(page), *args)
    assert out == f"Wrote {page}.\n"
    return page.read_text("utf-8")


def test_the_page_names_the_release_marks_estimates_and_holds_two_charts(
    sqlite_tracker: Tracker, tmp_path: Path
):
    html = _page(
        sqlite_tracker,
        tmp_path,
        "register.csv",
        "--recipient",
        "India",
        "--periods",
        "2015-18,2019-22",
    )
    assert html.count("<svg") == 2
    assert "SIPRI Arms Transfers Database, trade register, 13 Mar 2025" in html
    assert "100.0% (1)*" in html
    assert "split evenly" in html  # the table's note and the chart's caption
    assert "Content-Security-Policy" in html  # the page may fetch nothing


def test_html_without_a_file_is_refused(sqlite_tracker: Tracker):
    from click.testing import CliRunner

    from tracker.cli.main import cli

    result = CliRunner().invoke(cli, ["--db", sqlite_tracker.url, "trends", "--format", "html"])
    assert (result.exit_code, result.output.splitlines()[-1]) == (
        2,
        "Error: --format html needs --output FILE",
    )


def test_the_trends_page_draws_in_chromium_and_fetches_nothing(
    sqlite_tracker: Tracker, tmp_path: Path
):
    _page(
        sqlite_tracker,
        tmp_path,
        "by-year.csv",
        "--recipient",
        "India",
        "--periods",
        "2014-18,2019-23",
    )
    seen = visit(tmp_path / "trends.html", tmp_path)
    assert seen.requests == []
    pixels = imread(seen.screenshot)
    assert pixels.shape[:2] == (HEIGHT, WIDTH)
    colours = np.unique(pixels.reshape(-1, pixels.shape[-1]), axis=0)
    assert len(colours) > 50  # text, bars and legend, not a blank page
    # The bars: the chart's first colour (#1f4e79, the largest partner) fills a good area.
    bar = (np.abs(pixels[..., :3] - np.array([0x1F, 0x4E, 0x79]) / 255).max(axis=-1) < 0.02).mean()
    assert bar > 0.005


def _report(tracker: Tracker, tmp_path: Path, fmt: str, *args: str) -> tuple[Path, str]:
    run(tracker.url, "import", "sipri", str(FIXTURES / "by-year.csv"))
    out = tmp_path / f"trends.{fmt}"
    said = run(tracker.url, "report", "trends", "--format", fmt, "-o", str(out), *args)
    return out, said


def test_report_trends_html_draws_its_chart_in_chromium(sqlite_tracker: Tracker, tmp_path: Path):
    page, said = _report(
        sqlite_tracker, tmp_path, "html", "--recipient", "India", "--periods", "2014-18,2019-23"
    )
    assert said == f"Wrote {page}.\n"
    html = page.read_text("utf-8")
    assert html.count("<svg") == 2
    assert "transfers by delivery year, 13 Apr 2024" in html
    seen = visit(page, tmp_path)
    assert seen.requests == []
    pixels = imread(seen.screenshot)
    # The bars: the chart's first colour (#1f4e79, France, the largest partner) is drawn.
    bar = (np.abs(pixels[..., :3] - np.array([0x1F, 0x4E, 0x79]) / 255).max(axis=-1) < 0.02).mean()
    assert bar > 0.005


def test_report_trends_json_is_the_trends_json(sqlite_tracker: Tracker, tmp_path: Path):
    import json

    from tests.trends.helpers import trends_json

    args = ("--supplier", "Russia", "--periods", "2014-18,2019-23")
    out, said = _report(sqlite_tracker, tmp_path, "json", *args)
    assert said == f"Wrote {out}.\n"
    assert json.loads(out.read_text("utf-8")) == trends_json(sqlite_tracker.url, *args)


def test_report_trends_md_writes_its_charts_beside_it(sqlite_tracker: Tracker, tmp_path: Path):
    out, said = _report(
        sqlite_tracker, tmp_path, "md", "--recipient", "India", "--periods", "2014-18,2019-23"
    )
    assert said == f"Wrote {out} and 2 charts.\n"
    md = out.read_text("utf-8")
    assert "| France | - | 77.8% (1) |" in md  # 350 of 450, by hand; none before
    for name in ("trends-trends-yearly.png", "trends-trends-shares.png"):
        assert f"]({name})" in md
        assert (tmp_path / name).read_bytes().startswith(b"\x89PNG")


def test_report_trends_text_and_csv_carry_the_hand_computed_figures(
    sqlite_tracker: Tracker, tmp_path: Path
):
    args = ("--recipient", "India", "--periods", "2014-18,2019-23")
    text_out, _ = _report(sqlite_tracker, tmp_path, "text", *args)
    lines = text_out.read_text("utf-8").splitlines()
    assert lines[0] == "India: arms imports by supplier, in SIPRI TIV"
    assert [line.split() for line in lines if line.startswith("Change")] == [["Change", "+12.5%"]]
    csv_text = run(sqlite_tracker.url, "report", "trends", "--format", "csv", *args)
    total = [r for r in csv_text.splitlines() if r.startswith("total,2019-23,")]
    assert total and ",450.0," in total[0] and ",12.5," in total[0]

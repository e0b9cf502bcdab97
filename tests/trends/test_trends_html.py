"""The trends page: self-contained, its estimates and release named, its charts drawn in
headless Chromium (skipped without Chromium unless TRACKER_REQUIRE_CHROMIUM=1)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.image import imread

from tests.reports.test_browser import HEIGHT, WIDTH, visit
from tests.trends.helpers import FIXTURES, run
from tracker.app import Tracker


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

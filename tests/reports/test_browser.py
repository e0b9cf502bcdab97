"""The HTML report in headless Chromium: it draws something, and it fetches nothing.

Without Chromium these tests skip ('chromium not installed'), unless
TRACKER_REQUIRE_CHROMIUM=1 (CI), where they fail instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread

from tracker.reports.html import render_timeline_html
from tracker.reports.model import timeline_of
from tracker.service.app import Tracker

REQUIRE = os.environ.get("TRACKER_REQUIRE_CHROMIUM") == "1"
WIDTH, HEIGHT = 1280, 2000


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if REQUIRE:
            pytest.fail("chromium not installed (TRACKER_REQUIRE_CHROMIUM=1)")
        pytest.skip("chromium not installed")
    return found


@dataclass
class Visit:
    screenshot: Path
    requests: list[str]


def visit(page: Path, work: Path) -> Visit:
    """Open ``page`` headless; screenshot it and list what it asked the network for."""
    shot, net_log = work / "shot.png", work / "net-log.json"
    subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={work / 'profile'}",
            f"--log-net-log={net_log}",
            f"--screenshot={shot}",
            f"--window-size={WIDTH},{HEIGHT}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    return Visit(shot, page_requests(net_log))


def page_requests(net_log: Path) -> list[str]:
    """URLs the page requested; Chromium's own traffic (updates, sign-in) is left out.

    A request made for a page opened from disk carries 'file://' in its network
    isolation key; the browser's background requests carry none.
    """
    text = net_log.read_text(encoding="utf-8").rstrip().rstrip(",")
    try:
        data = json.loads(text)
    except json.JSONDecodeError:  # a log cut short at exit lacks its closing brackets
        data = json.loads(text + "]}")
    start = data["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [
        params["url"]
        for event in data["events"]
        if event["type"] == start
        and "url" in (params := event.get("params") or {})
        and "file://" in params.get("network_isolation_key", "")
    ]


def test_the_html_report_draws_in_chromium_and_fetches_nothing(shared: Tracker, tmp_path: Path):
    page = tmp_path / "s400.html"
    page.write_text(render_timeline_html(timeline_of(shared, ["s400-india-2018"])), "utf-8")
    seen = visit(page, tmp_path)
    assert seen.requests == []
    pixels = imread(seen.screenshot)
    assert pixels.shape[:2] == (HEIGHT, WIDTH)
    colours = np.unique(pixels.reshape(-1, pixels.shape[-1]), axis=0)
    assert len(colours) > 50  # text, charts and shading, not a blank page
    ink = (pixels[..., :3].min(axis=-1) < 0.5).mean()
    assert 0.01 < ink < 0.5  # dark text on a light page


def test_the_request_check_sees_a_page_that_does_fetch(tmp_path: Path):
    page = tmp_path / "fetching.html"
    page.write_text(
        '<!DOCTYPE html><title>x</title><p>x</p><img src="http://127.0.0.1:9/pixel.png">',
        "utf-8",
    )
    assert visit(page, tmp_path).requests == ["http://127.0.0.1:9/pixel.png"]

"""The site in headless Chromium: pages draw, the chart is drawn, nothing outside is fetched.

Skips without Chromium unless TRACKER_REQUIRE_CHROMIUM=1 (CI), where it fails instead.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread

from tests.reports.test_browser import chromium
from tests.web.conftest import Site, seeded, serving

WIDTH, HEIGHT = 1280, 1800


@pytest.fixture(scope="module")
def browsed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    url = f"sqlite:///{tmp_path_factory.mktemp('browsed') / 'tracker.db'}"
    seeded(url)
    with serving(url) as site:
        yield site


def visit(address: str, work: Path) -> tuple[Path, list[str]]:
    """Open ``address`` headless: its screenshot, and every URL the page asked for."""
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
            address,
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    return shot, requested(net_log, address)


def requested(net_log: Path, address: str) -> list[str]:
    """URLs requested on behalf of the page (their isolation key names its origin)."""
    text = net_log.read_text(encoding="utf-8").rstrip().rstrip(",")
    try:
        data = json.loads(text)
    except json.JSONDecodeError:  # a log cut short at exit lacks its closing brackets
        data = json.loads(text + "]}")
    start = data["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    origin = "/".join(address.split("/")[:3])
    return [
        params["url"]
        for event in data["events"]
        if event["type"] == start
        and "url" in (params := event.get("params") or {})
        and (params["url"].startswith(origin) or origin in params.get("network_isolation_key", ""))
    ]


def assert_drawn(shot: Path) -> None:
    pixels = imread(shot)
    assert pixels.shape[:2] == (HEIGHT, WIDTH)
    colours = np.unique(pixels.reshape(-1, pixels.shape[-1]), axis=0)
    assert len(colours) > 50  # text, rules and shading, not a blank page
    ink = (pixels[..., :3].min(axis=-1) < 0.5).mean()
    assert 0.005 < ink < 0.5


def test_the_deals_page_draws_and_fetches_only_from_the_site(browsed: Site, tmp_path: Path):
    shot, asked = visit(browsed.base + "/?buyer=India", tmp_path)
    assert asked and all(u.startswith(browsed.base + "/") for u in asked), asked
    assert browsed.base + "/style.css" in asked
    assert_drawn(shot)


def test_a_deal_page_draws_its_chart_and_fetches_only_from_the_site(browsed: Site, tmp_path: Path):
    shot, asked = visit(browsed.base + "/deals/s400-india-2018", tmp_path)
    assert all(u.startswith(browsed.base + "/") for u in asked), asked
    assert browsed.base + "/deals/s400-india-2018/chart-1.svg" in asked
    assert_drawn(shot)
    # The chart's orange (current due dates) and green (deliveries) are on the screen.
    rgb = (imread(shot)[..., :3] * 255).astype(int)
    orange = (abs(rgb[..., 0] - 230) < 30) & (abs(rgb[..., 1] - 130) < 40) & (rgb[..., 2] < 80)
    assert orange.sum() > 50


def test_the_request_check_sees_a_page_that_fetches_elsewhere(tmp_path: Path):
    page = tmp_path / "fetching.html"
    page.write_text('<!DOCTYPE html><img src="http://127.0.0.1:9/pixel.png">', "utf-8")
    _, asked = visit(page.as_uri(), tmp_path)
    assert "http://127.0.0.1:9/pixel.png" in asked


@pytest.fixture(scope="module")
def with_trends(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    from tests.trends.helpers import FIXTURES, run

    url = f"sqlite:///{tmp_path_factory.mktemp('trends') / 'tracker.db'}"
    seeded(url, ["s400"])
    run(url, "import", "sipri", str(FIXTURES / "by-year.csv"))
    with serving(url) as site:
        yield site


def test_the_trends_page_draws_its_charts_and_fetches_only_from_the_site(
    with_trends: Site, tmp_path: Path
):
    query = "recipient=India&periods=2014-18%2C2019-23"
    shot, asked = visit(f"{with_trends.base}/trends?{query}", tmp_path)
    assert all(u.startswith(with_trends.base + "/") for u in asked), asked
    for n in (1, 2):
        assert f"{with_trends.base}/trends/chart-{n}.svg?{query}" in asked
    assert_drawn(shot)
    # The bars: the charts' first colour (#1f4e79, France, the largest partner).
    rgb = (imread(shot)[..., :3] * 255).astype(int)
    bar = (abs(rgb - np.array([0x1F, 0x4E, 0x79])).max(axis=-1) < 6).sum()
    assert bar > 500

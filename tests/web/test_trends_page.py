"""The trends page answers as `tracker trends --format json` does, on SQLite and PostgreSQL.

The record: the seeds plus a small SIPRI file (tests/trends/fixtures/by-year.csv) whose
shares are worked out by hand in tests/trends/test_trends_arithmetic.py. The oracle is the
CLI's JSON for the same question; the page's cells are read back as numbers.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.trends.helpers import FIXTURES, run
from tests.web.conftest import Site, cli_json, seeded, serving
from tests.web.tables import tables, text

CELL = re.compile(r"^(?P<share>-?[\d.]+)%(?: \((?P<rank>\d+)\))?(?P<est>\*)?$")


@pytest.fixture
def trends_site(db_url: str) -> Iterator[Site]:
    seeded(db_url, ["s400"])
    run(db_url, "import", "sipri", str(FIXTURES / "by-year.csv"))
    with serving(db_url) as site:
        yield site


def page_rows(site: Site, query: str) -> dict[str, list[str]]:
    page = site.get("/trends?" + query)
    assert page.status == 200, page.body
    rows = tables(page.body)["trends"]
    return {r[0]: r[1:] for r in rows[1:]}


def share_cell(cell: str) -> tuple[float, int | None] | None:
    """'77.8% (1)*' -> (77.8, 1); '-' (no deliveries) -> None."""
    if cell == "-":
        return None
    found = CELL.match(cell)
    assert found, cell
    return float(found["share"]), int(found["rank"]) if found["rank"] else None


def oracle_cells(data: dict[str, Any]) -> dict[str, list[tuple[float, int | None] | None]]:
    return {
        p["name"]: [
            (round(c["share_pct"], 1), c["rank"]) if c["tiv"] else None for c in p["periods"]
        ]
        for p in data["partners"]
    }


PERIODS = "periods=2014-18,2019-23"
QUESTIONS = [
    f"recipient=India&{PERIODS}",
    f"supplier=Russia&{PERIODS}&top=1",
    f"{PERIODS}&yearly=1",
    f"recipient=India&{PERIODS}&system=Su-30",
]


def cli_args(query: str) -> list[str]:
    """The command's options for the page's parameters ('yearly=1' is the flag)."""
    args: list[str] = []
    for pair in query.split("&"):
        name, value = pair.split("=")
        args += [f"--{name}"] if name == "yearly" else [f"--{name}", value]
    return args


@pytest.mark.parametrize("query", QUESTIONS)
def test_the_trends_page_shows_the_cli_json_figures(trends_site: Site, query: str) -> None:
    oracle = cli_json(trends_site.url, "trends", *cli_args(query))
    rows = page_rows(trends_site, query)
    expected = oracle_cells(oracle)
    assert expected, "the question must have partners, or the test proves nothing"
    shown = [name for name in rows if name not in ("Total (TIV m)", "Change", "Share of world")]
    assert shown == list(expected)
    assert {k: [share_cell(c) for c in rows[k]] for k in shown} == expected
    totals = [int(c.rstrip("*").replace(",", "")) for c in rows["Total (TIV m)"]]
    assert totals == [round(p["tiv"]) for p in oracle["periods"]]
    changes = [float(c.rstrip("%")) if c else None for c in rows["Change"]]
    assert changes == [
        None if p["change_pct"] is None else round(p["change_pct"], 1) for p in oracle["periods"]
    ]


def test_the_page_holds_the_hand_computed_shares_and_names_the_release(trends_site: Site):
    rows = page_rows(trends_site, "recipient=India&periods=2014-18,2019-23")
    # By hand (see the module's docstring): 2019-23, France 350 of 450, Russia 50 of 450.
    assert share_cell(rows["France"][1]) == (77.8, 1)
    assert share_cell(rows["Russia"][0]) == (50.0, 1)
    assert rows["Change"] == ["", "+12.5%"]
    page = text(trends_site.get("/trends?recipient=India&periods=2014-18,2019-23").body)
    assert "transfers by delivery year, 13 Apr 2024" in page
    assert "In the record, not in these figures" in page  # the seeded S-400, logged by hand


def test_the_charts_are_served_for_the_same_question(trends_site: Site):
    query = "recipient=India&periods=2014-18,2019-23"
    page = trends_site.get("/trends?" + query)
    for n in (1, 2):
        assert f'src="/trends/chart-{n}.svg?recipient=India&amp;periods=2014-18%2C2019-23"' in (
            page.body
        )
        chart = trends_site.get(f"/trends/chart-{n}.svg?{query}")
        assert chart.status == 200 and "<svg" in chart.body
        assert chart.headers["content-type"].startswith("image/svg+xml")
    assert trends_site.get(f"/trends/chart-3.svg?{query}").status == 404


def test_bad_trends_parameters_get_a_400_naming_them(trends_site: Site):
    for query, name in [
        ("periods=2020-10", "periods"),
        ("periods=someday", "periods"),
        ("top=0", "top"),
        ("top=many", "top"),
        ("yearly=yes", "yearly"),
        ("recipient=India&supplier=France", "supplier"),
        ("colour=red", "colour"),
        ("as_of=someday", "as_of"),
        ("known_at=never", "known_at"),
    ]:
        page = trends_site.get("/trends?" + query)
        assert page.status == 400, query
        assert f"Invalid parameter &#39;{name}&#39;" in page.body, (query, page.body)
        assert "Traceback" not in page.body


def test_the_nav_links_to_trends_keeping_the_view(trends_site: Site):
    page = trends_site.get("/?as_of=2024-01-01")
    assert 'href="/trends?as_of=2024-01-01"' in page.body
    trends = trends_site.get("/trends?as_of=2024-01-01&recipient=India")
    assert trends.status == 200
    assert 'href="/log?as_of=2024-01-01"' in trends.body
    assert 'id="as-of-note"' in trends.body  # says the world date does not cut the figures


def test_the_known_at_view_equals_the_cli_known_at(db_url: str):
    seeded(db_url, ["s400"])
    time.sleep(1.1)
    between = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    time.sleep(1.1)
    run(db_url, "import", "sipri", str(FIXTURES / "by-year.csv"))
    args = ["--recipient", "India", "--periods", "2014-18,2019-23"]
    query = "recipient=India&periods=2014-18,2019-23"
    with serving(db_url) as site:
        for known_at in (between, ""):
            oracle = cli_json(
                site.url, "trends", *args, *(["--known-at", known_at] * bool(known_at))
            )
            rows = page_rows(site, f"{query}&known_at={known_at}")
            totals = [int(c.rstrip("*").replace(",", "")) for c in rows["Total (TIV m)"]]
            assert totals == [round(p["tiv"]) for p in oracle["periods"]]
            shown = [n for n in rows if n not in ("Total (TIV m)", "Change", "Share of world")]
            assert shown == [p["name"] for p in oracle["partners"]]
        assert page_rows(site, f"{query}&known_at={between}")["Total (TIV m)"] == ["0", "0"]
        assert "as it was known on" in site.get(f"/trends?{query}&known_at={between}").body


def test_a_hostile_question_is_shown_inert(trends_site: Site):
    from urllib.parse import quote

    hostile = '<script>alert(1)</script>" onerror="alert(2)'
    page = trends_site.get(f"/trends?recipient={quote(hostile)}&{PERIODS}")
    assert page.status == 200
    assert "<script>alert" not in page.body
    assert '" onerror="' not in page.body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34; onerror=&#34;alert(2)" in page.body

"""Every page of `tracker serve` answers, on SQLite and PostgreSQL, with the CLI's figures.

The oracle is the CLI's `--format json` for the same question (filter, search, as of, as
known on), or the service itself (verify's chain head).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from tests.web.conftest import Site, cli_json, seeded, serving
from tracker.service.app import Tracker

S400 = "s400-india-2018"


def deal_rows(site: Site, query: str) -> list[list[str]]:
    from tests.web.tables import tables

    page = site.get("/" + query)
    assert page.status == 200, page.body
    return tables(page.body)["deals"][1:]


def delivered_figure(cell: str) -> int:
    return int(cell.split()[0].replace(",", ""))


def test_every_page_answers_with_a_strict_policy(site: Site) -> None:
    for path in ("/", "/log", f"/deals/{S400}", f"/deals/{S400}/chart-1.svg", "/style.css"):
        page = site.get(path)
        assert page.status == 200, (path, page.body[:300])
        assert "default-src 'none'" in page.headers["content-security-policy"]
    assert site.get(f"/deals/{S400}/chart-1.svg").body.lstrip().startswith("<?xml")


def test_the_deals_page_and_its_json_equal_the_cli_for_a_filter(site: Site) -> None:
    oracle = cli_json(site.url, "status", "--buyer", "India", "--sort", "signed")
    assert site.get("/deals.json?buyer=India&sort=signed").json() == oracle
    rows = deal_rows(site, "?buyer=India&sort=signed")
    assert [r[0] for r in rows] == [s["ref"] for s in oracle]
    assert [delivered_figure(r[5]) for r in rows] == [s["delivered"] for s in oracle]


def test_a_search_finds_what_the_cli_search_finds(site: Site) -> None:
    oracle = cli_json(site.url, "status", "--search", "rifles")
    assert oracle, "the seeds hold rifles"
    assert [r[0] for r in deal_rows(site, "?q=rifles")] == [s["ref"] for s in oracle]
    csv_refs = [line.split(",")[0] for line in site.get("/deals.csv?q=rifles").body.splitlines()]
    assert csv_refs[1:] == [s["ref"] for s in oracle]


def test_the_as_of_view_equals_the_cli_as_of(site: Site) -> None:
    oracle = cli_json(site.url, "status", "--as-of", "2022-01-01")
    rows = deal_rows(site, "?as_of=2022-01-01")
    assert [(r[0], delivered_figure(r[5])) for r in rows] == [
        (s["ref"], s["delivered"]) for s in oracle
    ]
    assert [s["delivered"] for s in oracle] != [
        s["delivered"] for s in cli_json(site.url, "status")
    ], "the date must change the answer, or the test proves nothing"


def test_a_deal_page_shows_the_cli_schedule_as_of_a_date(site: Site) -> None:
    from tests.web.tables import tables

    oracle = cli_json(site.url, "schedule", S400, "--as-of", "2024-06-30")
    page = site.get(f"/deals/{S400}?as_of=2024-06-30")
    assert page.status == 200
    shown = [(r[0], r[5]) for r in tables(page.body)["milestones"][1:]]
    assert shown == [(m["label"], m["state"]) for m in oracle["milestones"]]
    assert f'src="/deals/{S400}/chart-1.svg?as_of=2024-06-30"' in page.body
    assert 'href="/log?as_of=2024-06-30"' in page.body  # the view rides along in links
    assert "what had happened by 30 Jun 2024" in page.body


def test_the_log_shows_verify_and_the_chain_head(site: Site) -> None:
    with _opened(site.url) as tracker:
        checked, _ = tracker.verify()
    page = site.get("/log")
    assert f'<code id="head">{checked.digest}</code>' in page.body
    assert f"{checked.count:,} events checked" in page.body
    assert f'href="/deals/{S400}"' in page.body


def test_bad_parameters_get_a_400_naming_them_and_unknown_refs_a_404(site: Site) -> None:
    for query, name in [
        ("?as_of=someday", "as_of"),
        ("?known_at=not-a-time", "known_at"),
        ("?page=0", "page"),
        ("?per=100000", "per"),
        ("?state=lost", "state"),
        ("?sort=price", "sort"),
        ("?year=2020-2010", "year"),
        ("?colour=red", "colour"),
    ]:
        page = site.get("/" + query)
        assert page.status == 400, query
        assert f"Invalid parameter &#39;{name}&#39;" in page.body, page.body
        assert "Traceback" not in page.body
    assert site.get("/deals/no-such-deal").status == 404
    assert site.get(f"/deals/{S400}/chart-9.svg").status == 404
    assert site.get(f"/deals/{S400}?as_of=2010-01-01").status == 404  # not signed yet


def test_the_site_cannot_write(site: Site) -> None:
    from sqlalchemy import text

    with pytest.raises(Exception, match=r"(?i)read.?only"), site.tracker.engine.begin() as conn:
        conn.execute(text("CREATE TABLE scribble (x INTEGER)"))


def test_the_known_at_view_equals_the_cli_known_at(db_url: str) -> None:
    seeded(db_url, ["mtc-2021-2031", "s400"])
    time.sleep(1.1)
    between = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    time.sleep(1.1)
    seeded(db_url, ["ak203", "caatsa"])
    with serving(db_url) as site:
        oracle = cli_json(site.url, "status", "--known-at", between)
        assert [s["ref"] for s in oracle] == [S400]
        assert [r[0] for r in deal_rows(site, f"?known_at={between}")] == [S400]
        assert len(deal_rows(site, "")) > 1
        page = site.get(f"/log?known_at={between}")
        assert "as it was known on" in page.body
        assert 'href="/deals/ak203-india-2021' not in page.body
        assert 'href="/deals/ak203-india-2021' in site.get("/log").body


def _opened(url: str):
    from contextlib import closing

    return closing(Tracker.open(url))

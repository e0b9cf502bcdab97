"""What the site keeps between requests is never stale: a new event reaches every page.

The oracle is the CLI's JSON (and verify's head) after the event, asked of the database
the site serves, while the site stays up with its caches warm.
"""

from __future__ import annotations

import uuid

from tests.web.conftest import cli_json, seeded, serving
from tests.web.tables import tables
from tracker.service.app import Tracker
from tracker.store.records import NewEvent
from tracker.web.cache import Kept


def test_the_lightest_bound_drops_the_least_recently_used_answer() -> None:
    kept: Kept[str] = Kept(10, len)
    computed: list[str] = []

    def make(value: str):
        return lambda: computed.append(value) or value

    kept.get("a", make("aaaa"))
    kept.get("b", make("bbbb"))
    kept.get("a", make("never"))  # kept, and now the most recently used
    kept.get("c", make("cccc"))  # 12 > 10: 'b' goes
    kept.get("a", make("never"))
    kept.get("b", make("bbbb"))
    assert computed == ["aaaa", "bbbb", "cccc", "bbbb"]


def test_an_answer_heavier_than_the_largest_is_handed_out_but_not_kept() -> None:
    kept: Kept[str] = Kept(100, len, largest=3)
    calls = []
    for _ in range(2):
        assert kept.get("big", lambda: calls.append(1) or "four") == "four"
    assert len(calls) == 2


def test_a_new_event_reaches_the_deals_a_deal_and_the_log_pages(db_url: str) -> None:
    seeded(db_url, ["mtc-2021-2031", "s400"])
    with serving(db_url) as site:
        before = [r[0] for r in tables(site.get("/?buyer=India").body)["deals"][1:]]
        assert site.get("/deals/ak203-india-2021").status == 404
        log_before = site.get("/log").body
        seeded(db_url, ["ak203"])  # a writer, beside the running site
        oracle = cli_json(db_url, "status", "--buyer", "India")
        after = [r[0] for r in tables(site.get("/?buyer=India").body)["deals"][1:]]
        assert after == [s["ref"] for s in oracle]
        assert len(after) > len(before)
        assert site.get("/deals/ak203-india-2021").status == 200
        assert site.get("/deals.json?buyer=India").json() == oracle
        tracker = Tracker.open(db_url)
        try:
            checked, _ = tracker.verify()
        finally:
            tracker.close()
        log_after = site.get("/log").body
        assert f'<code id="head">{checked.digest}</code>' in log_after
        assert f'<code id="head">{checked.digest}</code>' not in log_before


def test_a_deal_logged_while_the_read_models_lag_is_shown_from_the_log(db_url: str) -> None:
    # The site keeps its "read models are level" verdict per head: an event appended
    # without projecting moves the head, so the next page must fold the log instead.
    seeded(db_url, ["s400"])
    with serving(db_url) as site:
        assert site.get("/deals/s400-india-2018").status == 200  # verdict kept: level
        assert site.get("/deals/s400-copy-2018").status == 404
        writer = Tracker.open(db_url)
        try:
            signed = next(e for e in writer.events() if e.event_type == "ContractSigned")
            copy = {**signed.payload, "reference": "s400-copy-2018"}
            event = NewEvent(
                event_id=str(uuid.uuid4()),
                event_type=signed.event_type,
                schema_version=signed.schema_version,
                occurred=signed.occurred,
                payload=copy,
                metadata=signed.metadata,
            )
            writer.store.append("contract:s400-copy-2018", [event])  # not projected
            assert any(p.lag for p in writer.projector.status())
        finally:
            writer.close()
        page = site.get("/deals/s400-copy-2018")
        assert page.status == 200, page.body[:300]
        assert "s400-copy-2018" in page.body

"""Hostile text in the log is shown, never obeyed, on every page of the site.

A note and a source title hold a <script> element, an onerror attribute and a javascript:
URL; a source cites a javascript: URL; a contract's system holds markup. They go into the
log through the store, as a forged file or another writer could put them there.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest

from tests.web.conftest import Site, seeded, serving
from tracker.service.app import Tracker
from tracker.store.records import NewEvent, RecordedEvent

SCRIPT = "<script>alert('note')</script>"
ONERROR = '<img src=x onerror="alert(1)">'
JS_URL = "javascript:alert(document.domain)"
NOTE = f"Hostile {SCRIPT} {ONERROR} [x]({JS_URL}) end"
TITLE = f"Title {SCRIPT} {ONERROR} {JS_URL}"
EVIL = "evil-2025"
PAGES = ["/", "/?q=hostile", "/log", "/deals/s400-india-2018", f"/deals/{EVIL}"]


class Markup(HTMLParser):
    """The elements and attributes a browser would build from the page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(k, v or "") for k, v in attrs]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'tracker.db'}"
    seeded(url, ["s400"])
    tracker = Tracker.open(url)
    try:
        _append_hostile(tracker)
    finally:
        tracker.close()
    with serving(url) as site:
        yield site


def _append_hostile(tracker: Tracker) -> None:
    events = list(tracker.events())
    signed = next(e for e in events if e.event_type == "ContractSigned")
    note = next(e for e in reversed(events) if e.event_type == "NoteRecorded")
    tracker.store.append(note.stream_id, [_copy(note, {"text": NOTE}, TITLE, JS_URL)])
    evil = {"reference": EVIL, "system": f"Evil {SCRIPT}", "description": ONERROR}
    tracker.store.append(f"contract:{EVIL}", [_copy(signed, evil, TITLE, JS_URL)])
    tracker.level_projections()


def _copy(model: RecordedEvent, payload: dict[str, str], title: str, url: str) -> NewEvent:
    source = {**model.metadata["sources"][0], "title": title, "url": url}
    return NewEvent(
        event_id=str(uuid.uuid4()),
        event_type=model.event_type,
        schema_version=model.schema_version,
        occurred=model.occurred,
        payload={**model.payload, **payload},
        metadata={**model.metadata, "sources": [source]},
    )


@pytest.mark.parametrize("path", PAGES)
def test_hostile_text_renders_inert(hostile_site: Site, path: str) -> None:
    page = hostile_site.get(path)
    assert page.status == 200, page.body[:500]
    found = Markup()
    found.feed(page.body)
    assert "script" not in found.tags
    assert [k for k, _ in found.attributes if k.startswith("on")] == []
    links = [v for k, v in found.attributes if k in ("href", "src", "action")]
    assert [v for v in links if not v.startswith(("/", "#", "http://", "https://"))] == []
    assert not any("javascript:" in v.lower() for v in links)


def test_the_hostile_text_is_still_shown_as_text(hostile_site: Site) -> None:
    deal = hostile_site.get("/deals/s400-india-2018").body
    assert "&lt;script&gt;alert(&#39;note&#39;)&lt;/script&gt;" in deal  # the note
    assert "Title &lt;script&gt;" in deal  # the source title
    assert f'<span class="url">{JS_URL}</span>' in deal  # the URL, as text only
    assert (
        "Evil &lt;script&gt;"
        in hostile_site.get("/?q=hostile").body + hostile_site.get(f"/deals/{EVIL}").body
    )


def test_the_hostile_pages_are_served_under_a_policy_that_forbids_scripts(
    hostile_site: Site,
) -> None:
    policy = hostile_site.get(f"/deals/{EVIL}").headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy


def test_the_csv_is_a_download_a_browser_will_not_sniff_as_html(hostile_site: Site) -> None:
    csv = hostile_site.get("/deals.csv?q=evil")
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.headers["x-content-type-options"] == "nosniff"
    assert csv.headers["content-disposition"].startswith("attachment")

"""A report streamed a programme at a time is the report made whole in memory, byte for byte.

The in-memory renderers (``render_*`` of ``timeline_of``) are the oracle: they number the
citations only once every one is registered, as the streamed report cannot.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.factories import note_recorded
from tracker.reports.citations import Citations
from tracker.reports.html import HtmlFormat, render_timeline_html
from tracker.reports.markdown import MarkdownFormat, render_timeline_markdown
from tracker.reports.model import TimelineReport, timeline_of
from tracker.reports.pieces import Format, Spool
from tracker.reports.stream import stream_timeline
from tracker.reports.tabular import CsvFormat, JsonFormat, render_csv, render_json
from tracker.reports.text import TextFormat, render_text
from tracker.service import reporting
from tracker.service.app import Tracker

from .test_citations import BEGUN, SIGNED, cited  # noqa: F401 - the fixture

S400 = "s400-india-2018"


def formats() -> list[tuple[str, Format[Any], Any]]:
    return [
        ("text", TextFormat(), render_text),
        (
            "md",
            MarkdownFormat(charts=False),
            lambda r: render_timeline_markdown(r, charts=False).text,
        ),
        ("html", HtmlFormat(charts=False), lambda r: render_timeline_html(r, charts=False)),
        ("csv", CsvFormat(), render_csv),
        ("json", JsonFormat(), render_json),
    ]


def streamed(tracker: Tracker, fmt: Format[Any], *args: Any, **kwargs: Any) -> str:
    made = stream_timeline(tracker, fmt, *args, **kwargs)
    try:
        return "".join(made.parts())
    finally:
        made.close()


@pytest.mark.parametrize("name", [name for name, _, _ in formats()])
@pytest.mark.parametrize(
    "selection",
    [{}, {"refs": ["s400-india-2018"]}, {"as_of": "2022-01-01"}, {"country": "Nowhere"}],
    ids=["all", "one", "as-of", "none"],
)
def test_every_format_streams_the_bytes_it_renders_in_memory(
    shared: Tracker, name: str, selection: dict[str, Any], monkeypatch: pytest.MonkeyPatch
):
    from datetime import date

    from tracker.projections.filters import ContractFilter

    monkeypatch.setattr(reporting, "BATCH", 2)  # programmes read over several batches
    fmt, render = next((f, r) for n, f, r in formats() if n == name)
    refs = selection.get("refs")
    as_of = date.fromisoformat(selection["as_of"]) if "as_of" in selection else None
    flt = ContractFilter(country=selection.get("country"))
    report: TimelineReport = timeline_of(shared, refs, as_of=as_of, flt=flt)
    assert streamed(shared, fmt, refs, as_of=as_of, flt=flt) == render(report)


@pytest.mark.parametrize("name", [name for name, _, _ in formats()])
def test_a_url_described_anew_after_its_first_citation_still_gets_its_letters(
    cited: Tracker,  # noqa: F811 - the fixture
    name: str,
):
    fmt, render = next((f, r) for n, f, r in formats() if n == name)
    out = streamed(cited, fmt)
    assert out == render(timeline_of(cited))
    # The signing cited the story before the delivery described it another way: '1a'.
    assert "1a" in out and "1b" in out


def test_citations_know_when_a_mark_made_early_no_longer_stands():
    citations = Citations()
    citations.register([SIGNED])
    assert [c.mark for c in citations.cite([SIGNED])] == ["1"]
    citations.register([BEGUN])
    assert not citations.settled  # '1' should have been '1a'
    citations.again()
    assert [c.mark for c in citations.cite([SIGNED, BEGUN])] == ["1a", "1b"]
    assert citations.settled


def test_programmes_come_in_batches_as_the_service_lists_them(
    shared: Tracker, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(reporting, "BATCH", 1)
    assert list(reporting.programme_stream(shared)) == shared.programmes()


def test_events_logged_after_the_first_reading_are_left_out(seeded: Tracker):
    head = seeded.store.head_position()
    before = [p.entries for p in reporting.programme_stream(seeded)]
    note = note_recorded(occurred="2026-11", subject=f"contract:{S400}", text="Logged meanwhile")
    seeded.log([note])
    assert [p.entries for p in reporting.programme_stream(seeded, up_to=head)] == before
    now = [p.entries for p in reporting.programme_stream(seeded)]
    assert sum(map(len, now)) == sum(map(len, before)) + 1


def test_a_spool_reads_its_pieces_back_in_order_as_often_as_asked():
    spool: Spool[tuple[str, list[str]]] = Spool()
    pieces = [("a", ["1", "2"]), ("b", []), ("c\x00", ["\u202e"])]
    for piece in pieces:
        spool.append(piece)
    assert list(spool) == pieces and list(spool) == pieces
    spool.close()

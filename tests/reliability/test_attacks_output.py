"""Hostile text is shown, never obeyed: escapes stay inert and only http(s) becomes a link.

A note, a source title and a contract's system name hold an OSC 52 sequence (it writes the
clipboard), CSI sequences, a one-byte C1 CSI, a bidi override and Markdown link syntax;
sources cite javascript:, data:, vbscript: and file: URLs. They go into the log through the
store (as a forged file or a writer could put them there, whatever the CLI accepts today).
Every format of `report timeline` and `report status`, and the table, JSON, CSV and
Markdown of every read command, must then hold no raw control character, keep the escape
visible (text, CSV, Markdown) or exact (JSON), and link to http(s) URLs only: the HTML is
parsed with html.parser, the Markdown rendered with markdown-it first.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import uuid
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from markdown_it import MarkdownIt

from tests.reliability.conftest import Tally, fresh, invoke, ok
from tracker.inert import web_url
from tracker.service.app import Tracker
from tracker.store.records import NewEvent, RecordedEvent

OSC52 = "\x1b]52;c;aGVsbG8=\x07"  # puts 'hello' on the clipboard
CSI = "\x1b[2J\x1b[31m"  # clears the screen, turns the text red
C1_CSI = "\x9b6n"  # the one-byte CSI: asks the terminal to answer with the cursor place
BIDI = "\u202etxt.exe"  # shown as 'exe.txt'
LINKS = "[click](javascript:alert(1)) <javascript:alert(2)> <data:text/html,x>"
TEXT = f"Hostile note {OSC52} {CSI} {C1_CSI} {BIDI} \x08\x7f\r {LINKS} end"
TITLE = f"Hostile title {OSC52} \x1b]0;pwned\x07 [x](javascript:alert(3))"
SYSTEM = f"Evil {CSI}system{OSC52}"
#: An http URL holding characters that a link must not carry raw; written by hand encoded.
ODD_WEB = 'https://example.org/a<b>"c`d'
ODD_WEB_ENCODED = "https://example.org/a%3Cb%3E%22c%60d"
BAD_URLS = [
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(4)",
    " javascript:alert(5)",
    "java\tscript:alert(6)",
    "data:text/html,<script>alert(7)</script>",
    "vbscript:msgbox(8)",
    "file:///etc/passwd",
    "//evil.example/no-scheme",
]
EVIL_REF = "evil-2025"

#: A raw control character a terminal would act on: C0 but newline and tab, DEL, C1, bidi.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: The OSC 52 sequence made visible: as Python writes it, or as JSON does inside a payload.
VISIBLE_OSC52 = (r"\x1b]52;c;aGVsbG8=\x07", r"\u001b]52;c;aGVsbG8=\u0007")

READ_COMMANDS = {
    "events": ["events"],
    "events of the note's stream": ["events", "--stream", "contract:s400-india-2018"],
    "show": ["show", "NOTE"],
    "status": ["status"],
    "status of the hostile contract": ["status", EVIL_REF],
    "schedule": ["schedule", "s400-india-2018", "--history"],
    "production": ["production"],
    "agreements": ["agreements"],
    "projections status": ["projections", "status"],
}
FORMATS = ["table", "json", "csv", "md"]
PLAIN_SOURCE = ["--occurred", "2025-06", "--source", "https://example.org/plain"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A seeded SQLite log with the hostile events appended; (its URL, the note's id)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'tracker.db'}"
    tracker = fresh(url)
    tracker.seed(["s400"])
    tracker.close()
    ok(url, "log", "note", "contract:s400-india-2018", "--text", "A plain note.", *PLAIN_SOURCE)
    tracker = Tracker.open(url)
    try:
        return url, _append_hostile(tracker)
    finally:
        tracker.close()


def _append_hostile(tracker: Tracker) -> str:
    """The hostile note, one note per bad URL and a hostile contract; the note's id."""
    events = list(tracker.events())
    signed = next(e for e in events if e.event_type == "ContractSigned")
    note = next(e for e in reversed(events) if e.event_type == "NoteRecorded")
    first = _copy(note, payload={"text": TEXT}, title=TITLE, url=ODD_WEB)
    tracker.store.append(note.stream_id, [first])
    for bad in BAD_URLS:
        tracker.store.append(note.stream_id, [_copy(note, payload={"text": bad}, url=bad)])
    payload = {"reference": EVIL_REF, "system": SYSTEM}
    tracker.store.append(f"contract:{EVIL_REF}", [_copy(signed, payload=payload, title=TITLE)])
    tracker.level_projections()
    return first.event_id


def _copy(
    model: RecordedEvent,
    *,
    payload: dict[str, str],
    title: str | None = None,
    url: str | None = None,
) -> NewEvent:
    """A new event like ``model`` with these payload fields and first source's title/URL."""
    source = dict(model.metadata["sources"][0])
    source.update({k: v for k, v in (("title", title), ("url", url)) if v is not None})
    return NewEvent(
        event_id=str(uuid.uuid4()),
        event_type=model.event_type,
        schema_version=model.schema_version,
        occurred=model.occurred,
        payload={**model.payload, **payload},
        metadata={**model.metadata, "sources": [source]},
    )


def run(hostile: tuple[str, str], args: list[str], tally: Tally) -> str:
    """stdout of a read command that must succeed, with NOTE standing for the note's id."""
    url, note_id = hostile
    result = invoke(url, *(note_id if a == "NOTE" else a for a in args), tally=tally)
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    return result.stdout


def assert_inert(output: str, fmt: str) -> None:
    """No raw control character; the OSC 52 sequence kept visible as its escape (CSV, text,
    Markdown) or exact inside a JSON string."""
    raw = sorted({f"U+{ord(c):04X}" for c in RAW_CONTROL.findall(output)})
    assert raw == [], f"raw control characters in {fmt}: {raw}"
    if fmt == "json":
        assert any(OSC52 in text for text in strings(json.loads(output)))
        return
    if fmt == "csv":
        shown = "".join(cell for row in csv.reader(io.StringIO(output)) for cell in row)
    elif fmt == "md":
        shown = html.unescape(rendered_markdown(output))
    elif fmt == "text":
        shown = output
    else:
        return  # a table folds long cells anywhere; HTML shows the text as it is
    assert any(v in shown for v in VISIBLE_OSC52), shown


def strings(value: object) -> Iterator[str]:
    """Every string in a JSON value, keys and nested JSON texts included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


# --- escapes --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "csv", "md", "html", "json"])
def test_report_timeline_keeps_every_escape_inert(
    hostile: tuple[str, str], fmt: str, tally: Tally
) -> None:
    tally.campaign, tally.engine = "attack: escapes in report timeline", "sqlite"
    output = run(hostile, ["report", "timeline", "--format", fmt, "--no-charts"], tally)
    assert "Hostile note" in output
    assert "Hostile title" in output  # CSV too: each row's cited_sources
    assert_inert(output, fmt)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_report_status_keeps_every_escape_inert(
    hostile: tuple[str, str], fmt: str, tally: Tally
) -> None:
    tally.campaign, tally.engine = "attack: escapes in report status", "sqlite"
    output = run(hostile, ["report", "status", "--format", fmt, "--no-charts"], tally)
    assert "Evil" in output
    assert RAW_CONTROL.findall(output) == []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", READ_COMMANDS)
def test_every_read_command_keeps_every_escape_inert(
    hostile: tuple[str, str], command: str, fmt: str, tally: Tally
) -> None:
    tally.campaign, tally.engine = "attack: escapes in read commands", "sqlite"
    output = run(hostile, [*READ_COMMANDS[command], "--format", fmt], tally)
    assert RAW_CONTROL.findall(output) == [], output
    if fmt == "json":
        json.loads(output)  # still valid JSON
    shows_note = command == "show" or (command.startswith("events") and fmt in ("json", "csv"))
    if shows_note:
        assert_inert(output, fmt)
    if "hostile contract" in command:
        assert "Evil" in output


def test_a_report_written_to_a_file_is_inert_too(
    hostile: tuple[str, str], tmp_path: Path, tally: Tally
) -> None:
    tally.campaign, tally.engine = "attack: escapes in report timeline", "sqlite"
    for fmt in ("text", "md", "csv"):
        target = tmp_path / f"report.{fmt}"
        run(
            hostile,
            ["report", "timeline", "--format", fmt, "--no-charts", "-o", str(target)],
            tally,
        )
        assert_inert(target.read_text(encoding="utf-8"), fmt)


# --- links ----------------------------------------------------------------------------------


class Hrefs(HTMLParser):
    """Every href and src in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [v or "" for k, v in attrs if k in ("href", "src", "xlink:href")]


def hrefs(html: str) -> list[str]:
    parser = Hrefs()
    parser.feed(html)
    parser.close()
    return parser.found


def assert_web_links_only(html: str) -> list[str]:
    """Every link is to a place in the page or an http(s) URL; the external ones."""
    found = hrefs(html)
    external = [h for h in found if not h.startswith("#")]
    assert [h for h in external if urlsplit(h).scheme not in ("http", "https")] == []
    return external


def rendered_markdown(md: str) -> str:
    """The Markdown as HTML, every link it makes kept: markdown-it would drop javascript:
    links itself, but other renderers do not, so the Markdown must not make them."""
    parser = MarkdownIt("commonmark").enable("table")
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    return parser.render(md)


@pytest.mark.parametrize("command", ["timeline", "status"])
def test_html_reports_link_to_http_urls_only(
    hostile: tuple[str, str], command: str, tally: Tally
) -> None:
    tally.campaign, tally.engine = "attack: links in reports", "sqlite"
    html = run(hostile, ["report", command, "--format", "html", "--no-charts"], tally)
    external = assert_web_links_only(html)
    if command == "timeline":
        assert ODD_WEB_ENCODED in external
        assert "https://example.org/plain" in external
        assert "<script" not in html


def test_markdown_timeline_links_to_http_urls_only(hostile: tuple[str, str], tally: Tally) -> None:
    tally.campaign, tally.engine = "attack: links in reports", "sqlite"
    md = run(hostile, ["report", "timeline", "--format", "md", "--no-charts"], tally)
    html = rendered_markdown(md)
    external = assert_web_links_only(html)
    assert ODD_WEB_ENCODED in external
    assert "<script" not in html
    # The hostile URLs are still shown, as text: a reader sees what the source claimed.
    assert "javascript:alert(document.domain)" in html


@pytest.mark.parametrize("command", ["show", "events"])
def test_markdown_of_read_commands_links_to_nothing_hostile(
    hostile: tuple[str, str], command: str, tally: Tally
) -> None:
    tally.campaign, tally.engine = "attack: links in read commands", "sqlite"
    args = ["show", "NOTE"] if command == "show" else ["events", "--after", "20"]
    html = rendered_markdown(run(hostile, [*args, "--format", "md"], tally))
    assert_web_links_only(html)
    assert "<script" not in html


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a?b=1#c", "https://example.org/a?b=1#c"),
        ("HTTP://EXAMPLE.ORG/", "HTTP://EXAMPLE.ORG/"),
        (ODD_WEB, ODD_WEB_ENCODED),
        ("https://[::1]/x", "https://[::1]/x"),
        *((bad, None) for bad in BAD_URLS),
        ("https://", None),
        ("https://[::1/x", None),
        ("https://example.org/\x1b]52;c;aGVsbG8=\x07", None),
        ("https://example.org/a b", None),
        ("", None),
    ],
)
def test_only_http_urls_with_a_host_are_links(url: str, expected: str | None) -> None:
    assert web_url(url) == expected

"""The timeline report as plain text: for a terminal, a pipe or an e-mail."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Iterator

from tracker.reports.citations import NO_TITLE, Listed, cited_text, describe, marks
from tracker.reports.facts import header_facts, kind
from tracker.reports.model import Line, Outline, Section, TimelineReport, fix_words
from tracker.reports.pieces import render

WIDTH = 100

# A programme's lines; an entry waits as (date text, text) for the width of the date column.
TextPiece = list[str | tuple[str, str]]


def render_text(report: TimelineReport) -> str:
    """Header, one block per programme, then the numbered sources."""
    return render(TextFormat(), report)


class TextFormat:
    def head(self, outline: Outline) -> str:
        out = [outline.title, outline.when() + "."]
        if outline.scope:
            out.append("Showing " + "; ".join(outline.scope) + ".")
        if not outline.contents:
            out += ["", "No contracts match."]
        return "\n".join(out)

    def piece(self, section: Section) -> TextPiece:
        return _section(section)

    def body(self, pieces: Iterable[TextPiece], outline: Outline) -> Iterator[str]:
        width = outline.date_width
        for piece in pieces:
            lines = [p if isinstance(p, str) else _lead(*p, width) for p in piece]
            yield "\n\n" + "\n".join(lines)

    def tail(self, outline: Outline) -> str:
        out = []
        if outline.sources:
            out += ["", "", "Sources", ""]
            out += [_source(listed) for listed in outline.sources]
        return "\n".join(out) + "\n"


def _section(section: Section) -> TextPiece:
    s = section.status
    title = f"{s.ref}: {s.system}"
    out: TextPiece = [title, "=" * len(title)]
    label_width = max(len(label) for label, _ in header_facts(section)) + 2
    for label, text in header_facts(section):
        out.append(_pack(text.split("; "), f"{label + ':':<{label_width}}", " " * label_width))
    out.append("")
    if not section.lines:
        out.append("  No entries in this period.")
    out += [(line.date_text, _entry(line)) for line in section.lines]
    return out


def _lead(date_text: str, text: str, date_width: int) -> str:
    lead = f"  {date_text:<{date_width}}  "
    return _wrap(text, lead, " " * len(lead))


def _entry(line: Line) -> str:
    """'  2022   delivery: Delivered 1 squadron ... [3] [corrected Mar 2026: date 2021 -> 2022
    (why) [7]] [was: 2021, Delivered ...]'; fixes marked, never hidden."""
    e = line.entry
    text = f"{kind(e.type)}: {line.summary} {marks(line.citations)}".rstrip()
    if e.retracted:
        text = f"[retracted] {text}"
    for fix, cites in line.fixes:
        text += f" [{fix.kind} {fix_words(fix, '->')} {marks(cites)}".rstrip() + "]"
    if line.original is not None:
        text += f" [was: {line.original_date_text}, {line.original}]"
    return text


def _source(listed: Listed) -> str:
    """'  [3] Title, Publisher, 2018-10-05, https://...'; a URL cited under several
    descriptions once, then each description under its own mark."""
    lead = f"  [{listed.number}] "
    if not listed.grouped:
        return _wrap(cited_text(listed.cited[0].source), lead, " " * len(lead))
    out = [_wrap(f"{listed.url}, cited as:", lead, " " * len(lead))]
    for cited in listed.cited:
        sub = f"{' ' * len(lead)}[{cited.mark}] "
        out.append(_wrap(", ".join(describe(cited.source)) or NO_TITLE, sub, " " * len(sub)))
    return "\n".join(out)


def _pack(items: list[str], first: str, rest: str) -> str:
    """Join '; '-separated items, breaking lines between items rather than inside one."""
    lines: list[str] = []
    current, fresh = first, True
    for i, item in enumerate(items):
        piece = item + (";" if i < len(items) - 1 else "")
        if not fresh and len(current) + 1 + len(piece) > WIDTH:
            lines.append(current)
            current, fresh = rest, True
        current += piece if fresh else " " + piece
        fresh = False
    return "\n".join([*lines, current])


def _wrap(text: str, first: str, rest: str) -> str:
    # Never break a URL or a citation mark: a reader copies them whole.
    return textwrap.fill(
        text,
        WIDTH,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )

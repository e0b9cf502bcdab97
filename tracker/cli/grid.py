"""Tables drawn without rich, character for character as rich draws ours, but fast.

rich lays out and draws a table of 30,000 contracts in about 40 seconds. Our tables are
simple (box SIMPLE_HEAD, no edges, cells wrapped beforehand to their columns' widths), and
when a table is laid out without rich shrinking a column, rich's drawing is plain:

* each column is as wide as its longest line (header included), at most its width;
* columns are joined by three spaces (a cell's padding, the blank divider, the next's
  padding); the header is followed by a rule of '─' across the whole table;
* cells are left- or right-justified, rows as tall as their tallest cell, top-aligned
  (the header's cells bottom-aligned);
* the title stands alone on the first line; a header wider than its column folds.

``draw`` returns None whenever a table falls outside that (a column without a width, a
line or title wider than it may be, a tab, a character rich counts as wide or as zero
wide, styles a terminal would get): the caller then lets rich draw it.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence

_GAP = "   "


def draw(
    headers: Sequence[str],
    right: Sequence[bool],
    widths: Sequence[int | None],
    rows: Sequence[Sequence[str]],
    title: str | None,
    width: int,
) -> str | None:
    """The table as rich prints it (trailing blanks stripped), or None if not plain."""
    if os.environ.get("FORCE_COLOR") or any(w is None for w in widths):
        return None
    cells = [[c.split("\n") for c in row] for row in rows]
    natural = _natural(headers, cells, len(widths))
    if natural is None:
        return None
    cols = [min(n, w or 0) for n, w in zip(natural, widths, strict=True)]
    total = sum(cols) + len(_GAP) * (len(cols) - 1)
    if total > width:
        return None
    if title is not None and (len(title) > total or not _plain(title) or "\n" in title):
        return None
    lines = [] if title is None else [title]
    # A header wider than its column folds, as rich folds it (words, then characters).
    head = [_folded(h, c) for h, c in zip(headers, cols, strict=True)]
    tall = max(len(h) for h in head)
    lines += _line([[""] * (tall - len(h)) + h for h in head], cols, right)  # bottom-aligned
    lines.append("─" * total)
    for row in cells:
        lines += _line(row, cols, right)
    return "\n".join(lines)


def _folded(header: str, width: int) -> list[str]:
    if len(header) <= width:
        return [header]
    import textwrap

    return textwrap.wrap(header, width) or [""]


def _natural(headers: Sequence[str], cells: list[list[list[str]]], n: int) -> list[int] | None:
    """Each column's longest line, or None if some text is not plain."""
    out = [len(h) if _plain(h) else -1 for h in headers]
    if -1 in out or len(out) != n:
        return None
    for row in cells:
        for i, lines in enumerate(row):
            for line in lines:
                if not _plain(line):
                    return None
                if len(line) > out[i]:
                    out[i] = len(line)
    return out


def _line(row: Sequence[list[str]], cols: Sequence[int], right: Sequence[bool]) -> list[str]:
    height = max(len(lines) for lines in row)
    out = []
    for k in range(height):
        parts = []
        for lines, width, r in zip(row, cols, right, strict=True):
            text = lines[k] if k < len(lines) else ""
            parts.append(text.rjust(width) if r else text.ljust(width))
        out.append(_GAP.join(parts).rstrip())
    return out


def _plain(text: str) -> bool:
    """True when every character is one cell wide for rich: ASCII but tab and controls, or
    a narrow, visible, non-combining character."""
    if text.isascii():
        return text.isprintable()
    return all(_narrow(c) for c in text)


def _narrow(c: str) -> bool:
    if c.isascii():
        return c.isprintable()
    if unicodedata.east_asian_width(c) in ("W", "F") or unicodedata.combining(c):
        return False
    return unicodedata.category(c)[0] not in ("C", "M", "Z")

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

import unicodedata
from collections.abc import Sequence
from itertools import zip_longest

from tracker.config import force_color

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
    if force_color() or any(w is None for w in widths):
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
    layout = _layout(cols, right)
    lines += _line([[""] * (tall - len(h)) + h for h in head], layout)  # bottom-aligned
    lines.append("─" * total)
    for row in cells:
        lines += _line(row, layout)
    return "\n".join(lines)


def _folded(header: str, width: int) -> list[str]:
    if len(header) <= width:
        return [header]
    import textwrap

    return textwrap.wrap(header, width) or [""]


def _natural(headers: Sequence[str], cells: list[list[list[str]]], n: int) -> list[int] | None:
    """Each column's longest line, or None if some text is not plain."""
    if len(headers) != n or not all(_plain(h) for h in headers):
        return None
    out = [len(h) for h in headers]
    seen: set[str] = set()
    for row in cells:
        for i, lines in enumerate(row):
            seen.update(*lines)  # each character once, read by the C loop
            longest = max(map(len, lines))
            if longest > out[i]:
                out[i] = longest
    return out if all(_narrow(c) for c in seen) else None


def _layout(cols: Sequence[int], right: Sequence[bool]) -> str:
    """One line's format: each cell justified to its column (never cut), gaps between."""
    return _GAP.join(f"{{:{'>' if r else '<'}{w}}}" for w, r in zip(cols, right, strict=True))


def _line(row: Sequence[list[str]], layout: str) -> list[str]:
    return [layout.format(*parts).rstrip() for parts in zip_longest(*row, fillvalue="")]


def _plain(text: str) -> bool:
    """True when every character is one cell wide for rich: ASCII but tab and controls, or
    a narrow, visible, non-combining character."""
    if text.isascii():
        return text.isprintable()
    return all(_narrow(c) for c in set(text))


def _narrow(c: str) -> bool:
    if c.isascii():
        return c.isprintable()
    if unicodedata.east_asian_width(c) in ("W", "F") or unicodedata.combining(c):
        return False
    return unicodedata.category(c)[0] not in ("C", "M", "Z")

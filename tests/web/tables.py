"""Reading the figures back out of a page: its tables as rows of cell texts."""

from __future__ import annotations

import html
from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.current: list[list[str]] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            name = (dict(attrs).get("class") or "").split()[-1]
            self.current = self.tables.setdefault(name, [])
        elif tag == "tr" and self.current is not None:
            self.current.append([])
        elif tag in ("td", "th") and self.current is not None:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None and self.current is not None:
            self.current[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table":
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def tables(page: str) -> dict[str, list[list[str]]]:
    """Each table by the last word of its class: header row first, then the body rows."""
    parser = _Tables()
    parser.feed(page)
    return parser.tables


def text(page: str) -> str:
    return html.unescape(page)

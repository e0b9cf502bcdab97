"""One way to print results: --format table|json|csv|md, shared by every read command.

Everything printed here passes through tracker.inert on its way out: control and
escape sequences in stored text are shown, never sent to the terminal raw.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import click

from tracker.inert import inert, inert_json

FORMATS = ("table", "json", "csv", "md")


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the table and Markdown views (JSON and CSV carry every key as it is)."""

    key: str
    header: str
    display: Callable[[Any], str] | None = None
    right: bool = False
    # Table mode only: cells are wrapped to this many characters, so that a table whose
    # widths add up to 80 (with 3 between columns) never needs rich to crop it. A wider
    # terminal shares its extra columns among them (see fitted).
    max_width: int | None = None
    # The first line of each cell (a ref) is never split: the column widens to hold it and
    # the other columns give up the room.
    atom: bool = False
    # Table mode only: never narrower than this when an atom column takes room.
    min_width: int = 1

    def text(self, row: Mapping[str, Any]) -> str:
        value = row.get(self.key)
        if self.display is not None:
            return self.display(value)
        return "" if value is None else str(value)


def emit(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    fmt: str,
    *,
    title: str | None = None,
    empty: str = "Nothing to show.",
) -> None:
    """Print ``rows`` in the chosen format to stdout, with any control sequence made inert."""
    if fmt == "json":
        echo_json(list(rows))
    elif fmt == "csv":
        click.echo(inert(_csv(rows, columns)), nl=False)
    elif fmt == "md":
        click.echo(inert(markdown_table(rows, columns, title=title, empty=empty)))
    else:
        page(inert(_table(rows, columns, title, empty)))


def page(text: str) -> None:
    """Print ``text``, through $PAGER when stdout is a terminal it would overflow."""
    import shutil

    if sys.stdout.isatty() and text.count("\n") + 1 > shutil.get_terminal_size().lines:
        click.echo_via_pager(text + "\n")
    else:
        click.echo(text)


def echo_json(value: Any) -> None:
    """Print ``value`` as indented JSON; control and bidi characters stay escaped."""
    click.echo(inert_json(json.dumps(value, indent=2, ensure_ascii=False, default=_json_default)))


def echo_json_models(models: Iterable[Any]) -> None:
    """Print pydantic models as ``echo_json`` prints their ``model_dump(mode="json")`` list,
    each written as soon as it is read (pydantic's own encoder gives the same text)."""
    items = iter(models)
    first = next(items, None)
    if first is None:
        click.echo("[]")
        return
    click.echo("[")
    between = ""
    for model in _then(first, items):
        text = model.model_dump_json(indent=2).replace("\n", "\n  ")
        click.echo(between + inert_json("  " + text), nl=False)
        between = ",\n"
    click.echo("\n]")


def emit_csv_rows(rows: Iterable[Mapping[str, Any]], columns: Sequence[Column]) -> None:
    """Print ``rows`` as ``emit`` prints CSV, each written as soon as it is read."""
    items = iter(rows)
    first = next(items, None)
    keys = list(first.keys()) if first is not None else [c.key for c in columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=keys, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for n, row in enumerate(_then(first, items) if first is not None else ()):
        writer.writerow({k: _flat(row.get(k)) for k in keys})
        if n % 500 == 0:
            click.echo(inert(out.getvalue()), nl=False)
            out.seek(0)
            out.truncate()
    click.echo(inert(out.getvalue()), nl=False)


def _then(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest


def emit_record(record: Mapping[str, Any], fmt: str, *, title: str | None = None) -> None:
    """Print one record: key/value pairs in table and md, an object in JSON, one row in CSV."""
    if fmt == "json":
        echo_json(record)
        return
    if fmt == "csv":
        emit([record], [Column(k, k) for k in record], fmt)
        return
    pairs = [{"field": k, "value": _flat(v)} for k, v in record.items()]
    emit(pairs, [Column("field", "Field"), Column("value", "Value")], fmt, title=title)


def markdown_table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    *,
    title: str | None = None,
    empty: str = "Nothing to show.",
) -> str:
    lines = [f"### {title}", ""] if title else []
    if not rows:
        return "\n".join([*lines, f"_{empty}_"])
    lines.append("| " + " | ".join(c.header for c in columns) + " |")
    lines.append("|" + "|".join("---:" if c.right else "---" for c in columns) + "|")
    for row in rows:
        cells = [_md_cell(c.text(row)) for c in columns]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


# Markup a cell could smuggle in: a link or an autolink ('[x](javascript:...)', '<data:...>'),
# raw HTML, emphasis, code, a cell break. A backslash too, or a typed '\[' would undo the escape.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def _md_cell(text: str) -> str:
    """A cell as literal Markdown text on one line: markup backslashed, newlines as <br>."""
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", "<br>")


def _table(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[Column], title: str | None, empty: str
) -> str:
    if not rows:
        return empty
    width = _width()
    widths = fitted(columns, rows, width)
    # Inert before measuring the cells, so that an escape is as wide as it prints.
    cells = [
        [_wrapped(inert(c.text(row)), w) for c, w in zip(columns, widths, strict=True)]
        for row in rows
    ]
    # A terminal gets rich's styles (bold headers) unless the table is long.
    if not sys.stdout.isatty() or len(rows) > _STYLED_ROWS:
        from tracker.cli.grid import draw

        drawn = draw(
            [c.header for c in columns], [c.right for c in columns], widths, cells, title, width
        )
        if drawn is not None:
            return drawn
    return _rich_table(cells, columns, widths, title, width)


#: Past this many rows a table on a terminal is drawn plain (grid.py), like one sent to a file.
_STYLED_ROWS = 500


def _rich_table(
    cells: list[list[str]],
    columns: Sequence[Column],
    widths: Sequence[int | None],
    title: str | None,
    width: int,
) -> str:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    # Cells are data, not rich markup: '[triumf]' or ':smile:' in a name is printed as typed
    # (and rich's emoji table is never loaded).
    console = Console(width=width, highlight=False, soft_wrap=False, markup=False, emoji=False)
    table = Table(
        title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False, show_edge=False
    )
    for c, w in zip(columns, widths, strict=True):
        table.add_column(
            c.header, justify="right" if c.right else "left", overflow="fold", max_width=w
        )
    for row in cells:
        table.add_row(*row)
    with console.capture() as captured:
        console.print(table)
    # rich pads every line to the table's width; trailing blanks only get in the way.
    return "\n".join(line.rstrip() for line in captured.get().splitlines())


def fitted(
    columns: Sequence[Column], rows: Sequence[Mapping[str, Any]], width: int
) -> list[int | None]:
    """Each column's width on a ``width``-wide screen: atom columns hold their longest first
    line, taking the room from the columns with the most slack (never below their longest
    word); a wider screen shares its extra room in proportion to the max_widths."""
    if any(c.max_width is None for c in columns):
        return [c.max_width for c in columns]
    cells = [[inert(c.text(r)) for r in rows] for c in columns]
    out: list[int] = [c.max_width or 0 for c in columns]
    floor = [
        max(c.min_width, *(len(w) for t in texts for w in t.split()))
        for c, texts in zip(columns, cells, strict=True)
    ]
    for n, c in enumerate(columns):
        if c.atom:
            out[n] = floor[n] = max(out[n], *(len(t.split("\n")[0]) for t in cells[n]))
    spare = width - 3 * (len(columns) - 1) - sum(out)
    free = [n for n, c in enumerate(columns) if not c.atom]
    if spare > 0:
        weights = sum(out[n] for n in free) or 1
        extra = {n: out[n] * spare // weights for n in free}
        return [out[n] + extra.get(n, 0) for n in range(len(columns))]
    while spare < 0:
        most = max(free, key=lambda n: out[n] - floor[n], default=None)
        if most is None or out[most] <= floor[most]:
            break
        out[most] -= 1
        spare += 1
    return [w for w in out]


def _wrapped(text: str, width: int | None) -> str:
    if width is None:
        return text
    import textwrap

    lines = (textwrap.wrap(line, width) or [""] for line in text.split("\n"))
    return "\n".join(part for wrapped in lines for part in wrapped)


def _width() -> int:
    import shutil

    # A narrow terminal still gets 80 columns: its lines wrap, but no cell is squeezed.
    return max(shutil.get_terminal_size((80, 24)).columns, 80) if sys.stdout.isatty() else 80


def _csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[Column]) -> str:
    keys = list(rows[0].keys()) if rows else [c.key for c in columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=keys, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _flat(row.get(k)) for k in keys})
    return out.getvalue()


def _flat(value: Any) -> str:
    """A plain cell, never JSON: a list's items joined with '; ', a mapping as 'key=value'
    pairs joined with ', ' (commands with nested data give CSV their own flat columns)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_flat(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={_flat(v)}" for k, v in value.items() if v is not None)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)

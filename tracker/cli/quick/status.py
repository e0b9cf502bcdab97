"""`tracker status` on the bare driver: the current read models, no SQLAlchemy, no pydantic.

``run`` answers `tracker [--db X] status [REF]... [filters] [--format F]` (no --as-of,
no --known-at) when the projections are level with the log, printing what the full path
prints, byte for byte, with the same exit code. For anything else it prints nothing and
returns None: the full path answers. Whatever could make it decline is settled before the
first byte is written.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from itertools import islice
from typing import TYPE_CHECKING, Any, TextIO, cast

import orjson

from tracker.cli.quick import queries
from tracker.cli.quick.argv import StatusArgs, parse
from tracker.cli.quick.dates import day
from tracker.cli.quick.db import Reader, open_reader
from tracker.cli.quick.errors import Unhandled
from tracker.cli.quick.views import Status, as_json, statuses
from tracker.config import FULL_PATH_VAR, full_path_forced, pinned_today
from tracker.inert import inert, inert_json
from tracker.projections.filters import ContractFilter

if TYPE_CHECKING:
    from tracker.domain.views import ContractStatus

#: Set (to anything) to send every `status` the full way: tests compare the two paths.
FULL_PATH = FULL_PATH_VAR
_EMPTY = "No contracts."


def run(argv: Sequence[str], out: TextIO | None = None) -> int | None:
    """The exit code of `tracker ARGV` answered here, or None (nothing printed)."""
    if full_path_forced():
        return None
    args = parse(argv)
    stream = sys.stdout if out is None else out
    if args is None or not _utf8(stream):
        return None
    try:
        reader = open_reader(_url(args.db))
    except Exception:  # Unhandled, or the driver's own refusal: the full path words it
        return None
    try:
        return Answer(reader, args, stream).give()
    finally:
        reader.close()


def _utf8(out: TextIO) -> bool:
    encoding = getattr(out, "encoding", None)
    return encoding is None or encoding.lower().replace("-", "") == "utf8"


def _url(db: str | None) -> str:
    from tracker.config import resolve_url

    return resolve_url(db)


def _today() -> date:
    """tracker.service.app.default_today, for the forms TRACKER_TODAY takes here (YYYY-MM-DD)."""
    pinned = pinned_today()
    if not pinned:
        return datetime.now(UTC).date()
    try:
        today = date.fromisoformat(pinned)
    except ValueError as e:
        raise Unhandled("TRACKER_TODAY") from e
    if len(pinned) != 10 or not 1000 <= today.year <= 2999:
        raise Unhandled("TRACKER_TODAY")
    return today


class Answer:
    """One status question on one snapshot."""

    def __init__(self, reader: Reader, args: StatusArgs, out: TextIO) -> None:
        self.reader, self.args, self.out = reader, args, out

    def give(self) -> int | None:
        try:
            text, rest = self._first()
        except Exception:  # Unhandled, or anything unforeseen: nothing is printed yet
            return None
        try:
            self.out.write(text)
            for part in rest:
                self.out.write(part)
            self.out.flush()
        except BrokenPipeError:  # `| head`: as click ends, quietly, with 1
            _pacified(self.out)
            return 1
        except Exception as e:  # a read failing half-way (the first part is out)
            self.out.flush()
            print(f"Error: {_one_line(e)}", file=sys.stderr)
            return 1
        return 0

    def _first(self) -> tuple[str, Iterator[str]]:
        """The first part of the answer, worked out whole; then the rest (streamed)."""
        a, today = self.args, _today()
        from tracker.cli.option_bundles import PAGE

        page = a.limit or (None if a.fmt in ("json", "csv") or a.refs else PAGE)
        flt = ContractFilter(
            buyer=a.buyer, seller=a.seller, country=a.country, system=a.system,
            search=a.search, signed=a.signed, state=a.state, overdue=a.overdue,
            sort=a.sort, limit=page,
        )  # fmt: skip
        wanted = list(dict.fromkeys(self._resolved(r) for r in a.refs))
        where = queries.where(self.reader, flt, _party_ids(a), today, wanted)
        if a.fmt in ("json", "csv") and not wanted:
            for text in queries.date_texts(self.reader):
                day(text)  # a text the quick path cannot read declines the question now
            parts = self._streamed(where, flt, today)
            return next(parts), parts
        found, total = self._page(where, flt, today, wanted)
        tty = a.fmt == "table" and self.out.isatty()
        return _printed(found, total, a.fmt, today, tty=tty), iter(())

    def _resolved(self, ref: str) -> str:
        found = queries.refs_like(self.reader, ref)
        if len(found) != 1:
            raise Unhandled("a ref that is not one contract's")  # the full path's error
        return found[0]

    def _page(
        self, where: queries.Where, flt: ContractFilter, today: date, wanted: list[str]
    ) -> tuple[list[Status], int]:
        total = queries.count(self.reader, where)
        query = queries.select(where, flt.sort, self.reader, flt.limit)
        rows = self.reader.all(query, where.params)
        extra = queries.extras(self.reader, [r[0] for r in rows], today)
        found = statuses(rows, extra, today)
        if wanted:
            rank = {r: n for n, r in enumerate(wanted)}
            found.sort(key=lambda s: rank[s.ref])
        return found, total

    def _streamed(self, where: queries.Where, flt: ContractFilter, today: date) -> Iterator[str]:
        query = queries.select(where, flt.sort, self.reader, flt.limit)
        chunks = self.reader.chunks(query, where.params)
        found = (
            s
            for rows in chunks
            for s in statuses(rows, queries.extras(self.reader, [r[0] for r in rows], today), today)
        )
        return _json(found) if self.args.fmt == "json" else _csv(found)


def _one_line(e: Exception) -> str:
    lines = inert(str(e)).splitlines()
    return lines[0] if lines else type(e).__name__


def _pacified(out: TextIO) -> None:
    """Stdout with its reader gone: later flushes (at exit) must not raise again."""
    if out is sys.stdout:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _party_ids(a: StatusArgs) -> dict[str, str]:
    """Each party option as the full path compares it: the id of its canonical name."""
    given = (("buyer", a.buyer), ("seller", a.seller), ("country", a.country))
    named = {k: v for k, v in given if v is not None}
    if not named:
        return {}
    from tracker.domain.values.parties import canonical_party, party_id

    return {k: party_id(canonical_party(v)) for k, v in named.items()}


def _json(found: Iterator[Status]) -> Iterator[str]:
    """As tracker.cli.output.echo_json_models prints the models: ``json.dumps`` of the list
    (indent 2, ensure_ascii off), a batch of rows at a time."""
    first = next(found, None)
    if first is None:
        yield "[]\n"
        return
    between = "[\n"
    for batch in _batches(_then(first, found), 500):
        # '[\n  {...},\n  {...}\n]' less its brackets: the rows as the whole list holds them
        yield between + _inert(encoded([as_json(s) for s in batch])[2:-2])
        between = ",\n"
    yield "\n]\n"


def encoded(value: Any) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``, by orjson where it can: for the
    values a status holds (str, int, bool, None, lists, str-keyed dicts) its bytes are the
    same (tests/cli/test_quick_status.py compares them); what orjson refuses (an int past
    64 bits, a lone surrogate) goes to json."""
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()
    except TypeError:
        return json.dumps(value, indent=2, ensure_ascii=False)


def _inert(text: str) -> str:
    """inert_json, skipping its scan of ASCII text without DEL (nothing it would escape)."""
    return text if text.isascii() and "\x7f" not in text else inert_json(text)


def _batches(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while batch := list(islice(items, size)):
        yield batch


def _csv(found: Iterator[Status]) -> Iterator[str]:
    """As tracker.cli.output.emit_csv_rows prints status_csv_row of each."""
    import csv
    import io

    from tracker.cli.cells import STATUS_COLUMNS, status_csv_row
    from tracker.cli.output import _flat

    rows = (status_csv_row(cast("ContractStatus", s)) for s in found)
    first = next(rows, None)
    keys = list(first) if first is not None else [c.key for c in STATUS_COLUMNS]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=keys, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for n, row in enumerate(_then(first, rows) if first is not None else ()):
        writer.writerow({k: _flat(row.get(k)) for k in keys})
        if n % 500 == 0:
            yield inert(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()
    yield inert(buffer.getvalue())


def _then(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest


def _printed(found: list[Status], total: int, fmt: str, today: date, *, tty: bool) -> str:
    """The whole answer in ``fmt``, as tracker.cli.read_commands.status prints it."""
    if fmt == "json":
        return "".join(_json(iter(found)))
    if fmt == "csv":
        return "".join(_csv(iter(found)))
    from tracker.cli.cells import STATUS_COLUMNS
    from tracker.cli.quick.cells import status_row, table

    title = "Contracts" if not found else f"Contracts as of {today.day} {today:%b %Y}"
    rows = [status_row(s) for s in found]
    if fmt == "md":
        from tracker.cli.output import markdown_table

        text = markdown_table(rows, STATUS_COLUMNS, title=title, empty=_EMPTY)
    else:
        if tty:
            raise Unhandled("a table on a terminal")  # styled by rich, maybe paged
        text = table(rows, STATUS_COLUMNS, title, _EMPTY)
    more = f"{total - len(found)} more: use --limit\n" if total > len(found) else ""
    return inert(text) + "\n" + more

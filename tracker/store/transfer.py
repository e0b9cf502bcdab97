"""Lossless export and import of the log as JSON Lines.

One line per event, every column as stored (payload and metadata as JSON values, which are
re-encoded to the same canonical bytes), keys sorted: exporting, importing into a fresh
database and exporting again gives byte-identical files, on either engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import orjson

from tracker.errors import InvalidInputError, StoreError
from tracker.store.eventstore import EventStore, insert_rows, row_hash
from tracker.store.hashing import GENESIS_HASH, canonical_json

FIELDS = (
    "position",
    "event_id",
    "stream_id",
    "stream_version",
    "event_type",
    "schema_version",
    "occurred_precision",
    "occurred_start",
    "occurred_end",
    "recorded_at",
    "payload",
    "metadata",
    "prev_hash",
    "hash",
)
_INTS = ("position", "stream_version", "schema_version")
_TEXTS = tuple(f for f in FIELDS if f not in (*_INTS, "payload", "metadata", "occurred_start"))
BATCH = 1000


def export_lines(store: EventStore) -> Iterator[bytes]:
    """The log as JSON Lines, one event a line, in position order."""
    for row in store.read_raw():
        record = {name: getattr(row, name) for name in FIELDS}
        record["payload"] = orjson.loads(row.payload)
        record["metadata"] = orjson.loads(row.metadata)
        yield canonical_json(record).encode() + b"\n"


def export_to(
    store: EventStore, out: IO[bytes], progress: Callable[[int], None] | None = None
) -> int:
    count = 0
    for line in export_lines(store):
        out.write(line)
        count += 1
        if progress is not None and count % BATCH == 0:
            progress(BATCH)
    if progress is not None:
        progress(count % BATCH)
    return count


@dataclass(frozen=True, slots=True)
class ImportResult:
    read: int
    skipped: int
    imported: int


def import_lines(
    store: EventStore,
    lines: Callable[[], Iterable[bytes]],
    *,
    name: str = "file",
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Load an exported log: check all of it first, then append what the database lacks.

    The database's log must be a prefix of the file's (the same events at the same
    positions), or the file a prefix of the database's. ``lines`` is called twice (a check
    pass, then a write pass) so a broken file writes nothing. Writing goes in batches of
    1,000, each committed whole: an interrupted import leaves a prefix that verifies, and
    running it again completes it.
    """
    head = store.head()
    count = _check(store, lines(), name, head.position)
    imported = 0
    batch: list[dict[str, Any]] = []
    for record in _records(lines(), name):
        if record["position"] <= head.position:
            continue
        batch.append(record)
        if len(batch) == BATCH:
            imported += _write(store, batch, progress)
            batch = []
    if batch:
        imported += _write(store, batch, progress)
    return ImportResult(read=count, skipped=count - imported, imported=imported)


def _check(store: EventStore, lines: Iterable[bytes], name: str, head_position: int) -> int:
    prev, expected_position, count = GENESIS_HASH, 1, 0
    present = _stored_hashes(store)
    for record in _records(lines, name):
        count += 1
        where = f"{name} line {record['_line']}"
        if record["position"] != expected_position:
            raise InvalidInputError(
                f"{where}: position {record['position']} does not follow position "
                f"{expected_position - 1}: the file is not a whole log"
            )
        if record["prev_hash"] != prev:
            raise InvalidInputError(
                f"{where}: the hash chain breaks at position {record['position']}"
            )
        if _hash_of(record) != record["hash"]:
            raise InvalidInputError(
                f"{where}: the hash of position {record['position']} does not match its content"
            )
        if record["position"] <= head_position:
            stored = next(present, None)
            if stored != (record["position"], record["hash"]):
                raise StoreError(
                    f"The database's log differs from {name} at position {record['position']}: "
                    "import into an empty database or one that holds a prefix of this log"
                )
        prev, expected_position = record["hash"], expected_position + 1
    return count


def _stored_hashes(store: EventStore) -> Iterator[tuple[int, str]]:
    return ((row.position, row.hash) for row in store.read_raw())


def _records(lines: Iterable[bytes], name: str) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        yield _parse(line, number, name)


def _parse(line: bytes, number: int, name: str) -> dict[str, Any]:
    where = f"{name} line {number}"
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError as e:
        raise InvalidInputError(f"{where}: not valid JSON ({e})") from None
    if not isinstance(record, dict):
        raise InvalidInputError(f"{where}: expected a JSON object")
    missing = [f for f in FIELDS if f not in record]
    if missing:
        raise InvalidInputError(f"{where}: missing {', '.join(missing)}")
    extra = sorted(set(record) - set(FIELDS))
    if extra:
        raise InvalidInputError(f"{where}: unknown field {', '.join(extra)}")
    for f in _INTS:
        if not isinstance(record[f], int) or isinstance(record[f], bool):
            raise InvalidInputError(f"{where}: '{f}' must be a whole number")
    for f in _TEXTS:
        if not isinstance(record[f], str):
            raise InvalidInputError(f"{where}: '{f}' must be text")
    if not isinstance(record["occurred_start"], str | None):  # null for 'by <date>'
        raise InvalidInputError(f"{where}: 'occurred_start' must be text or null")
    record["payload"] = canonical_json(record["payload"])
    record["metadata"] = canonical_json(record["metadata"])
    record["_line"] = number
    return dict(record)


def _hash_of(record: dict[str, Any]) -> str:
    return row_hash(_Row(record))


class _Row:
    """Attribute access over a record, as row_hash reads a database row."""

    def __init__(self, record: dict[str, Any]) -> None:
        self.__dict__.update(record)


def _write(
    store: EventStore, batch: list[dict[str, Any]], progress: Callable[[int], None] | None
) -> int:
    rows = [{k: v for k, v in r.items() if k != "_line"} for r in batch]
    with store.transaction() as conn:
        head = store.head_in(conn)
        if rows[0]["position"] != head.position + 1 or rows[0]["prev_hash"] != head.hash:
            raise StoreError(
                f"The log changed during the import (head is now position {head.position})"
            )
        insert_rows(conn, rows)
    if progress is not None:
        progress(len(rows))
    return len(rows)

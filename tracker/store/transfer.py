"""Lossless export and import of the log as JSON Lines.

One line per event, every column as stored (payload and metadata as JSON values, which are
re-encoded to the same canonical bytes), keys sorted: exporting, importing into a fresh
database and exporting again gives byte-identical files, on either engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import orjson
from sqlalchemy import Connection

from tracker.errors import InvalidInputError, StoreError, TrackerError
from tracker.limits import bounded_lines, depth_error, too_deep
from tracker.store.eventstore import EventStore, insert_rows
from tracker.store.hashing import GENESIS_HASH, canonical_json
from tracker.store.rows import COLUMNS, row_hash

FIELDS = COLUMNS  # every stored column, nothing else
_INTS = ("position", "stream_version", "schema_version")
_TEXTS = tuple(f for f in FIELDS if f not in (*_INTS, "payload", "metadata", "occurred_start"))
BATCH = 1000  # rows per INSERT (all of an import's INSERTs are one transaction)
BATCH_BYTES = 8 * 2**20  # and at most about this much held at once


def export_lines(store: EventStore) -> Iterator[bytes]:
    """The log as JSON Lines, one event a line, in position order."""
    for row in store.read_raw():
        record = {name: getattr(row, name) for name in FIELDS}
        record["payload"] = orjson.loads(row.payload)
        record["metadata"] = orjson.loads(row.metadata)
        yield canonical_json(record).encode() + b"\n"


@dataclass(frozen=True, slots=True)
class ImportResult:
    read: int
    skipped: int
    imported: int


def import_lines(
    store: EventStore,
    source: IO[bytes],
    *,
    name: str = "file",
    progress: Callable[[int], None] | None = None,
    conn: Connection | None = None,
) -> ImportResult:
    """Load an exported log, reading ``source`` once: all of it is written, or nothing.

    Each line is checked as it is read: its position follows the last, its prev_hash is the
    last line's hash, its hash matches its content, and a position the database holds must
    hold the same event. The database's log must be a prefix of the file's, or the file a
    prefix of the database's. New events go in one transaction, under the log's write lock,
    that commits only after the last line checks: a broken file, or one that changes while
    it is read (a pipe serving one copy, then another), writes nothing. ``progress`` gets
    the bytes read. Pass ``conn`` (from ``store.transaction()``) to import inside a larger
    unit of work; it then commits or rolls back with it.
    """
    try:
        if conn is not None:
            return _load(store, conn, source, name, progress)
        with store.transaction() as own:
            return _load(store, own, source, name, progress)
    except TrackerError as e:
        if "nothing was written" in str(e):
            raise
        raise type(e)(f"{e}; nothing was imported") from e


def _load(
    store: EventStore,
    conn: Connection,
    source: IO[bytes],
    name: str,
    progress: Callable[[int], None] | None,
) -> ImportResult:
    head = store.head_in(conn)
    stored = _stored_hashes(store, conn, head.position)
    prev, count, imported = GENESIS_HASH, 0, 0
    batch: list[dict[str, Any]] = []
    size = done = 0
    for record, length in _records(source, name):
        count += 1
        where = f"{name} line {record.pop('_line')}"
        _check_link(record, where, count, prev)
        if record["position"] <= head.position:
            _check_stored(next(stored, None), record, name)
        else:
            batch.append(record)
            size += length
        if len(batch) == BATCH or size > BATCH_BYTES:
            imported += _insert(conn, batch)
            batch, size = [], 0
        done += length
        if progress is not None and count % BATCH == 0:
            progress(done)
            done = 0
        prev = record["hash"]
    imported += _insert(conn, batch)
    if progress is not None:
        progress(done)
    return ImportResult(read=count, skipped=count - imported, imported=imported)


def _check_link(record: dict[str, Any], where: str, expected_position: int, prev: str) -> None:
    if record["position"] != expected_position:
        raise InvalidInputError(
            f"{where}: position {record['position']} does not follow position "
            f"{expected_position - 1}: the file is not a whole log"
        )
    if record["prev_hash"] != prev:
        raise InvalidInputError(f"{where}: the hash chain breaks at position {record['position']}")
    if _hash_of(record) != record["hash"]:
        raise InvalidInputError(
            f"{where}: the hash of position {record['position']} does not match its content"
        )


def _check_stored(stored: tuple[int, str] | None, record: dict[str, Any], name: str) -> None:
    if stored != (record["position"], record["hash"]):
        raise StoreError(
            f"The database's log differs from {name} at position {record['position']}: "
            "import into an empty database or one that holds a prefix of this log"
        )


def _stored_hashes(
    store: EventStore, conn: Connection, head_position: int
) -> Iterator[tuple[int, str]]:
    """(position, hash) of the stored events up to the head, inside the transaction."""
    for row in store.read_raw(conn=conn):
        if row.position > head_position:
            return
        yield row.position, row.hash


def _insert(conn: Connection, batch: list[dict[str, Any]]) -> int:
    if batch:
        insert_rows(conn, [tuple(record[c] for c in COLUMNS) for record in batch])
    return len(batch)


def _records(source: IO[bytes], name: str) -> Iterator[tuple[dict[str, Any], int]]:
    for number, line in bounded_lines(source, name):
        if line.strip():
            yield _parse(line, number, name), len(line)


def _parse(line: bytes, number: int, name: str) -> dict[str, Any]:
    where = f"{name} line {number}"
    if too_deep(line):
        raise depth_error(where)
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

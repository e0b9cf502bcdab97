"""The stored row of an event and its link in the hash chain: built here for an append,
recomputed here for verify and for an import, decoded here for every read.

One module, so that what is written, what is hashed and what is checked cannot drift apart.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

import orjson

from tracker.domain.values.date_columns import column_precision, from_columns
from tracker.domain.values.dates import FuzzyDate
from tracker.errors import StoreError
from tracker.store.hashing import GENESIS_HASH, canonical_json, chain_hash
from tracker.store.records import NewEvent, RecordedEvent


class StoredRow(NamedTuple):
    """A stored row as a bare driver returns it: the events table's columns, in order."""

    position: int
    event_id: str
    stream_id: str
    stream_version: int
    event_type: str
    schema_version: int
    occurred_precision: str
    occurred_start: str | None
    occurred_end: str
    recorded_at: str
    payload: str
    metadata: str
    prev_hash: str
    hash: str


#: The columns, in the order every query selects and every insert writes them.
COLUMNS: tuple[str, ...] = StoredRow._fields
SELECTED = ", ".join(COLUMNS)
#: Metadata that says who appended and why, not what happened: a retry may differ in it.
VOLATILE_METADATA = frozenset({"actor", "correlation_id", "causation_id"})


@dataclass(frozen=True, slots=True)
class Head:
    """The last event of the log: where the next append continues the chain."""

    position: int
    hash: str
    recorded_at: str


EMPTY_HEAD = Head(0, GENESIS_HASH, "")


def head_of(row: Any) -> Head:
    """The Head of a (position, hash, recorded_at) row, or of an empty log for None."""
    if row is None:
        return EMPTY_HEAD
    position, digest, recorded_at = row
    return Head(position, digest, recorded_at)


def new_row(
    position: int, stream_id: str, version: int, e: NewEvent, recorded_at: str, prev: str
) -> StoredRow:
    """The row that stores ``e`` at ``position`` after the event hashed ``prev``."""
    try:
        payload = canonical_json(e.payload)
        metadata = canonical_json(e.metadata)
    except TypeError as exc:
        raise StoreError(f"Event {e.event_id} cannot be stored as JSON: {exc}") from exc
    start = e.occurred.earliest.isoformat() if e.occurred.earliest else None
    end = e.occurred.latest.isoformat()
    fields = (
        position,
        e.event_id,
        stream_id,
        version,
        e.event_type,
        e.schema_version,
        column_precision(e.occurred),
        start,
        end,
        recorded_at,
        payload,
        metadata,
        prev,
    )
    return StoredRow(*fields, _hash(fields))


def row_hash(row: Any) -> str:
    """Recompute the hash of a stored row (anything with the columns as attributes)."""
    return _hash(
        (
            row.position,
            row.event_id,
            row.stream_id,
            row.stream_version,
            row.event_type,
            row.schema_version,
            row.occurred_precision,
            row.occurred_start,
            row.occurred_end,
            row.recorded_at,
            row.payload,
            row.metadata,
            row.prev_hash,
        )
    )


def _hash(f: tuple[Any, ...]) -> str:
    """The chain hash of the first 13 columns of a row (all but the hash itself)."""
    # The position, then hashed_fields' order, spelled out: one tuple per event, not three
    # (tests/service/test_row_encoding.py holds the two together). A NULL occurred_start
    # hashes as '' (verify refuses a stored '' for that reason).
    return chain_hash(
        f[12], (str(f[0]), f[1], f[2], str(f[3]), f[4], str(f[5]), f[6], f[7] or "", *f[8:12])
    )


def recorded(row: StoredRow, e: NewEvent, recorded_at: datetime) -> RecordedEvent:
    """The RecordedEvent of a row just built from ``e`` (no decoding needed)."""
    return RecordedEvent(
        position=row.position,
        event_id=e.event_id,
        stream_id=row.stream_id,
        stream_version=row.stream_version,
        event_type=e.event_type,
        schema_version=e.schema_version,
        occurred=e.occurred,
        recorded_at=recorded_at,
        payload=e.payload,
        metadata=e.metadata,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def decode(row: Any) -> RecordedEvent:
    """The RecordedEvent a stored row holds."""
    return RecordedEvent(
        position=row.position,
        event_id=row.event_id,
        stream_id=row.stream_id,
        stream_version=row.stream_version,
        event_type=row.event_type,
        schema_version=row.schema_version,
        occurred=_occurred(row.occurred_precision, row.occurred_start, row.occurred_end),
        recorded_at=parse_time(row.recorded_at),
        payload=orjson.loads(row.payload),
        metadata=orjson.loads(row.metadata),
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


@functools.lru_cache(maxsize=4096)
def _occurred(precision: str, start: str | None, end: str) -> FuzzyDate:
    # A log holds few distinct world dates and FuzzyDate is immutable: parse each once.
    first = date.fromisoformat(start) if start else None
    return from_columns(precision, first, date.fromisoformat(end))


def parse_time(text: str) -> datetime:
    """The stored 'YYYY-MM-DDTHH:MM:SS.ffffffZ' as an aware UTC datetime."""
    # fromisoformat reads the trailing Z as UTC since 3.11, many times faster than strptime.
    return datetime.fromisoformat(text)


def content(stream_id: str, e: NewEvent) -> tuple[Any, ...]:
    """What makes two appends of one event id the same event."""
    meta = {k: v for k, v in e.metadata.items() if k not in VOLATILE_METADATA}
    return (
        stream_id,
        e.event_type,
        e.schema_version,
        str(e.occurred),
        canonical_json(e.payload),
        canonical_json(meta),
    )


def stored_content(rec: RecordedEvent) -> tuple[Any, ...]:
    """``content`` of a stored event."""
    event = NewEvent(
        rec.event_id, rec.event_type, rec.schema_version, rec.occurred, rec.payload, rec.metadata
    )
    return content(rec.stream_id, event)

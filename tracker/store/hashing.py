"""The canonical encoding shared by storage and the hash chain.

Payload and metadata are stored as the exact bytes that are hashed (sorted keys, compact,
UTF-8), so verification hashes the stored text itself: any changed byte shows.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import orjson

GENESIS_HASH = "0" * 64
_JSON_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
#: The 8-byte length prefixes of the usual field lengths, built once (an append hashes 13
#: fields per event).
_KNOWN_LENGTHS = 4096
_LENGTHS = tuple(n.to_bytes(8, "big") for n in range(_KNOWN_LENGTHS))


def canonical_json(value: Any) -> str:
    """Sorted keys, no whitespace, UTF-8: one text per value."""
    return orjson.dumps(value, option=_JSON_OPTIONS).decode()


def format_recorded_at(moment: datetime) -> str:
    """UTC with microseconds and a Z: the form hashed and exported."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def chain_hash(prev_hash: str, fields: tuple[str, ...]) -> str:
    """SHA-256 over the previous hash and length-prefixed immutable fields.

    Length prefixes keep field boundaries unambiguous ("ab"+"c" differs from "a"+"bc").
    """
    sha = hashlib.sha256()
    update = sha.update  # fed part by part: the same bytes as one joined message, cheaper
    for part in (prev_hash, *fields):
        data = part.encode()
        n = len(data)
        update(_LENGTHS[n] if n < _KNOWN_LENGTHS else n.to_bytes(8, "big"))
        update(data)
    return sha.hexdigest()


def hashed_fields(
    event_id: str,
    stream_id: str,
    stream_version: int,
    event_type: str,
    schema_version: int,
    occurred_precision: str,
    occurred_start: str,
    occurred_end: str,
    recorded_at: str,
    payload_json: str,
    metadata_json: str,
) -> tuple[str, ...]:
    """The immutable fields of an event, in the fixed order the chain hashes them."""
    return (
        event_id,
        stream_id,
        str(stream_version),
        event_type,
        str(schema_version),
        occurred_precision,
        occurred_start,
        occurred_end,
        recorded_at,
        payload_json,
        metadata_json,
    )

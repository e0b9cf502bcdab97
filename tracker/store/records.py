"""What goes into the store and what comes out: envelopes around payloads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from tracker.domain.values.dates import FuzzyDate


class Expect(Enum):
    """Expected state of a stream before an append (besides an exact version number)."""

    ANY = "any"
    NO_STREAM = "no_stream"
    STREAM_EXISTS = "stream_exists"


ExpectedVersion = Expect | int


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event to append: everything but what the store assigns (position, times, hashes)."""

    event_id: str
    event_type: str
    schema_version: int
    occurred: FuzzyDate
    payload: dict[str, Any]
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    """An event as stored: its envelope, payload and metadata, and its link in the hash chain."""

    position: int
    event_id: str
    stream_id: str
    stream_version: int
    event_type: str
    schema_version: int
    occurred: FuzzyDate
    recorded_at: datetime
    payload: dict[str, Any]
    metadata: dict[str, Any]
    prev_hash: str
    hash: str

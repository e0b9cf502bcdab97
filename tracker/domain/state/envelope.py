"""The domain's view of a stored event: the event plus where and when it was recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tracker.domain.events.event_base import DomainEvent

_ZERO = timedelta(0)


@dataclass(frozen=True, slots=True)
class Recorded:
    """An event as the log holds it: id, global position, stream and version, UTC time."""

    event_id: str
    position: int
    stream_id: str
    stream_version: int
    recorded_at: datetime
    event: DomainEvent

    def __post_init__(self) -> None:
        # Comparing recorded times across rows only works if every one of them is UTC.
        at = self.recorded_at
        if at.tzinfo is not UTC and at.utcoffset() != _ZERO:
            raise ValueError(f"recorded_at {self.recorded_at!r} is not a UTC datetime")

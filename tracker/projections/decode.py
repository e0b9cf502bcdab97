"""Stored envelopes to domain events (upcasting old payloads on the way)."""

from __future__ import annotations

from tracker.domain.events.codec import decode_stored
from tracker.domain.state.envelope import Recorded
from tracker.store.records import RecordedEvent


def to_domain(rec: RecordedEvent) -> Recorded:
    """The domain's view of a stored event."""
    event = decode_stored(
        rec.event_type,
        rec.schema_version,
        rec.occurred,
        rec.payload,
        rec.metadata.get("sources") or [],
    )
    return Recorded(
        event_id=rec.event_id,
        position=rec.position,
        stream_id=rec.stream_id,
        stream_version=rec.stream_version,
        recorded_at=rec.recorded_at,
        event=event,
    )

"""Stored envelopes to domain events (upcasting old payloads on the way)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from tracker.domain.events.codec import decode_stored
from tracker.domain.state.envelope import Recorded
from tracker.store.records import RecordedEvent


def to_domain(rec: RecordedEvent) -> Recorded:
    """The domain's view of a stored event."""
    return _recorded(rec, None)


def from_log(records: Iterable[RecordedEvent]) -> Iterator[Recorded]:
    """``to_domain`` of each of ``records``, decoded from the log's rows (JSON values only),
    each distinct list of sources converted once: a register cites one release thousands
    of times, and converting its sources cost more than the rest of the event."""
    cited: dict[bytes, Any] = {}
    for rec in records:
        if len(cited) > _CITED:  # a log whose events each cite their own: memory stays bounded
            cited.clear()
        yield _recorded(rec, cited)


#: Distinct lists of sources remembered at a time while reading.
_CITED = 512


def _recorded(rec: RecordedEvent, cited: dict[bytes, Any] | None) -> Recorded:
    sources = rec.metadata.get("sources") or []
    # The JSON text tells apart what equality would not (1, 1.0 and true).
    key = None if cited is None else orjson.dumps(sources)
    event = decode_stored(
        rec.event_type, rec.schema_version, rec.occurred, rec.payload, sources, cited, key
    )
    return Recorded(
        event_id=rec.event_id,
        position=rec.position,
        stream_id=rec.stream_id,
        stream_version=rec.stream_version,
        recorded_at=rec.recorded_at,
        event=event,
    )

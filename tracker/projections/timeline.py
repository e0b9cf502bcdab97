"""Timeline rows: one per event, indexed by the world date it happened.

The report reads entries through the domain's ``timeline_entries`` (so "as of" reports and
current ones share one code path); this table lets SQL users and selective reports find
events in world-date order without scanning the log, and marks what was corrected or
retracted without touching the original line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tracker.domain.envelope import Recorded
from tracker.domain.events import EventCorrected, EventRetracted
from tracker.domain.views.summaries import summary
from tracker.store.hashing import canonical_json


def timeline_row(rec: Recorded, units: Mapping[str, str]) -> dict[str, Any]:
    """The row for one event; ``units`` maps contract references to their unit."""
    event = rec.event
    occurred = event.occurred
    data = {
        "date": str(occurred),
        "date_text": occurred.human(),
        "type": event.type,
        "summary": summary(event, units),
        "confidence": event.confidence,
        "sources": [s.model_dump(mode="json") for s in event.sources],
    }
    return {
        "position": rec.position,
        "event_id": rec.event_id,
        "stream_id": rec.stream_id,
        "date_start": (occurred.earliest or occurred.latest).isoformat(),
        "data": canonical_json(data),
    }


def annotation_for(rec: Recorded) -> tuple[str, dict[str, Any]]:
    """(target event id, the note to attach to its entry) for a correction or retraction."""
    event = rec.event
    assert isinstance(event, EventCorrected | EventRetracted)
    note: dict[str, Any] = {
        "kind": "corrected" if isinstance(event, EventCorrected) else "retracted",
        "by": rec.event_id,
        "reason": event.reason,
    }
    if isinstance(event, EventCorrected):
        note["changes"] = event.changes
    return event.target_event_id, note

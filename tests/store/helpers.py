"""Plain factories for store-level tests."""

from __future__ import annotations

import uuid
from typing import Any

from tracker.domain.values.dates import FuzzyDate
from tracker.store.records import NewEvent


def new_event(**overrides: Any) -> NewEvent:
    fields: dict[str, Any] = {
        "event_id": str(uuid.uuid4()),
        "event_type": "NoteRecorded",
        "schema_version": 1,
        "occurred": FuzzyDate.parse("2021-12-06"),
        "payload": {"subject": "topic:test", "text": "a note"},
        "metadata": {"actor": "tester", "sources": [{"url": "https://example.org/a"}]},
    }
    fields.update(overrides)
    return NewEvent(**fields)

"""Events logged without an id get one from the tracker: a UUIDv7, in log order."""

from __future__ import annotations

import uuid

from tests.unit.factories import note_recorded
from tracker.service.app import Tracker


def test_events_logged_without_ids_get_time_ordered_uuid7_ids_in_log_order(tracker: Tracker):
    tracker.log([note_recorded(text=f"note {i}") for i in range(3)])
    tracker.log([note_recorded(text="a later note")])
    ids = [e.event_id for e in tracker.store.read_all()]
    assert len(ids) == 4
    assert {uuid.UUID(i).version for i in ids} == {7}
    assert ids == sorted(ids)


def test_an_id_the_user_gives_is_stored_as_given(tracker: Tracker):
    tracker.log([note_recorded()], event_ids=["ak-203-note-1"])
    assert [e.event_id for e in tracker.store.read_all()] == ["ak-203-note-1"]

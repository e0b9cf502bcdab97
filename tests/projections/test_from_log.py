"""The write path's fold from the log (sources converted once per distinct list, fields
built without validation) gives the events and states of validating every stored event."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pydantic import BaseModel

from tracker.domain.events.catalogue import EVENT_TYPES
from tracker.domain.events.codec import decode
from tracker.domain.state.fold import fold
from tracker.projections.batch import Batch, state_json
from tracker.projections.decode import from_log, to_domain
from tracker.service.app import Tracker


def shape(value: Any) -> Any:
    """A value with every model's class and fields set, all the way down."""
    if isinstance(value, BaseModel):
        fields = {k: shape(v) for k, v in value.__dict__.items()}
        return type(value), sorted(value.model_fields_set), fields
    if isinstance(value, tuple | list):
        return type(value), [shape(v) for v in value]
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    return type(value), value


def test_events_from_the_log_are_the_validated_events(sqlite_tracker: Tracker):
    sqlite_tracker.seed()
    stored = list(sqlite_tracker.store.read_all())
    for rec, got in zip(stored, from_log(stored), strict=True):
        sources = rec.metadata.get("sources") or []
        parts = (rec.event_type, rec.schema_version, rec.occurred, rec.payload, sources)
        validated = decode(*parts)
        assert shape(got.event) == shape(validated) == shape(to_domain(rec).event)
        assert got.event.model_dump(mode="json") == validated.model_dump(mode="json")
        assert (got.event_id, got.position, got.stream_version) == (
            rec.event_id,
            rec.position,
            rec.stream_version,
        )
    # The memo did its work: events citing the same sources share them.
    events = [r.event for r in from_log(stored)]
    assert len({id(e.sources) for e in events}) < len(events)


def test_states_folded_from_the_log_are_the_fold_of_the_validated_events(
    sqlite_tracker: Tracker,
):
    sqlite_tracker.seed()
    store = sqlite_tracker.store
    stored = list(store.read_all())
    validated = []
    for rec in stored:
        sources = rec.metadata.get("sources") or []
        event = decode(rec.event_type, rec.schema_version, rec.occurred, rec.payload, sources)
        validated.append(replace(to_domain(rec), event=event))
    expected = fold(validated)
    with sqlite_tracker.engine.connect() as conn:
        batch = Batch(conn, log=store)
        batch.preload(expected)
        for stream_id, state in expected.items():
            got = batch.state(stream_id)
            assert got is not None
            assert state_json(got) == state_json(state)
            assert shape(got) == shape(state)


def test_every_event_type_declares_its_sources_alike():
    # decode_stored's memo converts a list of sources once for any event type.
    fields = [cls.model_fields for cls in EVENT_TYPES.values()]
    annotations = [repr(f["sources"].annotation) for f in fields]
    assert all(a == annotations[0] for a in annotations)

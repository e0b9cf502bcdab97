"""The tracker under test: ``EventStore.append`` exactly as the application calls it."""

from __future__ import annotations

from functools import cache
from typing import Any

from tests.benchmarks.databases import Db
from tests.benchmarks.harness import Sample, Stopwatch
from tests.benchmarks.payloads import (
    EVENT_TYPE,
    SCHEMA_VERSION,
    Plan,
    delivery_payload,
    stream_name,
)


def setup(db: Db) -> None:
    """Create and migrate the tracker's schema, as ``tracker init`` does."""
    from tracker.service.app import Tracker

    tracker = Tracker.open(db.url, create=True)
    try:
        tracker.init()
    finally:
        tracker.close()


def new_event(stream: int, version: int) -> Any:
    """The benchmark's DeliveryRecorded as a NewEvent (occurred: December 2021), with an
    event id as the application makes one (``tracker log`` and friends: a UUIDv7)."""
    from tracker.store.ids import new_event_id
    from tracker.store.records import NewEvent

    return NewEvent(
        new_event_id(),
        EVENT_TYPE,
        SCHEMA_VERSION,
        _december_2021(),
        delivery_payload(stream, version),
    )


@cache
def _december_2021() -> Any:
    from tracker.domain.values.dates import FuzzyDate

    return FuzzyDate.parse("2021-12")


def append(db: Db, plan: Plan, budget_s: float) -> Sample:
    """Append the plan's batches, each at the stream's exact expected version."""
    from tracker.store.engine import connect
    from tracker.store.eventstore import EventStore

    engine = connect(db.url)
    store = EventStore(engine)
    watch = Stopwatch(budget_s)
    for stream, first, count in watch.until_spent(plan.batches()):
        events = [new_event(stream, v) for v in range(first, first + count)]
        name = stream_name(stream)
        with watch.timed():
            store.append(name, events, first - 1)
    stored = store.head_position()
    engine.dispose()
    return watch.sample(extra={"stored": stored})

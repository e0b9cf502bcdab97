"""The store contract: every engine must pass these, SQLite and PostgreSQL alike."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from tests.store.helpers import new_event
from tracker.domain.values.dates import FuzzyDate
from tracker.errors import ConcurrencyError, DuplicateEventError, StoreError
from tracker.service.app import Tracker
from tracker.store.eventstore import EventStore
from tracker.store.hashing import GENESIS_HASH
from tracker.store.ids import new_event_id
from tracker.store.records import Expect
from tracker.store.verify import verify


@pytest.fixture
def store(tracker: Tracker) -> EventStore:
    return tracker.store


def test_appending_to_a_new_stream_assigns_positions_versions_and_a_chain(store: EventStore):
    recorded = store.append("contract:a", [new_event(), new_event()], Expect.NO_STREAM)
    assert [r.position for r in recorded] == [1, 2]
    assert [r.stream_version for r in recorded] == [1, 2]
    assert recorded[0].prev_hash == GENESIS_HASH
    assert recorded[1].prev_hash == recorded[0].hash
    assert store.head_position() == 2


def test_events_read_back_exactly_as_appended(store: EventStore):
    event = new_event(
        occurred=FuzzyDate.parse("by 2021-12"),
        payload={"text": "naïve “quotes” 'и' 中文", "n": 601427, "nested": {"b": [1, 2]}},
    )
    [written] = store.append("contract:a", [event])
    [read] = list(store.read_stream("contract:a"))
    assert read == written
    assert read.payload == event.payload
    assert str(read.occurred) == "by 2021-12"
    assert read.recorded_at.tzinfo is UTC


def test_read_stream_starts_at_the_requested_version(store: EventStore):
    store.append("contract:a", [new_event() for _ in range(5)])
    store.append("contract:b", [new_event()])
    assert [e.stream_version for e in store.read_stream("contract:a", from_version=3)] == [3, 4, 5]
    assert list(store.read_stream("contract:none")) == []


def test_read_all_pages_through_the_log_in_position_order(tracker: Tracker):
    small_pages = EventStore(tracker.engine, page_size=3)
    for i in range(4):
        small_pages.append(f"contract:{i % 2}", [new_event(), new_event()])
    assert [e.position for e in small_pages.read_all()] == list(range(1, 9))
    assert [e.position for e in small_pages.read_all(after_position=5)] == [6, 7, 8]
    assert [e.position for e in small_pages.read_all(after_position=1, limit=4)] == [2, 3, 4, 5]
    assert [e.stream_id for e in small_pages.read_all(stream_id="contract:1")] == ["contract:1"] * 4


def test_expected_no_stream_refuses_an_existing_stream(store: EventStore):
    store.append("contract:a", [new_event()])
    with pytest.raises(ConcurrencyError) as err:
        store.append("contract:a", [new_event()], Expect.NO_STREAM)
    assert str(err.value) == "Stream 'contract:a' expected no_stream but is at version 1"


def test_expected_stream_exists_refuses_a_missing_stream(store: EventStore):
    with pytest.raises(ConcurrencyError) as err:
        store.append("contract:a", [new_event()], Expect.STREAM_EXISTS)
    assert str(err.value) == "Stream 'contract:a' expected stream_exists but is at version 0"


def test_an_exact_expected_version_must_match_the_stream(store: EventStore):
    store.append("contract:a", [new_event(), new_event()])
    with pytest.raises(ConcurrencyError) as err:
        store.append("contract:a", [new_event()], 1)
    assert str(err.value) == "Stream 'contract:a' expected version 1 but is at version 2"
    [third] = store.append("contract:a", [new_event()], 2)
    assert third.stream_version == 3


def test_a_failed_append_writes_nothing(store: EventStore):
    store.append("contract:a", [new_event()])
    with pytest.raises(ConcurrencyError):
        store.append("contract:a", [new_event(), new_event()], Expect.NO_STREAM)
    with pytest.raises(StoreError):
        store.append("contract:a", [new_event(), new_event(payload={"bad": {1, 2}})])
    assert store.head_position() == 1


def test_a_unit_of_work_that_fails_rolls_back_every_append_in_it(store: EventStore):
    with pytest.raises(RuntimeError), store.transaction() as conn:
        store.append("contract:a", [new_event()], conn=conn)
        store.append("contract:b", [new_event()], conn=conn)
        raise RuntimeError("boom")
    assert store.head_position() == 0
    with store.transaction() as conn:
        store.append("contract:a", [new_event()], conn=conn)
        store.append("contract:b", [new_event()], conn=conn)
    assert [e.position for e in store.read_all()] == [1, 2]
    assert verify(store).ok


def test_appending_the_same_event_again_writes_nothing_whatever_the_expected_version(
    store: EventStore,
):
    event = new_event()
    [first] = store.append("contract:a", [event], Expect.NO_STREAM)
    retry = new_event(
        event_id=event.event_id, payload=event.payload, metadata={**event.metadata, "actor": "x"}
    )
    [again] = store.append("contract:a", [retry], Expect.NO_STREAM)
    assert again == first
    assert store.head_position() == 1


def test_the_same_event_id_with_other_content_is_refused(store: EventStore):
    event = new_event()
    store.append("contract:a", [event])
    with pytest.raises(DuplicateEventError) as err:
        store.append("contract:a", [new_event(event_id=event.event_id, payload={"x": 1})])
    assert str(err.value) == (
        f"Event {event.event_id} is already stored at position 1 in stream 'contract:a' "
        "with different content"
    )
    with pytest.raises(DuplicateEventError):
        store.append("contract:b", [new_event(event_id=event.event_id, payload=event.payload)])
    assert store.head_position() == 1


def test_a_large_append_over_many_streams_writes_only_the_events_not_stored_yet(
    store: EventStore,
):
    # More ids and streams than one lookup statement takes (500), half of them stored.
    streams = [f"contract:s{i:04d}" for i in range(700)]
    first = [(s, [new_event()], Expect.NO_STREAM) for s in streams]
    store.append_streams(first)
    second = [(s, [*events, new_event()], Expect.ANY) for s, events, _ in first]
    out = store.append_streams(second)
    assert store.head_position() == 1400
    assert [r.stream_version for recorded in out for r in recorded] == [1, 2] * 700
    assert [r.position for recorded in out for r in recorded][:4] == [1, 701, 2, 702]
    assert verify(store).ok


def test_event_ids_the_tracker_makes_are_time_ordered_uuid7():
    ids = [new_event_id() for _ in range(5000)]
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)
    assert {uuid.UUID(i).version for i in ids} == {7}


def test_record_time_never_goes_backwards_even_when_the_clock_does(tracker: Tracker):
    times = iter([datetime(2026, 1, 2, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)])
    store = EventStore(tracker.engine, clock=lambda: next(times))
    [a] = store.append("s:a", [new_event()])
    [b] = store.append("s:a", [new_event()])
    assert b.recorded_at == a.recorded_at == datetime(2026, 1, 2, tzinfo=UTC)


def test_known_at_reads_only_what_the_log_held_then(tracker: Tracker):
    moments = iter(datetime(2026, 1, d, 12, tzinfo=UTC) for d in (1, 2, 3))
    store = EventStore(tracker.engine, clock=lambda: next(moments))
    for _ in range(3):
        store.append("s:a", [new_event()])
    seen = list(store.read_all(known_at=datetime(2026, 1, 2, 12, tzinfo=UTC)))
    assert [e.position for e in seen] == [1, 2]
    assert list(store.read_all(known_at=datetime(2025, 1, 1, tzinfo=UTC))) == []
    later = datetime(2026, 1, 3, 12, tzinfo=UTC) + timedelta(microseconds=1)
    assert len(list(store.read_all(known_at=later))) == 3


def test_an_untouched_log_verifies(store: EventStore):
    for i in range(5):
        store.append(f"s:{i % 2}", [new_event(), new_event()])
    result = verify(store)
    assert result.ok and result.count == 10 and result.head_position == 10
    assert result.digest == f"10:{store.head().hash}"


def test_update_and_delete_are_refused_by_the_database(tracker: Tracker):
    tracker.store.append("s:a", [new_event()])
    for statement in ("UPDATE events SET payload = '{}'", "DELETE FROM events"):
        with pytest.raises(Exception) as err, tracker.engine.begin() as conn:
            conn.execute(text(statement))
        assert "events is append-only" in str(err.value)
    assert verify(tracker.store).ok


@pytest.mark.postgres
def test_truncate_is_refused_on_postgresql(pg_schema_url: str):
    tracker = Tracker.open(pg_schema_url, create=True)
    tracker.init()
    tracker.store.append("s:a", [new_event()])
    with pytest.raises(Exception) as err, tracker.engine.begin() as conn:
        conn.execute(text("TRUNCATE events"))
    assert "events is append-only: TRUNCATE is not allowed" in str(err.value)
    assert tracker.store.head_position() == 1
    tracker.close()


def drop_triggers(tracker: Tracker) -> None:
    with tracker.engine.begin() as conn:
        if tracker.engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER events_no_update"))
            conn.execute(text("DROP TRIGGER events_no_delete"))
        else:
            conn.execute(text("DROP TRIGGER events_no_update_delete ON events"))


@pytest.mark.parametrize(
    ("column", "new_value"),
    [
        ("payload", """{"subject":"topic:test","text":"a notE"}"""),
        ("metadata", """{"actor":"tester","sources":[]}"""),
        ("occurred_end", "2021-12-07"),
        ("recorded_at", "2020-01-01T00:00:00.000000Z"),
        ("stream_version", 9),
        ("hash", "f" * 64),
    ],
)
def test_an_event_altered_behind_the_triggers_back_is_found_at_its_position(
    tracker: Tracker, column: str, new_value: object
):
    for _ in range(5):
        tracker.store.append("s:a", [new_event()])
    drop_triggers(tracker)
    with tracker.engine.begin() as conn:
        conn.execute(text(f"UPDATE events SET {column} = :v WHERE position = 3"), {"v": new_value})
    result = verify(tracker.store)
    assert not result.ok
    assert result.broken_at == 3


def test_a_deleted_event_breaks_the_chain_at_the_next_position(tracker: Tracker):
    for _ in range(4):
        tracker.store.append("s:a", [new_event()])
    drop_triggers(tracker)
    with tracker.engine.begin() as conn:
        conn.execute(text("DELETE FROM events WHERE position = 2"))
    result = verify(tracker.store)
    assert (result.ok, result.broken_at) == (False, 3)


def test_an_invalid_stream_id_is_refused(store: EventStore):
    with pytest.raises(StoreError, match="Invalid stream id"):
        store.append("", [new_event()])
    with pytest.raises(StoreError, match="Invalid stream id"):
        store.append("x" * 201, [new_event()])

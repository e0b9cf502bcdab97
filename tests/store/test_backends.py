"""Each backend's fast path (bare driver, pipeline, COPY, cached head) gives what plain
SQLAlchemy Core queries over the same table give: the oracle is the plain path."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.store.helpers import new_event
from tracker.service.app import Tracker
from tracker.store import bulk
from tracker.store.backend import backend_of
from tracker.store.eventstore import EventStore
from tracker.store.rows import StoredRow, row_hash
from tracker.store.schema import events_table as T
from tracker.store.verify import verify


def filled(store: EventStore) -> list[str]:
    """Three streams of 2, 3 and 4 events; their ids in append order."""
    ids = []
    for name, count in (("s:a", 2), ("s:b", 3), ("s:c", 4)):
        ids += [r.event_id for r in store.append(name, [new_event() for _ in range(count)])]
    return ids


def test_the_lookup_of_an_append_equals_plain_queries(tracker: Tracker):
    ids = filled(tracker.store)
    asked, streams = [ids[0], ids[4], "not-stored"], ["s:a", "s:c", "s:none"]
    with tracker.store.transaction() as conn:
        seen = backend_of(conn).lookup(conn, asked, streams, None)
        rows = conn.execute(select(T).where(T.c.event_id.in_(asked))).all()
        versions = conn.execute(
            select(T.c.stream_id, func.max(T.c.stream_version))
            .where(T.c.stream_id.in_(streams))
            .group_by(T.c.stream_id)
        ).all()
        top = conn.execute(select(T).order_by(T.c.position.desc()).limit(1)).one()
    assert sorted(seen.found) == sorted(StoredRow(*r) for r in rows)
    assert seen.versions == dict(versions) == {"s:a": 2, "s:c": 4}
    assert (seen.head.position, seen.head.hash, seen.head.recorded_at) == (
        top.position,
        top.hash,
        top.recorded_at,
    )


def test_a_page_read_through_the_driver_equals_a_plain_select(tracker: Tracker):
    filled(tracker.store)
    with tracker.engine.connect() as conn:
        fast = backend_of(conn).select(conn, "WHERE position > ? ORDER BY position LIMIT ?", (2, 5))
        plain = conn.execute(select(T).where(T.c.position > 2).order_by(T.c.position).limit(5))
        assert fast == [StoredRow(*r) for r in plain]
    assert [r.position for r in fast] == [3, 4, 5, 6, 7]


@pytest.mark.parametrize("copy_from", [1, 10**9], ids=["copy", "insert"])
def test_copy_and_insert_store_the_rows_the_store_built(
    tracker: Tracker, monkeypatch: pytest.MonkeyPatch, copy_from: int
):
    monkeypatch.setattr(bulk, "COPY_FROM", copy_from)
    written = tracker.store.append("s:a", [new_event() for _ in range(60)])
    with tracker.engine.connect() as conn:
        stored = [StoredRow(*r) for r in conn.execute(select(T).order_by(T.c.position))]
    assert [(r.position, r.event_id, r.hash, r.prev_hash) for r in stored] == [
        (w.position, w.event_id, w.hash, w.prev_hash) for w in written
    ]
    assert all(row_hash(r) == r.hash for r in stored)
    assert verify(tracker.store).ok


def test_appends_in_one_transaction_chain_on_from_the_cached_head(tracker: Tracker):
    store = tracker.store
    with store.transaction() as conn:
        first = store.append("s:a", [new_event(), new_event()], conn=conn)
        second = store.append("s:b", [new_event()], conn=conn)
    assert second[0].position == first[-1].position + 1
    assert second[0].prev_hash == first[-1].hash
    assert verify(store).ok and store.head().hash == second[0].hash

"""SQLite takes a large append as one INSERT ... SELECT from a staging table
(tracker/store/sqlite.py ``_staged``): the log it makes must be the one row-by-row inserts
make, and the append check must still refuse a bad row in the middle of a batch."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.store.helpers import new_event
from tracker.domain.values.dates import FuzzyDate
from tracker.errors import StoreError
from tracker.service.app import Tracker
from tracker.store import sqlite as sqlite_backend
from tracker.store.eventstore import EventStore
from tracker.store.rows import COLUMNS, GENESIS_HASH, new_row
from tracker.store.verify import verify

CLOCK = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


def _events(n: int) -> list:
    """Events of several kinds of value: NULL and dated starts, nested JSON, odd text."""
    dates = ["2021-12-06", "by 2023", "Dec 2021", "2019~"]
    return [
        new_event(
            event_id=f"00000000-0000-4000-8000-{i:012d}",
            occurred=FuzzyDate.parse(dates[i % len(dates)]),
            payload={"subject": "topic:t", "text": f"note {i} \u00e9 '\"", "n": [i, {"k": None}]},
        )
        for i in range(n)
    ]


def _log(tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch, stage_from: int) -> list:
    monkeypatch.setattr(sqlite_backend, "STAGE_FROM", stage_from)
    tracker = Tracker.open(str(tmp_path / name), create=True)
    tracker.init()
    try:
        store = EventStore(tracker.engine, clock=lambda: CLOCK)
        events = _events(300)
        store.append_streams([("s:a", events[:120], 0), ("s:b", events[120:], 0)])
        last = new_event(event_id="00000000-0000-4000-8000-999999999999")
        store.append("s:a", [last])  # then a small one, row by row
        with tracker.engine.connect() as conn:
            typed = conn.execute(
                text(
                    "SELECT typeof(position), typeof(stream_version), typeof(schema_version),"
                    " typeof(occurred_start), count(*) FROM events GROUP BY 1, 2, 3, 4"
                )
            ).all()
        assert verify(tracker.store).ok
        rows = [tuple(r) for r in tracker.store.read_raw()]
        return [rows, typed]
    finally:
        tracker.close()


def test_a_staged_append_stores_what_row_by_row_inserts_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    staged, typed = _log(tmp_path, "staged.db", monkeypatch, stage_from=16)
    plain, plain_typed = _log(tmp_path, "plain.db", monkeypatch, stage_from=10**9)
    assert len(staged) == 301
    assert staged == plain  # every column of every row, the hashes included
    assert typed == plain_typed  # integers stay integers, a NULL start stays NULL
    assert [r[0] for r in staged] == list(range(1, 302))


def test_the_append_check_refuses_a_bad_row_in_the_middle_of_a_staged_batch(
    sqlite_tracker: Tracker,
):
    rows = _rows(100, broken_at=59)  # row 61 links to a hash no row has
    with sqlite_tracker.engine.connect() as conn, conn.begin():
        with pytest.raises(StoreError, match="its prev_hash is not the hash of the head"):
            sqlite_backend.SQLITE.insert(conn, "events", COLUMNS, rows)
        # The statement is undone whole: not even the 60 good rows before it stay.
        assert conn.execute(text("SELECT count(*) FROM events")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM temp.tracker_staged_events")).scalar() == 0
        # The good rows alone go in, checked one after the other.
        sqlite_backend.SQLITE.insert(conn, "events", COLUMNS, rows[:60])
        assert conn.execute(text("SELECT max(position) FROM events")).scalar() == 60


def _rows(n: int, *, broken_at: int | None = None) -> list:
    """``n`` rows of a fresh log; the one after ``broken_at`` links to a hash no row has."""
    rows, prev = [], GENESIS_HASH
    for i, e in enumerate(_events(n)):
        row = new_row(i + 1, "s:a", i + 1, e, "2026-11-24T09:30:00.000000Z", prev)
        rows.append(row)
        prev = row.hash if i != broken_at else "f" * 64
    return rows


def test_in_a_bulk_transaction_what_was_written_behind_is_read_back(sqlite_tracker: Tracker):
    store = sqlite_tracker.store
    rows = _rows(100)
    with store.transaction(bulk=True) as conn:
        sqlite_backend.SQLITE.insert(conn, "events", COLUMNS, rows)
        # The next statements, the store's bare reads and SQLAlchemy's alike, come after it.
        assert store.existing_ids([r.event_id for r in rows], conn) == {r.event_id for r in rows}
        assert conn.execute(text("SELECT count(*) FROM events")).scalar() == 100
    assert [r.position for r in store.read_raw()] == list(range(1, 101))
    assert verify(store).ok


def test_a_batch_refused_behind_is_raised_at_the_next_statement_and_nothing_is_written(
    sqlite_tracker: Tracker,
):
    store = sqlite_tracker.store
    refused = pytest.raises(StoreError, match="its prev_hash is not the hash of the head")
    with refused, store.transaction(bulk=True) as conn:
        sqlite_backend.SQLITE.insert(conn, "events", COLUMNS, _rows(100, broken_at=59))
        conn.execute(text("SELECT count(*) FROM proj_contracts"))  # raises here
        pytest.fail("the statement after a refused batch ran")
    assert list(store.read_raw()) == []


def test_a_batch_refused_behind_as_the_transaction_ends_is_raised_and_nothing_is_written(
    sqlite_tracker: Tracker,
):
    store = sqlite_tracker.store
    refused = pytest.raises(StoreError, match="its prev_hash is not the hash of the head")
    with refused, store.transaction(bulk=True) as conn:
        sqlite_backend.SQLITE.insert(conn, "events", COLUMNS, _rows(60))
        sqlite_backend.SQLITE.insert(conn, "events", COLUMNS, _rows(100, broken_at=59)[60:])
    assert list(store.read_raw()) == []

"""What the database checks on INSERT stays in step with the code, and verify sees what the
hash cannot: a gap in positions, occurred_start '' for NULL, a payload that is not JSON."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import text

from tests.store.helpers import new_event
from tests.store.test_store_contract import drop_triggers
from tracker.domain.events.catalogue import EVENT_TYPES
from tracker.domain.values.date_columns import column_precisions
from tracker.domain.values.dates import FuzzyDate
from tracker.service.app import Tracker
from tracker.store import migrate
from tracker.store.eventstore import row_hash
from tracker.store.verify import verify

MIGRATION = Path(__file__).resolve().parents[2] / "alembic/versions/0004_checked_appends.py"


def migration() -> ModuleType:
    spec = importlib.util.spec_from_file_location("m0004", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_database_knows_every_event_type_and_precision_of_the_code():
    m = migration()
    assert sorted(m.EVENT_TYPES) == sorted(EVENT_TYPES)
    assert sorted(m.PRECISIONS) == sorted(column_precisions())


def unguarded(tracker: Tracker) -> Tracker:
    """The tracker with its UPDATE/DELETE triggers dropped, as a forger with the owner's
    rights would; the INSERT check stays."""
    drop_triggers(tracker)
    return tracker


def rehash(tracker: Tracker, position: int) -> None:
    """Give the row at ``position`` the hash of its (changed) content, as a forger would."""
    [row] = [r for r in tracker.store.read_raw() if r.position == position]
    with tracker.engine.begin() as conn:
        conn.execute(
            text("UPDATE events SET hash = :h WHERE position = :p"),
            {"h": row_hash(row), "p": position},
        )


def test_verify_names_a_gap_in_positions_even_with_a_consistent_chain(tracker: Tracker):
    tracker.store.append("s:a", [new_event() for _ in range(3)])
    unguarded(tracker)
    with tracker.engine.begin() as conn:
        conn.execute(text("UPDATE events SET position = 7 WHERE position = 3"))
    rehash(tracker, 7)  # the link to position 2 holds and the hash covers the new position
    result = verify(tracker.store)
    assert (result.ok, result.broken_at) == (False, 7)
    assert result.reason == "positions jump from 2 to 7 (a gap in the log)"


def test_verify_names_an_occurred_start_changed_from_null_to_empty(tracker: Tracker):
    year_end = new_event(occurred=FuzzyDate.parse("by 2023"))  # stored with a NULL start
    tracker.store.append("s:a", [new_event(), year_end, new_event()])
    assert verify(tracker.store).ok
    unguarded(tracker)
    with tracker.engine.begin() as conn:
        changed = conn.execute(
            text("UPDATE events SET occurred_start = '' WHERE occurred_start IS NULL")
        ).rowcount
    assert changed == 1
    result = verify(tracker.store)
    assert (result.ok, result.broken_at) == (False, 2)
    assert "occurred_start is ''" in (result.reason or "")


def test_verify_names_a_payload_that_is_not_a_json_object(tracker: Tracker):
    tracker.store.append("s:a", [new_event(), new_event()])
    unguarded(tracker)
    with tracker.engine.begin() as conn:
        conn.execute(text("UPDATE events SET payload = '[1]' WHERE position = 2"))
    rehash(tracker, 2)
    result = verify(tracker.store)
    assert (result.broken_at, result.reason) == (2, "its payload is not a JSON object")


def test_downgrading_0004_lifts_the_insert_check_and_upgrading_restores_it(tracker: Tracker):
    tracker.store.append("s:a", [new_event()])
    junk = (
        "INSERT INTO events SELECT max(position) + 1, '{id}', '{id}', 1, 'NoteRecorded', 1, "
        "'day', NULL, '2021-01-01', 'r', '{{}}', '{{}}', 'x', 'y' FROM events"
    )
    migrate.downgrade(tracker.engine, "0003")
    with tracker.engine.begin() as conn:
        conn.execute(text(junk.format(id="e")))  # 0003 took anything
    with tracker.engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM events")).scalar_one() == 2
    migrate.upgrade(tracker.engine)
    # Another id and stream: on PostgreSQL the check (0011) runs after the insert, so the
    # unique event_id and (stream, version) would speak first for the same ones.
    with pytest.raises(Exception, match="refused a row"), tracker.engine.begin() as conn:
        conn.execute(text(junk.format(id="e2")))

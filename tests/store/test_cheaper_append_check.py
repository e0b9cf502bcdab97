"""On SQLite, migration 0009's cheaper append check refuses exactly the rows 0004's check
refused, each with the same message; 0004's own trigger (restored by downgrading to 0008) is
the oracle, and a downgrade puts it back word for word."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from tests.store.helpers import new_event
from tracker.service.app import Tracker
from tracker.store import migrate

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

COLUMNS = (
    *("position", "event_id", "stream_id", "stream_version", "event_type", "schema_version"),
    *("occurred_precision", "occurred_start", "occurred_end", "recorded_at", "payload"),
    *("metadata", "prev_hash", "hash"),
)
INSERT = f"INSERT INTO events VALUES ({', '.join(':' + c for c in COLUMNS)})"
SOURCES = '{"actor":"t","sources":[{"url":"https://example.org/a"}]}'

#: name -> the columns that differ from a row that extends the head correctly.
ROWS: dict[str, dict[str, Any]] = {
    "good": {},
    "good, whitespace before the objects": {"payload": ' \t\r\n{"a":1}', "metadata": "\n{}"},
    "good, sources only nested": {"metadata": '{"a":{"sources":1}}'},
    "good, sources empty": {"metadata": '{"sources":[]}'},
    "good, payload a BLOB of an object": {"payload": b'{"a":1}'},
    "position past head + 1": {"position": +1},
    "position below the head": {"position": -2},
    "position at the head": {"position": -1},
    "prev_hash not the head's": {"prev_hash": "a" * 64},
    "payload not JSON": {"payload": "x"},
    "payload cut short": {"payload": '{"a":'},
    "payload a list": {"payload": "[1]"},
    "payload a string": {"payload": '"{}"'},
    "payload a number": {"payload": 5},
    "payload empty": {"payload": ""},
    "payload NUL then object": {"payload": "\x00{}"},
    "payload vertical tab then object": {"payload": "\x0b{}"},
    "payload NULL": {"payload": None},
    "metadata not JSON": {"metadata": "{"},
    "metadata a list": {"metadata": "[]"},
    "sources a string": {"metadata": '{"sources":"x"}'},
    "sources an object": {"metadata": '{"sources":{}}'},
    "sources null": {"metadata": '{"sources":null}'},
    "unknown event type": {"event_type": "Bogus"},
    "event type in lower case": {"event_type": "noterecorded"},
    "unknown precision": {"occurred_precision": "day!"},
    "precision with two marks": {"occurred_precision": "day~?"},
    "occurred_start ''": {"occurred_start": ""},
    "occurred_end not a date": {"occurred_end": "someday!!!"},
    "start after end": {"occurred_start": "2022-01-01"},
    "stream_version 0": {"stream_version": 0},
    "schema_version 0": {"schema_version": 0},
    "payload and event type both bad": {"payload": "[]", "event_type": "Bogus"},
    "metadata and versions both bad": {"metadata": "1", "stream_version": 0},
}


def head(engine: Engine) -> tuple[int, str]:
    """The log's head (position, hash); (0, the genesis hash) on an empty log."""
    with engine.connect() as conn:
        found = conn.execute(text("SELECT position, hash FROM events ORDER BY 1 DESC LIMIT 1"))
        return tuple(found.one_or_none() or (0, "0" * 64))  # type: ignore[return-value]


def attempt(engine: Engine, changes: dict[str, Any]) -> str:
    """Insert a row that extends the head but for ``changes`` (``position``: an offset);
    the database's message, or '' when the row got in (then it is taken out again)."""
    position, digest = head(engine)
    row: dict[str, Any] = {
        "event_id": str(uuid.uuid4()),
        "stream_id": f"topic:{uuid.uuid4().hex}",
        "stream_version": 1,
        "event_type": "NoteRecorded",
        "schema_version": 1,
        "occurred_precision": "day",
        "occurred_start": "2021-12-06",
        "occurred_end": "2021-12-06",
        "recorded_at": "2026-01-15T00:00:00.000000Z",
        "payload": '{"subject":"topic:t"}',
        "metadata": SOURCES,
        "prev_hash": digest,
        "hash": "f" * 64,
        **changes,
        "position": position + 1 + changes.get("position", 0),
    }
    conn = engine.raw_connection()
    try:
        conn.execute(INSERT, row)  # type: ignore[attr-defined]
    except Exception as e:  # the driver's own error is the answer
        return str(e)
    finally:
        conn.rollback()  # nothing stays, so every row meets the same head
        conn.close()
    return ""


def refusals(tracker: Tracker) -> dict[str, str]:
    return {name: attempt(tracker.engine, changes) for name, changes in ROWS.items()}


def test_0009_refuses_what_0004_refused_with_the_same_message(tracker: Tracker):
    tracker.store.append("s:a", [new_event() for _ in range(3)])
    cheaper = refusals(tracker)
    migrate.downgrade(tracker.engine, "0008")
    assert migrate.current_revision(tracker.engine) == "0008"
    original = refusals(tracker)
    assert cheaper == original
    good = [name for name in ROWS if name.startswith("good")]
    assert [name for name, why in cheaper.items() if not why] == good
    assert all(
        "events is append-only: refused a row: " in cheaper[n] for n in ROWS if n not in good
    )


def test_a_null_event_type_or_precision_is_refused_by_0009_itself(tracker: Tracker):
    # 0004 let NULL through to the NOT NULL constraint; 0009 refuses it first.
    why = attempt(tracker.engine, {"event_type": None})
    assert why.endswith("its event_type is not a known event type")
    assert "its occurred columns are not a precision" in attempt(
        tracker.engine, {"occurred_precision": None}
    )


def test_downgrading_0009_restores_the_trigger_of_0004(tracker: Tracker):
    def trigger_sql() -> str:
        with tracker.engine.connect() as conn:
            found = conn.execute(
                text("SELECT sql FROM sqlite_master WHERE name = 'events_check_append'")
            )
            return str(found.scalar_one())

    cheaper = trigger_sql()
    migrate.downgrade(tracker.engine, "0003")
    migrate.upgrade(tracker.engine, "0008")
    as_0004_made_it = trigger_sql()
    migrate.upgrade(tracker.engine)
    assert trigger_sql() == cheaper != as_0004_made_it
    migrate.downgrade(tracker.engine, "0008")
    assert trigger_sql() == as_0004_made_it

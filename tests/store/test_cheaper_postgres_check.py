"""On PostgreSQL, migration 0011's statement check refuses the rows 0004's row check refused,
each with the same message; 0004's own function (restored by undoing 0011 alone) is the
oracle, and the rows' hashes come from this file's own SHA-256 (the documented encoding), so
a good row is accepted by both and a check that refused everything would fail here."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from tests.store.helpers import new_event
from tracker.service.app import Tracker
from tracker.store import migrate
from tracker.store.verify import verify

pytestmark = pytest.mark.parametrize(
    "db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)

COLUMNS = (
    *("position", "event_id", "stream_id", "stream_version", "event_type", "schema_version"),
    *("occurred_precision", "occurred_start", "occurred_end", "recorded_at", "payload"),
    *("metadata", "prev_hash", "hash"),
)
NAMES = ", ".join(COLUMNS)
SOURCES = '{"actor":"t","sources":[{"url":"https://example.org/a"}]}'


def chained(prev: str, row: dict[str, Any]) -> str:
    """SHA-256 over prev and each field (NULL start as ''), each after its 8-byte length."""
    fields = [prev, *("" if row[c] is None else str(row[c]) for c in COLUMNS[:-2])]
    data = b"".join(len(b).to_bytes(8, "big") + b for b in (f.encode() for f in fields))
    return hashlib.sha256(data).hexdigest()


#: name -> the columns that differ from a row that extends the head correctly (``position``:
#: an offset; ``hash``: a fixed value, else the hash is computed over the changed row).
ROWS: dict[str, dict[str, Any]] = {
    "good": {},
    "good, whitespace before the objects": {"payload": ' \t\r\n{"a":1}', "metadata": "\n{}"},
    "good, sources only nested": {"metadata": '{"a":{"sources":1}}'},
    "good, sources empty": {"metadata": '{"sources":[]}'},
    "good, no start": {"occurred_precision": "by-year", "occurred_start": None},
    "good, non-ASCII text": {"payload": '{"t":"Ünïcødé ✓ 𝄞"}', "stream_id": "topic:çé"},
    "position past head + 1": {"position": +1},
    "position below the head": {"position": -2},
    "position 0": {"position": -4},
    "prev_hash not the head's": {"prev_hash": "a" * 64},
    "prev_hash the genesis": {"prev_hash": "0" * 64},
    "hash wrong": {"hash": "b" * 64},
    "hash in capitals": {"hash": "UPPER"},
    "payload not JSON": {"payload": "x"},
    "payload cut short": {"payload": '{"a":'},
    "payload a list": {"payload": "[1]"},
    "payload a string": {"payload": '"{}"'},
    "payload empty": {"payload": ""},
    "metadata not JSON": {"metadata": "{"},
    "metadata a list": {"metadata": "[]"},
    "sources a string": {"metadata": '{"sources":"x"}'},
    "sources an object": {"metadata": '{"sources":{}}'},
    "sources null": {"metadata": '{"sources":null}'},
    "unknown event type": {"event_type": "Bogus"},
    "event type in lower case": {"event_type": "noterecorded"},
    "unknown precision": {"occurred_precision": "day!"},
    "occurred_start ''": {"occurred_start": ""},
    "occurred_end not a date": {"occurred_end": "someday!!!"},
    "occurred_end with Arabic-Indic digits": {"occurred_end": "٢٠٢١-١٢-٠٦"},
    "start after end": {"occurred_start": "2022-01-01"},
    "stream_version 0": {"stream_version": 0},
    "schema_version 0": {"schema_version": 0},
    "payload and event type both bad": {"payload": "[]", "event_type": "Bogus"},
    "metadata and versions both bad": {"metadata": "1", "stream_version": 0},
    "position and hash both bad": {"position": +3, "hash": "c" * 64},
}


def head(conn: Any) -> tuple[int, str]:
    found = conn.execute("SELECT position, hash FROM events ORDER BY 1 DESC LIMIT 1").fetchone()
    return tuple(found or (0, "0" * 64))


def row_after(at: tuple[int, str], changes: dict[str, Any]) -> dict[str, Any]:
    """A row that extends ``at`` but for ``changes``."""
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
        "prev_hash": at[1],
        **{k: v for k, v in changes.items() if k not in ("hash", "position")},
        "position": at[0] + 1 + changes.get("position", 0),
    }
    row["hash"] = changes.get("hash") or chained(row["prev_hash"], row)
    return row


def attempt(engine: Engine, write: Callable[[Any, tuple[int, str]], None]) -> str:
    """Run ``write(cursor, head)`` in a transaction that is rolled back; the database's
    message (its first line), or '' when what was written got in."""
    conn = engine.raw_connection()
    try:
        cur = conn.cursor()
        write(cur, head(cur))
        cur.execute("SELECT 1")  # a deferred check would speak here at the latest
    except Exception as e:  # the driver's own error is the answer
        return str(e).strip().splitlines()[0]
    finally:
        conn.rollback()  # nothing stays, so every attempt meets the same head
        conn.close()
    return ""


def insert(*rows: dict[str, Any]) -> Callable[[Any, tuple[int, str]], None]:
    marks = ", ".join(["%s"] * len(COLUMNS))
    values = ", ".join([f"({marks})"] * len(rows))
    params = [row[c] for row in rows for c in COLUMNS]
    return lambda cur, _: cur.execute(f"INSERT INTO events ({NAMES}) VALUES {values}", params)


def one(changes: dict[str, Any]) -> Callable[[Any, tuple[int, str]], None]:
    return lambda cur, at: insert(row_after(at, changes))(cur, at)


def refusals(engine: Engine) -> dict[str, str]:
    return {name: attempt(engine, one(changes)) for name, changes in ROWS.items()}


def test_0011_refuses_what_0004_refused_with_the_same_message(tracker: Tracker):
    tracker.store.append("s:a", [new_event() for _ in range(3)])
    cheaper = refusals(tracker.engine)
    migrate.downgrade(tracker.engine, "-1")  # to the revision 0011 revises
    assert migrate.current_revision(tracker.engine) not in (None, "0011")
    original = refusals(tracker.engine)
    migrate.upgrade(tracker.engine)
    # A position the log holds is now refused by the primary key (the check runs after the
    # insert); 0004's check spoke first.
    taken = cheaper.pop("position below the head")
    assert taken.startswith('duplicate key value violates unique constraint "pk_events"')
    assert "position + 1" in original.pop("position below the head")
    assert cheaper == original
    good = [name for name in ROWS if name.startswith("good")]
    assert [name for name, why in cheaper.items() if not why] == good
    assert all(
        "events is append-only: refused a row at position " in cheaper[n]
        for n in cheaper
        if n not in good
    )
    assert "its hash is not the SHA-256 of its content" in cheaper["hash wrong"]
    assert "its position is not the head's position + 1" in cheaper["position and hash both bad"]


def chain(at: tuple[int, str], count: int, bad: int | None = None) -> list[dict[str, Any]]:
    """``count`` rows extending ``at``; the one at index ``bad`` with a payload that is a list."""
    rows = []
    for i in range(count):
        row = row_after(at, {"payload": "[]"} if i == bad else {})
        rows.append(row)
        at = (row["position"], row["hash"])
    return rows


def copy(rows: list[dict[str, Any]]) -> Callable[[Any, tuple[int, str]], None]:
    def write(cur: Any, _: tuple[int, str]) -> None:
        with cur.copy(f"COPY events ({NAMES}) FROM STDIN") as out:
            for row in rows:
                out.write_row([row[c] for c in COLUMNS])

    return write


def test_many_rows_in_one_statement_are_checked_row_by_row(tracker: Tracker):
    tracker.store.append("s:a", [new_event() for _ in range(3)])
    engine = tracker.engine
    for write in (insert, lambda *rows: copy(list(rows))):
        assert attempt(engine, lambda cur, at, w=write: w(*chain(at, 5))(cur, at)) == ""  # type: ignore[misc]
        why = attempt(engine, lambda cur, at, w=write: w(*chain(at, 5, bad=2))(cur, at))  # type: ignore[misc]
        assert why.startswith("events is append-only: refused a row at position 6: ")
        assert why.endswith("its payload is not a JSON object (metadata: with a list of sources)")
    # A statement's rows may come in any order if in position order they extend the chain
    # (0004 wanted position order); a row that does not link is refused wherever it is.
    rows = chain(head_of(engine), 3)
    assert attempt(engine, insert(*reversed(rows))) == ""
    rows[1]["prev_hash"] = "a" * 64
    why = attempt(engine, insert(*reversed(rows)))
    assert "at position 5: its prev_hash is not the hash of the head" in why


def head_of(engine: Engine) -> tuple[int, str]:
    conn = engine.raw_connection()
    try:
        return head(conn.cursor())
    finally:
        conn.close()


def test_rows_written_under_0011_verify_and_the_store_appends_on(tracker: Tracker):
    tracker.store.append("s:a", [new_event() for _ in range(3)])
    assert attempt(tracker.engine, copy(chain(head_of(tracker.engine), 4))) == ""
    conn = tracker.engine.raw_connection()
    try:
        cur = conn.cursor()
        copy(chain(head(cur), 4))(cur, head(cur))
        conn.commit()
    finally:
        conn.close()
    tracker.store.append("s:b", [new_event() for _ in range(2)])
    result = verify(tracker.store)
    assert (result.ok, result.count) == (True, 9)


def test_a_null_in_a_checked_column_is_refused(tracker: Tracker):
    # The check runs after the insert, so the column's NOT NULL speaks first (0004 spoke
    # before it); either way nothing gets in.
    def with_null(column: str) -> Callable[[Any, tuple[int, str]], None]:
        def write(cur: Any, at: tuple[int, str]) -> None:
            insert({**row_after(at, {}), column: None})(cur, at)

        return write

    for column in ("payload", "metadata", "event_type", "occurred_precision", "prev_hash"):
        why = attempt(tracker.engine, with_null(column))
        assert why.startswith(f'null value in column "{column}"'), why


def test_downgrading_0011_restores_the_row_check_of_0004(tracker: Tracker):
    def triggers() -> list[tuple[str, str]]:
        with tracker.engine.connect() as conn:
            found = conn.execute(
                text(
                    "SELECT t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
                    "JOIN pg_class c ON c.oid = t.tgrelid "
                    "WHERE c.relname = 'events' AND c.relnamespace = "
                    "(SELECT oid FROM pg_namespace WHERE nspname = current_schema()) "
                    "AND NOT t.tgisinternal ORDER BY 1"
                )
            )
            return [(str(a), str(b)) for a, b in found]

    now = triggers()
    assert any(
        "AFTER INSERT" in d and "STATEMENT" in d for n, d in now if n == "events_check_append"
    )
    migrate.downgrade(tracker.engine, "-1")
    before = triggers()
    assert any("BEFORE INSERT" in d and "ROW" in d for n, d in before if n == "events_check_append")
    migrate.upgrade(tracker.engine)
    assert triggers() == now


def test_a_log_written_before_0011_verifies_after_it_and_grows_on(tracker: Tracker):
    migrate.downgrade(tracker.engine, "-1")
    tracker.store.append("s:a", [new_event() for _ in range(3)])
    migrate.upgrade(tracker.engine)
    tracker.store.append("s:a", [new_event() for _ in range(60)])  # by COPY
    tracker.store.append("s:b", [new_event()])  # by INSERT
    result = verify(tracker.store)
    assert (result.ok, result.count, result.head_position) == (True, 64, 64)

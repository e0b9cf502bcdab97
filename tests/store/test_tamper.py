"""Tamper evidence: change any byte of any column of any stored event (triggers dropped) and
verify names the position; a rewritten log is caught against a digest saved earlier."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from tests.store.helpers import new_event
from tests.store.test_store_contract import drop_triggers
from tracker.domain.values.dates import FuzzyDate
from tracker.service.app import Tracker
from tracker.store.eventstore import EventStore
from tracker.store.hashing import GENESIS_HASH
from tracker.store.verify import extends, verify

TEXT_COLUMNS = [
    "event_id",
    "stream_id",
    "event_type",
    "occurred_precision",
    "occurred_start",
    "occurred_end",
    "recorded_at",
    "payload",
    "metadata",
    "prev_hash",
    "hash",
]
INT_COLUMNS = ["stream_version", "schema_version"]
EVENTS = 6


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small log built once; each example tampers with a fresh copy of its file."""
    path = tmp_path_factory.mktemp("tamper") / "log.db"
    t = Tracker.open(str(path), create=True)
    t.init()
    for i in range(EVENTS):
        event = new_event(
            occurred=FuzzyDate.parse(["2021-12", "2023", "2021-12-06"][i % 3]),
            payload={"text": f"Ünïcode {i} 'q' \"dq\"", "n": i},
        )
        t.store.append(f"contract:c{i % 2}", [event])
    drop_triggers(t)
    t.close()
    return path


def tampered(template: Path, tmp_path: Path) -> Tracker:
    path = tmp_path / "copy.db"
    path.write_bytes(template.read_bytes())
    return Tracker.open(str(path))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    position=st.integers(1, EVENTS),
    column=st.sampled_from(TEXT_COLUMNS),
    index=st.integers(0, 10_000),
    replacement=st.characters(min_codepoint=32, max_codepoint=0x2FF),
)
def test_changing_any_character_of_any_text_column_is_caught_at_its_position(
    template, tmp_path_factory, position, column, index, replacement
):
    tracker = tampered(template, tmp_path_factory.mktemp("t"))
    with tracker.engine.begin() as conn:
        value = conn.execute(
            text(f"SELECT {column} FROM events WHERE position = :p"), {"p": position}
        ).scalar_one()
        value = value or ""
        i = index % max(len(value), 1)
        changed = value[:i] + replacement + value[i + 1 :]
        if changed == value:
            changed = value + replacement
        conn.execute(
            text(f"UPDATE events SET {column} = :v WHERE position = :p"),
            {"v": changed, "p": position},
        )
    result = verify(tracker.store)
    tracker.close()
    assert not result.ok
    assert result.broken_at == position


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Versions move past any existing one: (stream, version) is unique, a collision is refused.
@given(
    position=st.integers(1, EVENTS),
    column=st.sampled_from(INT_COLUMNS),
    delta=st.integers(100, 999),
)
def test_changing_a_number_column_is_caught_at_its_position(
    template, tmp_path_factory, position, column, delta
):
    tracker = tampered(template, tmp_path_factory.mktemp("t"))
    with tracker.engine.begin() as conn:
        conn.execute(
            text(f"UPDATE events SET {column} = {column} + :d WHERE position = :p"),
            {"d": delta, "p": position},
        )
    result = verify(tracker.store)
    tracker.close()
    assert (result.ok, result.broken_at) == (False, position)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(position=st.integers(1, EVENTS), delta=st.integers(1, 99))
def test_moving_an_event_to_another_position_is_caught(template, tmp_path_factory, position, delta):
    tracker = tampered(template, tmp_path_factory.mktemp("t"))
    with tracker.engine.begin() as conn:
        conn.execute(
            text("UPDATE events SET position = :n WHERE position = :p"),
            {"n": EVENTS + delta, "p": position},
        )
    result = verify(tracker.store)
    tracker.close()
    assert not result.ok
    assert result.broken_at == (position + 1 if position < EVENTS else EVENTS + delta)


def test_a_rewritten_log_with_a_consistent_chain_is_caught_by_a_saved_digest(template, tmp_path):
    tracker = tampered(template, tmp_path)
    digest = verify(tracker.store).digest
    # Rewrite event 3 and re-chain everything after it, as a careful forger would.
    with tracker.engine.begin() as conn:
        conn.execute(text("UPDATE events SET payload = :v WHERE position = 3"), {"v": '{"n":99}'})
    rechain(tracker.store)
    assert verify(tracker.store).ok  # its own chain is consistent again...
    problem = extends(tracker.store, digest)
    assert problem is not None and "position 6 now has hash" in problem  # ...but not ours
    tracker.close()


def rechain(store: EventStore) -> None:
    from tracker.store.eventstore import row_hash

    prev = GENESIS_HASH
    for row in list(store.read_raw()):
        fields = row._asdict()
        fields["prev_hash"] = prev

        class Row:
            pass

        r = Row()
        r.__dict__.update(fields)
        digest = row_hash(r)
        with store.engine.begin() as conn:
            conn.execute(
                text("UPDATE events SET prev_hash = :p, hash = :h WHERE position = :n"),
                {"p": prev, "h": digest, "n": row.position},
            )
        prev = digest

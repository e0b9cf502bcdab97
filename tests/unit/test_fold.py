"""evolve and fold: pure, incremental, and honest about corrections and retractions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit import factories as f
from tests.unit.factories import REF, Log
from tracker.domain.figures import contracts
from tracker.domain.state.envelope import Recorded
from tracker.domain.state.fold import evolve, fold
from tracker.domain.state.state import ContractState, NotesState, load_state, load_state_json
from tracker.errors import DomainError

STREAM = f"contract:{REF}"


def test_evolve_never_changes_the_state_it_is_given() -> None:
    log = Log()
    log.record(f.contract_signed())
    before = log.state()
    snapshot = before.model_dump(mode="json")
    rec = log.record(f.delivery_recorded())
    after = evolve(before, rec)
    assert before.model_dump(mode="json") == snapshot
    assert isinstance(after, ContractState)
    assert (len(before.deliveries), len(after.deliveries), after.version) == (0, 1, 2)


def test_cumulative_totals_become_increments_in_world_date_order() -> None:
    log = Log()
    log.record(f.contract_signed(quantity=601427, unit="rifle"))
    # Recorded out of world order: the July 2024 total arrives before the May one.
    log.record(f.delivery_recorded(occurred="2024-07-06", quantity=None, cumulative_total=35000))
    log.record(f.delivery_recorded(occurred="2024-05-20", quantity=None, cumulative_total=27000))
    log.record(f.delivery_recorded(occurred="2025-07", quantity=None, cumulative_total=47516))
    steps = contracts.deliveries(log.state())
    assert [(str(s.occurred), s.increment, s.total) for s in steps] == [
        ("2024-05-20", 27000, 27000),
        ("2024-07-06", 8000, 35000),
        ("2025-07", 12516, 47516),
    ]


def test_a_retracted_delivery_no_longer_counts() -> None:
    log = Log()
    log.record(f.contract_signed())
    log.record(f.delivery_recorded(quantity=2), "d1")
    log.record(f.delivery_recorded(occurred="2022", quantity=1), "d2")
    log.record(f.event_retracted(target_event_id="d1"))
    state = log.state()
    assert contracts.delivered(state) == 1
    assert state.retracted == ("d1",)


def test_a_corrected_quantity_counts_with_its_new_value() -> None:
    log = Log()
    log.record(f.contract_signed())
    log.record(f.delivery_recorded(quantity=1), "d1")
    log.record(f.event_corrected(target_event_id="d1", changes={"quantity": 2}))
    state = log.state()
    assert contracts.delivered(state) == 2
    assert state.find("d1").event.quantity == 2


def test_a_corrected_date_reorders_the_deliveries() -> None:
    log = Log()
    log.record(f.contract_signed())
    log.record(f.delivery_recorded(occurred="2022", quantity=None, cumulative_total=2), "d1")
    log.record(f.delivery_recorded(occurred="2023", quantity=None, cumulative_total=3), "d2")
    log.record(f.event_corrected(target_event_id="d1", changes={"occurred": "2024"}))
    steps = contracts.deliveries(log.state())
    assert [(s.event_id, s.increment) for s in steps] == [("d2", 3), ("d1", -1)]


def test_a_correction_of_a_retracted_event_changes_nothing() -> None:
    log = Log()
    log.record(f.contract_signed())
    log.record(f.delivery_recorded(quantity=1), "d1")
    log.record(f.event_retracted(target_event_id="d1"))
    before = log.state()
    log.record(f.event_corrected(target_event_id="d1", changes={"quantity": 2}))
    assert log.state().deliveries == before.deliveries == ()
    assert log.state().version == before.version + 1


def test_amendments_apply_in_world_date_order() -> None:
    log = Log()
    log.record(f.contract_signed())
    log.record(f.contract_amended(occurred="2021", quantity=7))
    log.record(f.contract_amended(occurred="2020", quantity=6))
    assert contracts.ordered(log.state()) == 7


def test_notes_recorded_before_the_signing_are_kept_by_the_contract() -> None:
    log = Log()
    log.record(f.note_recorded(subject=STREAM, text="Ushakov: signing is the key feature"))
    assert isinstance(log.state(), NotesState)
    log.record(f.contract_signed())
    state = log.state()
    assert isinstance(state, ContractState)
    assert [n.event.text for n in state.notes] == ["Ushakov: signing is the key feature"]


def test_events_for_a_contract_not_yet_signed_leave_no_state() -> None:
    log = Log()
    rec = log.record(f.figure_reported())
    assert evolve(None, rec) is None
    assert fold(log.records) == {}


def test_a_stream_cannot_be_created_twice() -> None:
    log = Log()
    log.record(f.contract_signed())
    with pytest.raises(DomainError, match="Stream 'contract:s400-india-2018' already exists"):
        log.record(f.contract_signed())


def test_fold_gives_one_state_per_stream() -> None:
    log = Log()
    log.record(f.contract_signed())
    log.record(f.jv_established())
    log.record(f.agreement_signed())
    log.record(f.note_recorded())
    states = fold(log.records)
    assert {k: v.kind for k, v in states.items()} == {
        STREAM: "contract",
        "jv:irrpl": "jv",
        "agreement:india-russia-mtc-2021": "agreement",
        "topic:caatsa": "notes",
    }


def test_states_round_trip_through_json_losslessly() -> None:
    from tests.unit.s400 import s400_log

    log = s400_log()
    log.record(f.event_corrected(target_event_id="sq2", changes={"destination": "LAC"}))
    log.record(f.jv_established())
    log.record(f.note_recorded())
    for state in fold(log.records).values():
        assert load_state(state.model_dump(mode="json")) == state
        assert load_state_json(state.model_dump_json()) == state


def test_a_recorded_time_must_be_utc() -> None:
    ist = timezone(timedelta(hours=5, minutes=30))
    with pytest.raises(ValueError, match="is not a UTC datetime"):
        Recorded("e1", 1, STREAM, 1, datetime(2021, 12, 6, tzinfo=ist), f.contract_signed())
    with pytest.raises(ValueError, match="is not a UTC datetime"):
        Recorded("e1", 1, STREAM, 1, datetime(2021, 12, 6), f.contract_signed())
    Recorded("e1", 1, STREAM, 1, datetime(2021, 12, 6, tzinfo=UTC), f.contract_signed())


# --- the law: folding fixes incrementally == folding the log as it should have been ------

_dates = st.sampled_from(["2019", "2020-Q2", "2020-06", "2021-12-06", "2022", "by 2023"])
_delivery = st.tuples(_dates, st.booleans(), st.integers(1, 9))
_fix = st.tuples(
    st.sampled_from(["correct", "retract"]), st.integers(0, 9), _dates, st.integers(1, 9)
)


@settings(max_examples=200)
@given(st.lists(_delivery, min_size=1, max_size=8), st.lists(_fix, max_size=5))
def test_fixes_applied_by_evolve_equal_a_fold_of_the_fixed_log(
    deliveries: list[tuple[str, bool, int]], fixes: list[tuple[str, int, str, int]]
) -> None:
    log, fixed = Log(), Log()
    for target in (log, fixed):
        target.record(f.contract_signed(quantity=10**6))
    current: dict[str, dict[str, Any]] = {}
    for n, (when, cumulative, count) in enumerate(deliveries):
        fields = {"occurred": when, "label": None, "quantity": None, "cumulative_total": None}
        fields["cumulative_total" if cumulative else "quantity"] = count
        log.record(f.delivery_recorded(**fields), f"d{n}")
        current[f"d{n}"] = fields
    for kind, index, when, count in fixes:
        target = f"d{index % len(deliveries)}"
        if kind == "retract":
            log.record(f.event_retracted(target_event_id=target))
            current.pop(target, None)
        else:
            key = "quantity" if current.get(target, {}).get("quantity") else "cumulative_total"
            changes = {"occurred": when, key: count}
            log.record(f.event_corrected(target_event_id=target, changes=changes))
            if target in current:
                current[target] = current[target] | changes
    for n in range(len(deliveries)):
        if f"d{n}" in current:
            fixed.record(f.delivery_recorded(**current[f"d{n}"]), f"d{n}")
    incremental = contracts.deliveries(log.state())
    rebuilt = contracts.deliveries(fixed.state())
    strip = [(s.event_id, str(s.occurred), s.increment, s.total) for s in incremental]
    assert strip == [(s.event_id, str(s.occurred), s.increment, s.total) for s in rebuilt]
    assert load_state(log.state().model_dump(mode="json")) == log.state()


def test_the_fast_copies_in_evolve_equal_pydantics_own() -> None:
    from tracker.domain.events.catalogue import DeliveryRecorded
    from tracker.domain.state.fold import _copy, fact_of
    from tracker.domain.state.state import Fact

    log = Log()
    log.record(f.contract_signed())
    rec = log.record(f.delivery_recorded())
    fact = fact_of(rec)
    assert fact == Fact[DeliveryRecorded](
        event_id=rec.event_id, position=rec.position, event=rec.event
    )
    assert fact.model_dump(mode="json") == {
        "event_id": "e2",
        "position": 2,
        "event": rec.event.model_dump(mode="json"),
    }
    state = log.state()
    fast, slow = _copy(state, {"version": 9}), state.model_copy(update={"version": 9})
    assert fast == slow
    assert fast.model_fields_set == slow.model_fields_set
    assert fast.model_dump_json() == slow.model_dump_json()
    assert state.version == 2

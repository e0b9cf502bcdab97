"""Checking an event as it will be recorded gives the state folding it would, folded once."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.unit import factories as f
from tests.unit.factories import Log
from tests.unit.s400 import s400_log
from tracker.domain.events.event_base import DomainEvent
from tracker.domain.rules.checks import check, check_and_fold
from tracker.domain.rules.lookup import MemoryLookup
from tracker.domain.state import fold
from tracker.domain.state.envelope import Recorded
from tracker.errors import DomainError

TODAY = date(2026, 1, 15)


def story() -> Log:
    """The S-400 story, then an amendment, fixes, a joint venture and its production."""
    log = s400_log(TODAY)
    log.append(f.contract_amended(quantity=6), "amended")
    # Two squadrons, no longer labelled 'squadron 2' (it plans one): filled in due order.
    fixed = {"quantity": 2, "label": None}
    log.append(f.event_corrected(target_event_id="sq2", changes=fixed), "fix")
    log.append(f.event_retracted(target_event_id="sq3"), "unsaid")
    log.append(f.note_recorded(subject=f"contract:{f.REF}"), "note")
    log.append(f.jv_established(), "jv")
    log.append(f.ak203_signed(), "ak203")
    log.append(f.production_recorded(occurred="2024-07-06", cumulative_total=35000), "made")
    log.append(f.production_recorded(occurred="2024-09", cumulative_total=36000), "more")
    log.append(f.event_corrected(target_event_id="more", changes={"cumulative_total": 37000}))
    return log


def test_every_event_checked_as_recorded_folds_to_the_state_evolve_gives() -> None:
    lookup = MemoryLookup()
    for rec in story().records:
        expected = fold.evolve(lookup.state(rec.stream_id), rec)
        assert check_and_fold(rec, lookup, TODAY) == expected, rec.event.type
        lookup.add(rec)


def test_a_delivery_is_folded_once_to_be_checked_and_recorded(monkeypatch) -> None:
    log = s400_log(TODAY)
    state = log.state()
    rec = Recorded(
        "sq9",
        99,
        state.stream_id,
        state.version + 1,
        datetime.now(UTC),
        f.delivery_recorded(label="squadron 4"),
    )
    calls = []
    real = fold.evolve

    def counted(*args):  # type: ignore[no-untyped-def]
        calls.append(args)
        return real(*args)

    monkeypatch.setattr("tracker.domain.rules.invariants.evolve", counted)
    monkeypatch.setattr("tracker.domain.rules.checks.evolve", counted)
    after = check_and_fold(rec, log.lookup, TODAY)
    assert len(calls) == 1
    assert after == real(state, rec)


@pytest.mark.parametrize(
    "event",
    [
        f.delivery_recorded(occurred="2018-09"),
        f.delivery_recorded(quantity=9),
        f.contract_amended(quantity=2),
        f.event_corrected(target_event_id="sq1", changes={"occurred": "2017"}),
        f.event_retracted(target_event_id="six"),
    ],
    ids=lambda e: e.type,
)
def test_an_event_is_refused_alike_with_or_without_its_record(event: DomainEvent) -> None:
    log = s400_log(TODAY)
    log.append(f.contract_amended(quantity=6), "six")
    log.append(f.delivery_recorded(occurred="2024", quantity=3, label=None))  # 6 of 6
    stream = event.stream() or f"contract:{f.REF}"
    state = log.lookup.state(stream)
    assert state is not None
    rec = Recorded("new", 99, stream, state.version + 1, datetime.now(UTC), event)
    with pytest.raises(DomainError) as plain:
        check(event, log.lookup, TODAY)
    with pytest.raises(DomainError) as as_recorded:
        check(event, log.lookup, TODAY, recorded=rec)
    with pytest.raises(DomainError) as folding:
        check_and_fold(rec, log.lookup, TODAY)
    assert str(plain.value) == str(as_recorded.value) == str(folding.value)

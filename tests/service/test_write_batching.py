"""The write path's shortcuts give what the plain path gives: the events a chunk names
fetched at once, running totals reused, the date and link checks narrowed. The oracle is
the domain's own in-memory log (tests/unit/factories.Log: rules, record, fold)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from tests.unit import factories as f
from tests.unit.factories import Log
from tracker.domain.events.event_base import DomainEvent
from tracker.domain.figures.ledger import running_totals
from tracker.domain.rules.checks import decide
from tracker.domain.rules.parts import linked, world_dates
from tracker.domain.state.fold import fold
from tracker.domain.state.state import Fact
from tracker.domain.values.dates import FuzzyDate
from tracker.domain.values.sources import link_problem
from tracker.errors import DomainError
from tracker.projections.decode import to_domain
from tracker.service.app import Tracker
from tracker.service.writes import Item, log_chunks
from tracker.store.eventstore import EventStore

TODAY = date(2026, 1, 15)
SIGN = f"contract:{f.REF}"


def chunks() -> list[list[tuple[str, DomainEvent]]]:
    """A contract, its deliveries, then corrections and retractions of events in earlier
    chunks, in the same chunk, and of a correction's target corrected twice."""
    return [
        [
            ("sign", f.contract_signed()),
            ("plan", f.delivery_scheduled()),
            ("d1", f.delivery_recorded(occurred="2021-12", label="squadron 1")),
            ("d2", f.delivery_recorded(occurred="2022-04", label="squadron 2")),
        ],
        [
            ("fix-d1", f.event_corrected(target_event_id="d1", changes={"occurred": "2021-11"})),
            ("d3", f.delivery_recorded(occurred="2023-10", label="squadron 3")),
            ("fix-d3", f.event_corrected(target_event_id="d3", changes={"occurred": "2023-09"})),
            ("undo-d2", f.event_retracted(target_event_id="d2")),
        ],
        [
            ("fix-d1-again", f.event_corrected(target_event_id="d1", changes={"occurred": "2021"})),
            ("note", f.note_recorded(subject=SIGN)),
        ],
    ]


def oracle(parts: Sequence[Sequence[tuple[str, DomainEvent]]]) -> Log:
    log = Log(TODAY)
    for part in parts:
        for event_id, event in part:
            log.append(decide(event, log.lookup), event_id)
    return log


def log(tracker: Tracker, parts: Sequence[Sequence[tuple[str, DomainEvent]]]) -> int:
    items: list[list[Item]] = [[(i, e, False) for i, e in part] for part in parts]
    return log_chunks(tracker.store, tracker.projector, items, actor="test", today=TODAY)


def stored(tracker: Tracker) -> list[tuple[str, str, DomainEvent]]:
    return [(r.event_id, r.stream_id, to_domain(r).event) for r in tracker.store.read_all()]


def test_chunks_naming_earlier_events_log_what_the_plain_path_does(
    tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[int] = []
    real = EventStore.get_many

    def counted(self: EventStore, ids: Sequence[str], conn: Any) -> Any:
        asked.append(len(ids))
        return real(self, ids, conn)

    def one_at_a_time(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("an event fetched on its own")

    monkeypatch.setattr(EventStore, "get_many", counted)
    monkeypatch.setattr(EventStore, "get", one_at_a_time)
    parts = chunks()
    assert log(tracker, parts) == sum(len(p) for p in parts)
    # One fetch for each chunk naming events (its targets, the same chunk's ones included).
    assert asked == [3, 1]
    expected = oracle(parts)
    assert stored(tracker) == [(r.event_id, r.stream_id, r.event) for r in expected.records]
    states = fold(to_domain(r) for r in tracker.store.read_all())
    assert states == expected.lookup.states
    # Logged again: every event is found in the log, nothing is appended, nothing changes.
    assert log(tracker, parts) == 0
    assert fold(to_domain(r) for r in tracker.store.read_all()) == expected.lookup.states


@pytest.mark.parametrize(
    ("bad", "index"),
    [
        # No such event, anywhere.
        (("fix", f.event_corrected(target_event_id="nope", changes={"quantity": 2})), 0),
        # Its target comes later in the same chunk: not there yet when it is checked.
        (("undo", f.event_retracted(target_event_id="d9")), 0),
        # A correction cannot be corrected.
        (("fix2", f.event_corrected(target_event_id="fix-d1", changes={"reason": "x"})), 0),
    ],
    ids=["missing", "later", "a-correction"],
)
def test_a_bad_target_is_refused_as_the_plain_path_refuses_it(
    tracker: Tracker, bad: tuple[str, DomainEvent], index: int
) -> None:
    first, second = chunks()[:2]
    later = ("d9", f.delivery_recorded(occurred="2023-11", label="squadron 4"))
    parts = [first, second, [bad, later]]
    with pytest.raises(DomainError) as plain:
        oracle(parts)
    with pytest.raises(DomainError) as batched:
        log(tracker, parts)
    assert str(batched.value) == str(plain.value)
    assert getattr(batched.value, "index", None) == index
    assert tracker.store.head_position() == 0  # all or nothing


def test_one_logged_event_gives_the_plain_path_outcome(tracker: Tracker) -> None:
    first = chunks()[0]
    tracker.log([e for _, e in first], actor="test", event_ids=[i for i, _ in first])
    fix = f.event_corrected(target_event_id="d2", changes={"occurred": "2022-03"})
    [logged] = tracker.log([fix], actor="test", event_ids=["fix"])
    expected = oracle([first, [("fix", fix)]])
    assert (logged.stream_id, logged.position, logged.existed) == (SIGN, 5, False)
    assert fold(to_domain(r) for r in tracker.store.read_all()) == expected.lookup.states
    [again] = tracker.log([fix], actor="test", event_ids=["fix"])
    assert (again.position, again.existed) == (5, True)


# --- running totals reused ---------------------------------------------------------------


def fact(n: int, quantity: int | None, occurred: str, cumulative: int | None = None) -> Fact:
    event = f.delivery_recorded(quantity=quantity, cumulative_total=cumulative, occurred=occurred)
    return Fact(event_id=f"e{n}", position=n, event=event)


def test_a_tuple_seen_again_gives_the_steps_of_a_fresh_sort() -> None:
    grown: tuple[Fact, ...] = ()
    items = [(2, "2022"), (3, "2021"), (None, "2023"), (1, "2023-02"), (4, "2020")]
    for n, (quantity, occurred) in enumerate(items, 1):
        cumulative = 12 if quantity is None else None
        grown = (*grown, fact(n, quantity, occurred, cumulative))
        first = running_totals(grown)
        first.clear()  # a caller's list is its own: the memo is not changed through it
        again = running_totals(grown)
        assert again == running_totals(list(grown))  # a list is never remembered: sorted
        assert running_totals(grown) == again


# --- the checks every event gets ----------------------------------------------------------


def plain_world_dates(event: DomainEvent) -> None:
    """The check as it was, over every field (the oracle for the narrowed one)."""
    for name in type(event).model_fields:
        value = getattr(event, name)
        if isinstance(value, FuzzyDate) and value.is_relative:
            if name == "due" and type(event).__name__ == "ScheduleRevised":
                continue
            raise DomainError(
                f"{name} of {event.type} cannot be relative ('{value}'): a date relative to"
                " another event is allowed only as a milestone's due date"
            )
        if isinstance(value, FuzzyDate) and value.is_unknown and name != "occurred":
            raise DomainError(f"{name} of {event.type} cannot be 'unknown'")


EVENTS = [
    f.contract_signed(),
    f.contract_amended(quantity=6),
    f.contract_cancelled(),
    f.figure_reported(),
    f.delivery_scheduled(),
    f.schedule_revised(),
    f.delivery_recorded(),
    f.jv_established(),
    f.production_recorded(),
    f.agreement_signed(),
    f.agreement_extended(),
    f.note_recorded(),
    f.event_corrected(),
    f.event_retracted(),
]


def outcome(check: Any, event: DomainEvent) -> str | None:
    try:
        check(event)
    except DomainError as e:
        return str(e)
    return None


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e.type)
@pytest.mark.parametrize("when", ["+24 months after signing", "unknown", "2021-03"])
def test_the_date_check_says_what_the_check_over_every_field_says(
    event: DomainEvent, when: str
) -> None:
    tried = 0
    for name in type(event).model_fields:
        try:
            # Only an event that validates can reach the rules (a tuple of sources is never
            # a date, though a copy made without validation could hold one).
            changed = type(event).model_validate({**event.model_dump(), name: when})
        except ValidationError:
            continue
        tried += 1
        assert outcome(world_dates, changed) == outcome(plain_world_dates, changed), name
    assert tried


def test_a_link_is_judged_alike_however_often_it_is_seen() -> None:
    for url in ["https://www.sipri.org/x", "ftp://example.org/y", "not a link"]:
        event = f.contract_signed(sources=[f.source(url=url)])
        expected = link_problem(url, "Source url")
        for _ in range(2):
            assert outcome(linked, event) == expected


def test_remembered_milestones_are_those_worked_out_afresh() -> None:
    from tests.unit.s400 import s400_log
    from tracker.domain.figures import contracts
    from tracker.domain.state.state import ContractState

    log = s400_log(TODAY)
    log.append(f.schedule_revised(milestone="squadron 5", due="by 2027"))
    seen = 0
    lookup = Log(TODAY).lookup
    for rec in log.records:
        lookup.add(rec)
        state = lookup.state(SIGN)
        if not isinstance(state, ContractState):
            continue
        first = contracts.milestones(state)
        first.clear()  # the caller's own list
        for _ in range(2):
            assert contracts.milestones(state) == contracts._milestones(state, None)
        seen += bool(state.schedules)
    assert seen > 2

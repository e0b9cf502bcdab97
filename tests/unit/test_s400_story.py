"""The real S-400 story (domain-facts.md, A.1-A.3) folded and read as a person would."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.unit.s400 import s400_log
from tracker.domain.state.fold import fold
from tracker.domain.state.state import ContractState
from tracker.domain.values.money import Money
from tracker.domain.views import contract_status, schedule, timeline_entries

STREAM = "contract:s400-india-2018"


def _state(today: date = date(2026, 1, 15)) -> ContractState:
    state = s400_log(today).state(STREAM)
    assert isinstance(state, ContractState)
    return state


def test_three_of_five_squadrons_are_delivered() -> None:
    status = contract_status(_state(), None, date(2026, 1, 15))
    assert (status.ordered, status.delivered, status.remaining) == (5, 3, 2)
    assert (status.unit, status.percent, status.state) == (
        "squadron",
        Decimal("60.0"),
        "delivering",
    )
    assert str(status.last_delivery) == "2023"
    assert status.next_milestone is not None
    assert (status.next_milestone.label, str(status.next_milestone.due)) == ("squadron 4", "2026")


def test_every_reported_value_is_kept_with_its_number_of_sources() -> None:
    status = contract_status(_state(), None, date(2026, 1, 15))
    assert status.value == Money.parse("USD 5bn")
    assert [(r.value.human(), r.sources) for r in status.value_reports] == [
        ("INR 400 bn", 1),
        ("USD 5 bn", 2),
        ("USD 5.43 bn", 2),
        ("USD 5.5 bn", 1),
    ]
    ranges = {k: (v.min.human(), v.max.human()) for k, v in status.value_range.items()}
    assert ranges == {"INR": ("INR 400 bn", "INR 400 bn"), "USD": ("USD 5 bn", "USD 5.5 bn")}


def test_in_january_2026_the_last_two_squadrons_are_not_yet_due() -> None:
    view = schedule(_state(), date(2026, 1, 15))
    assert [(m.label, m.state, m.slip_words) for m in view.milestones] == [
        ("squadron 1", "on time", "on time"),
        ("squadron 2", "on time", "on time"),
        ("squadron 3", "on time", "on time"),
        ("squadron 4", "pending", "due in 11 months"),
        ("squadron 5", "pending", "due in 1 year 11 months"),
    ]
    assert [m.moved_words for m in view.milestones[3:]] == [
        "3 years later than first planned",
        "4 years later than first planned",
    ]


def test_in_march_2028_the_last_two_squadrons_are_overdue() -> None:
    view = schedule(_state(), date(2028, 3, 1))
    late = {m.label: (m.state, m.slip_days, m.slip_words) for m in view.milestones[3:]}
    assert late == {
        "squadron 4": ("overdue", 426, "1 year 2 months overdue"),
        "squadron 5": ("overdue", 61, "2 months overdue"),
    }


def test_delivered_squadrons_show_when_they_arrived() -> None:
    view = schedule(_state(), date(2026, 1, 15))
    arrived = [(m.label, str(m.delivered), m.delivered_quantity) for m in view.milestones[:3]]
    assert arrived == [
        ("squadron 1", "2021-12", 1),
        ("squadron 2", "2022", 1),
        ("squadron 3", "2023", 1),
    ]
    assert [m.delivered for m in view.milestones[3:]] == [None, None]


def test_the_fourth_squadron_keeps_the_history_of_its_due_dates() -> None:
    fourth = schedule(_state(), date(2026, 1, 15)).milestones[3]
    assert (str(fourth.original_due), str(fourth.due)) == ("by 2023", "2026")
    assert [(str(h.due), str(h.reported), h.reason) for h in fourth.history] == [
        ("by 2023", "2021-10-05", None),
        ("by 2024", "2023-03-23", "deliveries planned for 2023 now to complete by 2024"),
        ("by 2025", "2024-04-23", "new timeline: remaining two regiments by 2025"),
        ("2026", "2025-06-26", "Russia reaffirms remaining two by 2026-27"),
    ]


def test_as_of_new_year_2022_one_squadron_was_delivered_and_none_was_late() -> None:
    day = date(2022, 1, 1)
    known = [r for r in s400_log().records if r.event.occurred.certainly_by(day)]
    state = fold(known)[STREAM]
    assert isinstance(state, ContractState)
    status = contract_status(state, None, day)
    assert (status.ordered, status.delivered, status.remaining) == (5, 1, 4)
    states = [m.state for m in schedule(state, day).milestones]
    assert states == ["on time", "pending", "pending", "pending", "pending"]


def test_the_timeline_tells_the_story_in_world_date_order() -> None:
    entries = timeline_entries(s400_log().records)
    lines = [(str(e.date), e.summary) for e in entries if e.type != "FigureReported"]
    assert lines[:5] == [
        (
            "2018-10-05",
            "Contract s400-india-2018 signed: India buys 5 squadrons of S-400 Triumf (SAM system)"
            " from Russia for USD 5 bn",
        ),
        (
            "2021-10-05",
            "Schedule for s400-india-2018: squadron 1: 1 due by end 2023;"
            " squadron 2: 1 due by end 2023; squadron 3: 1 due by end 2023;"
            " squadron 4: 1 due by end 2023; squadron 5: 1 due by end 2023",
        ),
        ("2021-12", "Delivered 1 squadron (squadron 1) under s400-india-2018"),
        ("2022", "Delivered 1 squadron (squadron 2) under s400-india-2018"),
        ("2023", "Delivered 1 squadron (squadron 3) under s400-india-2018"),
    ]
    assert lines[-1] == (
        "2025-06-26",
        "squadron 5 of s400-india-2018 now due 2027: Russia reaffirms remaining two by 2026-27",
    )

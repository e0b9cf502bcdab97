"""The seeds load through the write path, are idempotent, and state what domain-facts.md says."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.errors import TrackerError
from tracker.service.app import Tracker
from tracker.store.verify import verify

TODAY = date(2026, 11, 24)


@pytest.fixture
def seeded(tracker: Tracker) -> Tracker:
    tracker.today = lambda: TODAY
    tracker.seed()
    return tracker


def by_ref(tracker: Tracker, **kw):
    return {s.ref: s for s in tracker.status(**kw)}


def test_seeds_load_once_and_a_second_load_appends_nothing(tracker: Tracker):
    first = tracker.seed()
    head = tracker.store.head_position()
    again = tracker.seed()
    assert [n for n, _, _ in first] == ["mtc-2021-2031", "s400", "ak203", "caatsa"]
    assert all(read == new for _, read, new in first)
    assert all(new == 0 for _, _, new in again)
    assert tracker.store.head_position() == head
    assert verify(tracker.store).ok


def test_every_seeded_event_cites_a_source(seeded: Tracker):
    for e in seeded.store.read_all():
        assert e.metadata["sources"], e.event_id
        assert e.metadata["actor"] == "seed"


def test_s400_status_is_three_of_five_squadrons(seeded: Tracker):
    s400 = by_ref(seeded)["s400-india-2018"]
    assert (s400.ordered, s400.delivered, s400.remaining, s400.unit) == (5, 3, 2, "squadron")
    assert s400.state == "delivering"
    assert str(s400.last_delivery) == "2023"
    assert s400.next_milestone is not None and s400.next_milestone.label == "squadron 4"
    usd = {str(r.value.amount): r.sources for r in s400.value_reports if r.value.currency == "USD"}
    assert usd == {
        "5000000000": 4,
        "5430000000": 2,
        "5500000000": 3,
        "5400000000": 1,
        "4500000000": 1,
    }


def test_s400_schedule_shows_the_fourth_squadron_overdue_after_six_revisions(seeded: Tracker):
    milestones = {m.label: m for m in seeded.schedule("s400-india-2018").milestones}
    assert [milestones[f"squadron {i}"].state for i in range(1, 6)] == [
        "on time",
        "on time",
        "on time",
        "overdue",
        "pending",
    ]
    fourth = milestones["squadron 4"]
    # The 2018 "by 2020" plan (Dawn) is logged last in the seed file but comes first.
    assert [str(h.due) for h in fourth.history] == [
        "by 2020",
        "by 2023",
        "by 2024",
        "by 2025",
        "2026-03",
        "2026",
        "by 2026-05",
    ]
    assert fourth.slip_words == "5 months overdue"
    assert [str(h.due) for h in milestones["squadron 5"].history] == [
        "by 2020",
        "by 2023",
        "by 2024",
        "by 2025",
        "2026-10",
        "2027",
    ]


def test_as_of_the_first_delivery_one_squadron_is_in_and_none_is_late(seeded: Tracker):
    s400 = by_ref(seeded, as_of=date(2022, 1, 1))["s400-india-2018"]
    assert (s400.delivered, s400.remaining) == (1, 4)
    states = [
        m.state for m in seeded.schedule("s400-india-2018", as_of=date(2022, 1, 1)).milestones
    ]
    assert states == ["on time", "pending", "pending", "pending", "pending"]


def test_as_of_2021_the_2018_plan_had_slipped_and_all_five_were_overdue(seeded: Tracker):
    # On 1 Jan 2021 only the 2018 promise (all five by 2020) was known; none had arrived.
    view = seeded.schedule("s400-india-2018", as_of=date(2021, 1, 1))
    assert [(str(m.due), m.state) for m in view.milestones] == [("by 2020", "overdue")] * 5


def test_on_2024_04_30_the_fourth_squadron_was_expected_by_2025(seeded: Tracker):
    view = seeded.schedule("s400-india-2018", as_of=date(2024, 4, 30))
    fourth = next(m for m in view.milestones if m.label == "squadron 4")
    assert (str(fourth.due), fourth.state) == ("by 2025", "pending")


def test_ak203_counts_handovers_and_production_from_cumulative_reports(seeded: Tracker):
    ak = by_ref(seeded)["ak203-india-2021"]
    # "about 48,000" (Aaj Tak, 15 Aug 2025) counts as its best value, 48,000.
    assert (ak.ordered, ak.delivered, ak.produced, ak.remaining) == (601427, 48000, 48000, 553427)
    [irrpl] = seeded.production("irrpl")
    [output] = irrpl.contracts
    assert output.cumulative == 48000 and str(output.indigenisation_percent) == "50"


def test_the_off_the_shelf_rifles_are_completed(seeded: Tracker):
    emergency = by_ref(seeded)["ak200-india-2021-emergency"]
    assert (emergency.delivered, emergency.state) == (70000, "completed")


def test_the_cooperation_programme_runs_2021_to_2031(seeded: Tracker):
    [mtc] = seeded.agreements()
    assert (str(mtc.valid_from), str(mtc.valid_to), mtc.state) == ("2021", "2031", "in force")


def test_an_unknown_seed_is_named(tracker: Tracker):
    with pytest.raises(TrackerError, match="No seed 'nope'"):
        tracker.seed(["nope"])

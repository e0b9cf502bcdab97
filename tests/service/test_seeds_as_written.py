"""The seeds store the record as its sources wrote it: no invented date or number (issue 13).

Every expected value is typed here from ../shared/domain-facts.md (the row is named beside
it), not read back from the tracker; events are found by the seed ids they were given.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tracker.importers.eventfile import ID_NAMESPACE, read_event_file
from tracker.reports.model import timeline_of
from tracker.service.app import Tracker
from tracker.store.records import RecordedEvent

TODAY = date(2026, 11, 24)
SEEDS = Path(__file__).resolve().parents[2] / "seeds"
S400, AK = "s400-india-2018", "ak203-india-2021"


@pytest.fixture(scope="module")
def seeded(tracker_module: Tracker) -> Tracker:
    tracker_module.today = lambda: TODAY
    tracker_module.seed()
    return tracker_module


@pytest.fixture(scope="module")
def tracker_module(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tracker]:
    # One seeded SQLite file for the module: these tests only read (test_seeds.py loads
    # the seeds on both engines).
    t = Tracker.open(str(tmp_path_factory.mktemp("as-written") / "t.db"), create=True)
    t.init()
    yield t
    t.close()


def stored(tracker: Tracker, seed: str, key: str) -> RecordedEvent:
    """The event a seed file logged under ``id: key``."""
    event_id = str(uuid.uuid5(ID_NAMESPACE, f"seed:{seed}/{key}"))
    [found] = [e for e in tracker.store.read_all() if e.event_id == event_id]
    return found


def fields(event: RecordedEvent) -> dict[str, Any]:
    return {k: v for k, v in event.payload.items() if k != "sources"}


# --- A.3: the undated ANI report ---------------------------------------------------------


def test_the_undated_ani_report_is_stored_undated_with_no_day_made_up(seeded: Tracker):
    ani = stored(seeded, "s400", "ani-last-two-by-august-2026")
    assert ani.occurred.is_unknown
    # domain-facts A.3: "PLANNED; page date not stored", so nothing bounds it.
    assert [s.get("published") for s in ani.metadata["sources"]] == [None]
    assert ani.occurred.earliest is None and ani.occurred.latest == date.max
    rk = stored(seeded, "s400", "rk-singh-june-november-2026")
    assert rk.occurred.is_unknown


def test_undated_reports_stand_after_every_dated_one_and_move_no_due_date(seeded: Tracker):
    [section] = timeline_of(seeded, [S400]).sections
    ani = stored(seeded, "s400", "ani-last-two-by-august-2026").event_id
    entries = [line.entry for line in section.lines]
    order = [e.event_id for e in entries]
    dated = [e for e in entries if not e.date.is_unknown]
    assert order.index(ani) > max(order.index(e.event_id) for e in dated)
    # The latest dated reports (A.3, Jan 2026): 4th by end May 2026, 5th in 2027.
    dues = {m.label: str(m.due) for m in seeded.schedule(S400).milestones}
    assert (dues["squadron 4"], dues["squadron 5"]) == ("by 2026-05", "2027")


# --- A.1: the 2018 "by 2020" plan, found after the revisions -------------------------------


def test_the_2018_plan_is_logged_after_the_revisions_and_still_comes_first(seeded: Tracker):
    records = read_event_file(SEEDS / "s400.yaml", namespace="seed:s400")
    first = stored(seeded, "s400", "first-plan-2018")
    [line] = [r.line for r in records if r.event_id == first.event_id]
    revisions = [r.line for r in records if type(r.event).__name__ == "ScheduleRevised"]
    assert len(revisions) == 9 and line > max(revisions)  # entered after every revision
    assert str(first.occurred) == "2018-10-05"  # Dawn, 5 Oct 2018: "by 2020"
    assert [m["due"] for m in fields(first)["milestones"]] == ["by 2020"] * 5
    for m in seeded.schedule(S400).milestones:
        assert (str(m.history[0].due), str(m.history[0].reported)) == ("by 2020", "2018-10-05")
    view = {m.label: m for m in seeded.schedule(S400).milestones}
    assert [view[f"squadron {n}"].state for n in range(1, 6)] == [
        "on time",
        "on time",
        "on time",
        "overdue",  # by end May 2026; 24 Nov 2026 is past it
        "pending",
    ]


# --- B.2 and B.3: AK-203 schedule, first batch, ~48,000 and the plan -------------------------


def test_seventy_thousand_within_32_months_of_the_start_is_a_relative_due_date(seeded: Tracker):
    schedule = fields(stored(seeded, "ak203", "schedule-from-production-start"))
    assert schedule["milestones"] == [
        {"label": "first 70000", "quantity": 70000, "due": "+32 months after production start"},
        {
            "label": "remaining 531427",
            "quantity": 531427,
            "due": "+128 months after production start",
        },
    ]
    history = {m.label: m.history for m in seeded.schedule(AK).milestones}
    # Production started with the first batch on 17 Jan 2023: 32 months on is 17 Sep 2025,
    # 128 months on 17 Sep 2033; October 2032 was given on 19 Jul 2025 (HT Lucknow).
    first, remaining = history["first 70000"], history["remaining 531427"]
    assert first[0].due.latest == date(2025, 9, 17)
    assert str(first[-1].due) == "by 2025-12-31"
    assert remaining[0].due.latest == date(2033, 9, 17)
    assert (str(remaining[-1].due), str(remaining[-1].reported)) == ("2032-10", "2025-07-19")


def test_the_first_batch_is_production_of_unknown_size_on_17_january_2023(seeded: Tracker):
    batch = stored(seeded, "ak203", "first-batch-produced")
    assert str(batch.occurred) == "2023-01-17"
    assert fields(batch) | {"confidence": None} == {
        "joint_venture": "irrpl",
        "contract": AK,
        "quantity": None,
        "cumulative_total": None,
        "indigenisation_percent": None,
        "estimates": {},
        "size_unknown": True,
        "confidence": None,
    }
    [irrpl] = seeded.production("irrpl")
    [made] = irrpl.contracts
    assert str(made.production_started) == "2023-01-17"


@pytest.mark.parametrize("key", ["produced-about-48000", "handover-about-48000"])
def test_about_48000_keeps_its_words_and_has_no_stated_bounds(seeded: Tracker, key: str):
    # Aaj Tak, 15 Aug 2025: "about 48,000" received so far.
    report = stored(seeded, "ak203", key)
    assert str(report.occurred) == "2025-08-15"
    assert report.payload["cumulative_total"] == 48000
    assert report.payload["estimates"] == {
        "cumulative_total": {"best": 48000, "low": None, "high": None, "as_written": "about 48,000"}
    }


def test_irrpl_plans_12000_a_month_from_2026_and_the_order_by_october_2032(seeded: Tracker):
    plan = stored(seeded, "ak203", "plan-12000-a-month")
    assert str(plan.occurred) == "2025-07-19"
    assert fields(plan) == {
        "joint_venture": "irrpl",
        "contract": AK,
        "rate_per_month": 12000,
        "rate_from": "2026",
        "due": "2032-10",
        "quantity": None,
        "estimates": {},
        "confidence": "planned",
    }
    published = {s["publisher"]: s.get("published") for s in plan.metadata["sources"]}
    assert published["HT Lucknow (htsyndication)"] == "2025-07-19"
    assert published["Aaj Tak"] == "2025-08-15"
    [irrpl] = seeded.production("irrpl")
    [made] = irrpl.contracts
    assert (made.planned_rate_per_month, str(made.deadline), made.target) == (
        12000,
        "2032-10",
        601427,
    )


# --- money as the sources printed it ----------------------------------------------------------


@pytest.mark.parametrize(
    ("seed", "key", "amount", "currency"),
    [
        ("s400", "signed", "5000000000", "USD"),  # "$5 billion" (NDTV, PTI, AP, Dawn)
        ("s400", "value-5.43bn-undated", "5430000000", "USD"),  # "$5.43 billion"
        ("s400", "value-inr-35000-crore", "350000000000", "INR"),  # "Rs 35,000 crore"
        ("s400", "value-sipri", "390000000000", "INR"),  # SIPRI: "INR390 b"
        ("ak203", "contract", "51000000000", "INR"),  # "₹5,100 crore" (HT)
        ("ak203", "value-5124-crore", "51240000000", "INR"),  # "₹5,124 crore" (Livemint)
        ("ak203", "value-671m", "671000000", "USD"),  # "$671 million" (The Defense Post)
        ("ak203", "value-5200-crore", "52000000000", "INR"),  # "Rs 5,200 crore" (HT Lucknow)
    ],
)
def test_money_written_as_printed_is_stored_exactly(
    seeded: Tracker, seed: str, key: str, amount: str, currency: str
):
    value = stored(seeded, seed, key).payload["value"]
    assert (Decimal(value["amount"]), value["currency"]) == (Decimal(amount), currency)


def test_the_s400_record_reads_three_of_five_and_the_ak203_about_48000_of_601427(
    seeded: Tracker,
):
    status = {s.ref: s for s in seeded.status()}
    s400, ak = status[S400], status[AK]
    assert (s400.ordered, s400.delivered, s400.remaining) == (5, 3, 2)
    assert (ak.ordered, ak.delivered, ak.produced) == (601427, 48000, 48000)

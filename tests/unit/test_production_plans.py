"""Production plans and pace: plans never count; rates, projections and per-year spreading.

Every expected number is worked out by hand in the test (day counts written out), never
taken from the code under test.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import pytest

from tests.unit import factories as f
from tests.unit.factories import Log
from tracker.domain.events.catalogue import ProductionPlanned
from tracker.domain.events.codec import decode, encode
from tracker.domain.state.state import ContractState, JointVentureState
from tracker.domain.values.dates import FuzzyDate
from tracker.domain.views import contract_status_with, production
from tracker.domain.views import production_pace as pace
from tracker.domain.views.summaries import summary
from tracker.errors import DomainError, InvalidInputError

MONTH = Fraction("30.436875")  # the mean Gregorian month, in days
AK = "ak203-india-2021"
ORDERED = 601427


def plan(**overrides: Any) -> ProductionPlanned:
    fields: dict[str, Any] = {
        "occurred": "2025-07-19",
        "joint_venture": "irrpl",
        "contract": AK,
        "rate_per_month": 12000,
        "rate_from": "2026-01",
        "due": "2032-10",
        "confidence": "planned",
        "sources": (f.source(),),
    }
    return ProductionPlanned(**(fields | overrides))


def ak203(today: date = date(2026, 1, 15)) -> Log:
    """The AK-203 record as the seeds hold it: first batch 17 Jan 2023, then three reports."""
    log = Log(today=today)
    log.append(f.jv_established())
    log.append(f.ak203_signed())
    log.append(
        f.note_recorded(
            subject="jv:irrpl", occurred="2023-01-17", text="First batch", tags=("production",)
        )
    )
    log.append(f.production_recorded(occurred="2024-07-06", cumulative_total=35000))
    log.append(f.production_recorded(occurred="2025-07-18", cumulative_total=47516))
    log.append(f.production_recorded(occurred="2025-08-15", cumulative_total=48000))
    return log


def rifles(log: Log, today: date = date(2026, 1, 15)) -> Any:
    jv = log.state("jv:irrpl")
    assert isinstance(jv, JointVentureState)
    [made] = production(jv, {AK: ORDERED}, today).contracts
    return made


# --- the event --------------------------------------------------------------------------


def test_a_plan_round_trips_through_the_codec_and_goes_to_the_jv_stream() -> None:
    event = plan()
    parts = encode(event)
    assert decode(parts.event_type, 1, parts.occurred, parts.payload, parts.sources) == event
    assert event.stream() == "jv:irrpl"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"rate_per_month": None, "rate_from": None, "due": None}, "give a rate_per_month"),
        ({"rate_per_month": None}, "rate_from needs a rate_per_month"),
        ({"due": None, "quantity": 70000}, "quantity needs a due date"),
        ({"rate_per_month": 0}, "must be a positive whole number"),
    ],
)
def test_a_plan_that_says_nothing_or_half_a_thing_is_refused(
    fields: dict[str, Any], message: str
) -> None:
    from tracker.domain.events.catalogue import build_event

    data = plan().model_dump() | fields
    with pytest.raises(InvalidInputError, match=message):
        build_event("ProductionPlanned", data)


def test_a_plan_needs_an_existing_joint_venture_and_contract() -> None:
    log = Log()
    with pytest.raises(DomainError, match="No joint venture 'irrpl'"):
        log.append(plan())
    log.append(f.jv_established())
    with pytest.raises(DomainError, match=f"No contract '{AK}'"):
        log.append(plan())


def test_a_plan_is_summarised_in_words() -> None:
    assert summary(plan(), {AK: "rifle"}) == (
        f"irrpl plans 12,000 rifles a month from Jan 2026 and the whole order by Oct 2032 for {AK}"
    )


# --- plans never count ------------------------------------------------------------------


def test_a_planned_production_report_leaves_made_unchanged() -> None:
    log = ak203()
    log.append(
        f.production_recorded(occurred="2025-09", cumulative_total=60000, confidence="planned")
    )
    assert rifles(log).cumulative == 48000
    contract = log.state(f"contract:{AK}")
    assert isinstance(contract, ContractState)
    status = contract_status_with(contract, [log.state("jv:irrpl")], date(2026, 1, 15))
    assert status.produced == 48000


def test_a_planned_delivery_leaves_delivered_and_remaining_unchanged() -> None:
    log = Log()
    log.append(f.contract_signed())
    log.append(f.delivery_recorded(occurred="2021-12", quantity=1, label="squadron 1"))
    log.append(
        f.delivery_recorded(occurred="2022-02", quantity=1, label=None, confidence="planned")
    )
    state = log.state()
    status = contract_status_with(state, [], date(2026, 1, 15))
    assert (status.delivered, status.remaining, str(status.last_delivery)) == (1, 4, "2021-12")


def test_a_retracted_or_corrected_plan_stops_counting_as_a_plan() -> None:
    log = ak203()
    first = log.append(plan())
    log.append(f.event_retracted(target_event_id=first.event_id, occurred="2025-08"))
    assert rifles(log).planned_rate_per_month is None
    second = log.append(plan(occurred="2025-07-20"))
    log.append(
        f.event_corrected(
            target_event_id=second.event_id, changes={"rate_per_month": 10000}, occurred="2025-08"
        )
    )
    assert rifles(log).planned_rate_per_month == 10000


# --- rates and projections, by hand -----------------------------------------------------

# The recent rate runs from 6 Jul 2024 (35,000) to 15 Aug 2025 (48,000): 365 days to
# 6 Jul 2025, then 25 + 15 = 405 days; 13,000 rifles in 405 days.
RECENT = Fraction(13000, 405)


def test_the_recent_rate_is_measured_over_at_least_six_months() -> None:
    made = rifles(ak203())
    # 13,000 * 30.436875 / 405 = 976.98... -> 977
    assert made.rate_per_month == 977
    assert math.floor(RECENT * MONTH + Fraction(1, 2)) == 977


def test_at_the_recent_rate_the_order_is_done_in_2072() -> None:
    # 553,427 to go at 13,000 per 405 days: 17,241.4 days, so 17,242 whole days after
    # 15 Aug 2025. To 15 Aug 2072 is 47 years with 12 leap days (2028..2072): 17,167 days;
    # 75 more: 16 to 31 Aug, 30 in Sep, 29 in Oct.
    assert math.ceil(Fraction(553427) / RECENT) == 17242
    assert rifles(ak203()).projected_completion == date(2072, 10, 29)


def test_at_the_planned_rate_the_order_is_done_in_2029() -> None:
    log = ak203()
    log.append(plan())
    made = rifles(log)
    # 15 Aug 2025 to 1 Jan 2026 at the recent rate: 17 + 30 + 31 + 30 + 31 = 139 days.
    left = 553427 - RECENT * 139
    days = math.ceil(left / (Fraction(12000) / MONTH))
    assert days == 1393
    # 1 Jan 2026 + 365 + 365 + 366 = 1 Jan 2029; 297 days on: 273 to 1 Oct, then 24.
    assert made.projected_completion_at_plan == date(2029, 10, 25)
    assert (made.planned_rate_per_month, str(made.planned_from)) == (12000, "2026-01")


def test_the_rate_needed_counts_from_the_day_of_the_view_to_the_last_day_of_the_deadline() -> None:
    log = ak203()
    log.append(plan())
    made = rifles(log)
    # 15 Jan 2026 to 15 Jan 2032: 6 * 365 + 1 (29 Feb 2028) = 2,191 days; to 31 Oct 2032:
    # 16 + 29 + 31 + 30 + 31 + 30 + 31 + 31 + 30 + 31 = 290 more: 2,481 days.
    needed = Fraction(553427, 2481) * MONTH  # 6,789.4 a month, rounded up
    assert math.ceil(needed) == 6790
    assert (made.required_rate_per_month, str(made.deadline)) == (6790, "2032-10")
    assert made.verdict == "behind plan: needs 6,790 a month by Oct 2032, recent 977"


def test_the_verdict_is_on_track_when_the_recent_rate_is_enough() -> None:
    log = ak203()
    log.append(plan(rate_per_month=None, rate_from=None, due="2100"))
    # 15 Jan 2026 to 15 Jan 2100: 74 * 365 + 18 leap days (2028..2096) = 27,028 days; to
    # 31 Dec 2100, 350 more: 27,378. 553,427 in that time is 615.3 a month; 977 are made.
    assert math.ceil(Fraction(553427, 27378) * MONTH) == 616
    assert rifles(log).verdict == ("on track: needs 616 a month by 2100, recent 977")


def test_a_deadline_already_passed_is_said_plainly() -> None:
    log = ak203()
    log.append(plan(rate_per_month=None, rate_from=None, due="2025-12"))
    assert rifles(log).verdict == "past the deadline (Dec 2025) with 553,427 still to make"


def test_without_a_plan_there_is_no_deadline_to_judge_by() -> None:
    made = rifles(ak203())
    assert (made.verdict, made.required_rate_per_month, made.deadline) == (
        "no deadline logged",
        None,
        None,
    )


def test_a_later_plan_supersedes_an_earlier_one_from_its_own_start() -> None:
    log = ak203()
    log.append(plan(occurred="2024-01", rate_per_month=5000, rate_from="2025-01", due="2033"))
    log.append(plan(occurred="2025-07-19", rate_per_month=12000, rate_from="2026-01", due=None))
    made = rifles(log)
    assert [(str(p.start), p.per_month) for p in made.planned_rates] == [
        ("2025-01", 5000),
        ("2026-01", 12000),
    ]
    assert str(made.deadline) == "2033"  # the later plan gave no deadline: the earlier stands
    # From 15 Aug 2025 at 5,000 a month for 139 days, then 12,000 a month.
    left = 553427 - Fraction(5000) / MONTH * 139
    days = math.ceil(left / (Fraction(12000) / MONTH))
    assert made.projected_completion_at_plan == date(2026, 1, 1) + timedelta(days=days)
    # A plan from before both replaces them all.
    log.append(plan(occurred="2025-09", rate_per_month=3000, rate_from="2024", due=None))
    assert [(str(p.start), p.per_month) for p in rifles(log).planned_rates] == [("2024", 3000)]


def test_finish_at_plan_uses_nothing_before_the_plan_when_there_is_no_recent_rate() -> None:
    start = pace.Point(date(2026, 1, 1), 0)
    plans = [pace.RatePlan(date(2026, 3, 1), 30, FuzzyDate.parse("2026-03"))]
    # Nothing in Jan and Feb (59 days); then 30 a month: 300 take 10 months of 30.436875
    # days = 304.36875, so 305 days after 1 Mar 2026 = 31 Dec 2026.
    assert pace.finish_at_plan(start, 300, plans, None) == date(2026, 12, 31)


# --- per-year output --------------------------------------------------------------------


def test_a_cumulative_report_is_spread_over_the_days_since_the_report_before_it() -> None:
    made = rifles(ak203())
    assert str(made.production_started) == "2023-01-17"
    # 35,000 over 17 Jan 2023 - 6 Jul 2024 (536 days): 348 in 2023, 188 in 2024.
    #   22,723.88 + 12,276.12: the spare rifle goes to the larger remainder (2023).
    # 12,516 over 6 Jul 2024 - 18 Jul 2025 (377 days): 178 in 2024, 199 in 2025.
    #   5,909.41 + 6,606.59: the spare goes to 2025.
    # 484 in 2025.
    assert made.by_year == {2023: 22724, 2024: 12276 + 5909, 2025: 6607 + 484}
    assert sum(made.by_year.values()) == 48000


def test_without_a_known_start_the_first_report_stays_in_its_own_year() -> None:
    points = [pace.Point(date(2024, 7, 6), 35000), pace.Point(date(2025, 1, 5), 36000)]
    # 1,000 over 183 days: 178 in 2024 (972.68 -> 973 by the larger remainder), 5 in 2025.
    assert pace.spread_by_year(points) == {2024: 35000 + 973, 2025: 27}

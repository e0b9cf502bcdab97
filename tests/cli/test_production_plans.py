"""`tracker production` with the AK-203 record and its plan; plans never count as made.

The seeds hold IRRPL's plan (HT Lucknow, 19 Jul 2025): 12,000 rifles a month from 2026, the
whole order due in October 2032; and the last report, "about 48,000" on 15 Aug 2025 (Aaj Tak).

The figures are worked out by hand here (day counts written out), independently of the code;
tests/unit/test_production_plans.py holds the same arithmetic at more length.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Cli, text

AK = "ak203-india-2021"
SRC = ("--source", "https://www.htsyndication.com/ht-lucknow/article/amethi-unit")
PLAN = (
    "log", "production-plan", "irrpl", "--contract", AK, "--rate-per-month", "12,000",
    "--rate-from", "2026-01", "--due", "2032-10", "--occurred", "2025-07-19",
    "--confidence", "planned", *SRC,
)  # fmt: skip
MONTH = Fraction("30.436875")  # days in the mean Gregorian month
LEFT = 601427 - 48000  # 553,427 to make after the last report, about 48,000 on 15 Aug 2025
# 6 Jul 2024 (35,000) to 15 Aug 2025 (48,000): 365 + 25 + 15 = 405 days.
RECENT = Fraction(48000 - 35000, 405)
# 15 Aug 2025 to 1 Jan 2026 (the plan's start, "2026"): 17 + 30 + 31 + 30 + 31 = 139 days.
TO_PLAN = 139
# 15 Jan 2026 (today in these tests) to 31 Oct 2032: 6 * 365 + 1 + 290 = 2,481 days.
TO_DEADLINE = 2481
PLAN_POSITION = "55"  # the seeded plan: 3 mtc + 30 s400 events, then the 22nd of ak203


@pytest.fixture
def seeded(run: Cli) -> Cli:
    run.ok("seed")
    return run


def rifles(run: Cli, *args: str) -> dict[str, Any]:
    [view] = json.loads(run.ok("production", "irrpl", "--format", "json", *args))
    [made] = view["contracts"]
    return dict(made)


def test_production_weighs_the_ak203_output_against_the_plan_and_the_deadline(
    seeded: Cli,
) -> None:
    made = rifles(seeded)
    recent = math.floor(RECENT * MONTH + Fraction(1, 2))  # 976.98 -> 977
    needed = math.ceil(Fraction(LEFT, TO_DEADLINE) * MONTH)  # 6,789.4 -> 6,790
    # At the recent rate: ceil(553,427 / (13,000 / 405)) = 17,242 days after 15 Aug 2025.
    at_recent = date(2025, 8, 15) + timedelta(days=math.ceil(LEFT / RECENT))
    # At the plan: the recent rate until 1 Jan 2026, then 12,000 a month.
    per_day = Fraction(12000) / MONTH
    at_plan = date(2026, 1, 1) + timedelta(days=math.ceil((LEFT - RECENT * TO_PLAN) / per_day))
    assert (recent, needed, at_recent, at_plan) == (
        977,
        6790,
        date(2072, 10, 29),
        date(2029, 10, 25),
    )
    assert {
        k: made[k]
        for k in (
            "cumulative", "target", "rate_per_month", "planned_rate_per_month",
            "required_rate_per_month", "projected_completion", "projected_completion_at_plan",
            "deadline", "last_report", "days_since_last_report", "planned_from",
            "cumulative_estimate",
        )
    } == {
        "cumulative": 48000,
        "target": 601427,
        "rate_per_month": recent,
        "planned_rate_per_month": 12000,
        "required_rate_per_month": needed,
        "projected_completion": at_recent.isoformat(),
        "projected_completion_at_plan": at_plan.isoformat(),
        "deadline": "2032-10",
        "last_report": "2025-08-15",
        "days_since_last_report": 153,  # 16 + 30 + 31 + 30 + 31 + 15
        "planned_from": "2026",
        "cumulative_estimate": {
            "best": 48000, "low": None, "high": None, "as_written": "about 48,000",
        },
    }  # fmt: skip
    assert made["verdict"] == "behind plan: needs 6,790 a month by Oct 2032, recent 977"


def test_the_production_table_pairs_each_rate_with_the_completion_it_gives(seeded: Cli) -> None:
    assert seeded.ok("production") == text(
        "Production as of 15 Jan 2026",
        "Contract                 Made        Per month   Last report    Done by",
        "─" * 76,
        "ak203-india-2021        about       977 recent   15 Aug 2025    29 Oct 2072",
        "irrpl                  48,000   12,000 planned   5 months ago   25 Oct 2029",
        "                   of 601,427     6,790 needed                  due Oct 2032",
        "                    50% local",
        "",
        "ak203-india-2021: behind plan: needs 6,790 a month by Oct 2032, recent 977",
    )


def test_without_a_plan_the_table_says_so_and_rates_are_whole_numbers(seeded: Cli) -> None:
    seeded.ok("log", "retract", PLAN_POSITION, "--reason", "withdrawn", *SRC)
    out = seeded.ok("production", "--format", "md")
    assert out == text(
        "### Production as of 15 Jan 2026",
        "",
        "| Contract | Made | Per month | Last report | Done by |",
        "|---|---:|---:|---|---|",
        "| ak203-india-2021<br>irrpl | about 48,000<br>of 601,427<br>50% local"
        " | 977 recent<br>— planned<br>— needed | 15 Aug 2025<br>5 months ago"
        " | 29 Oct 2072<br>—<br>— |",
        "",
        "- ak203-india-2021: no deadline logged",
    )


def test_logging_a_plan_echoes_it_and_a_restated_plan_changes_no_figure(seeded: Cli) -> None:
    before = rifles(seeded)
    out = seeded.ok(*PLAN)
    # 65 seeded events; irrpl's stream holds nine of them.
    assert out.splitlines()[0] == (
        "Logged jv:irrpl v10 at position 66: irrpl plans 12,000 rifles a month from Jan 2026"
        f" and the whole order by Oct 2032 for {AK}"
    )
    after = rifles(seeded)
    assert {k: v for k, v in after.items() if k not in ("planned_from", "planned_rates")} == {
        k: v for k, v in before.items() if k not in ("planned_from", "planned_rates")
    }
    assert after["planned_from"] == "2026-01"


def test_per_year_output_spreads_each_report_over_the_time_since_the_one_before(
    seeded: Cli,
) -> None:
    made = rifles(seeded)
    # Production began with the first batch on 17 Jan 2023 (the seeds: size unknown).
    # 35,000 over 536 days to 6 Jul 2024: 348 in 2023 (22,723.9), 188 in 2024 (12,276.1).
    # 12,516 over 377 days to 18 Jul 2025: 178 in 2024 (5,909.4), 199 in 2025 (6,606.6).
    # 484 (to about 48,000) in 2025. Whole rifles: the spare one goes to the larger remainder.
    assert made["production_started"] == "2023-01-17"
    assert made["by_year"] == {"2023": 22724, "2024": 12276 + 5909, "2025": 6607 + 484}


def test_a_planned_production_report_leaves_made_unchanged(seeded: Cli) -> None:
    seeded.ok(
        "log", "production", "irrpl", "--contract", AK, "--cumulative-total", "60000",
        "--occurred", "2025-09", "--confidence", "planned", *SRC,
    )  # fmt: skip
    assert rifles(seeded)["cumulative"] == 48000
    [status] = json.loads(seeded.ok("status", AK, "--format", "json"))
    assert status["produced"] == 48000


def test_a_planned_delivery_leaves_delivered_and_remaining_unchanged(seeded: Cli) -> None:
    seeded.ok(
        "log", "delivery", AK, "--cumulative-total", "60000", "--occurred", "2025-09",
        "--confidence", "planned", *SRC,
    )  # fmt: skip
    [status] = json.loads(seeded.ok("status", AK, "--format", "json"))
    assert (status["delivered"], status["remaining"], status["last_delivery"]) == (
        48000,
        601427 - 48000,
        "2025-08-15",
    )


def test_a_plan_is_revised_by_correcting_it_and_withdrawn_by_retracting_it(seeded: Cli) -> None:
    seeded.ok(
        "log", "correct", PLAN_POSITION, "--set", "rate_per_month=10000", "--reason", "10,000", *SRC
    )
    assert rifles(seeded)["planned_rate_per_month"] == 10000
    seeded.ok("log", "retract", PLAN_POSITION, "--reason", "withdrawn", *SRC)
    made = rifles(seeded)
    assert (made["planned_rate_per_month"], made["deadline"], made["cumulative"]) == (
        None,
        None,
        48000,
    )


def test_a_plan_can_come_from_an_event_file(seeded: Cli, write: Callable[[str, str], Path]) -> None:
    path = write(
        "plan.yaml",
        "- kind: production-plan\n"
        "  joint_venture: irrpl\n"
        f"  contract: {AK}\n"
        "  rate_per_month: 12000\n"
        "  rate_from: 2026\n"
        "  due: 2032-10\n"
        "  occurred: 2025-07-19\n"
        "  sources: [https://example.org/plan]\n",
    )
    seeded.ok("log", "--file", str(path))
    made = rifles(seeded)
    assert (made["planned_from"], made["planned_rate_per_month"]) == ("2026", 12000)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--contract", "nope", "--due", "2030"), "Error: No contract 'nope'"),
        (
            ("--contract", AK, "--rate-from", "2026", "--due", "2030"),
            "Error: Invalid production plan: rate_from needs a rate_per_month",
        ),
    ],
)
def test_a_bad_plan_is_refused_and_nothing_is_written(
    seeded: Cli, args: tuple[str, ...], message: str
) -> None:
    before = seeded.log_json()
    err = seeded.fails("log", "production-plan", "irrpl", *args, "--occurred", "2025", *SRC)
    assert err == text(message)
    assert seeded.log_json() == before


def test_a_deadline_given_as_by_end_reads_once_as_by_in_the_verdict(seeded: Cli) -> None:
    seeded.ok(
        "log", "correct", PLAN_POSITION, "--set", "due=by end Oct 2032", "--reason", "as said", *SRC
    )
    verdict = rifles(seeded)["verdict"]
    assert "a month by end Oct 2032" in verdict
    assert "by by" not in verdict

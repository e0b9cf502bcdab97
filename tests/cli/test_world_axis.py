"""A correction moves an event on the world axis: `--as-of` judges it by its corrected date,
in both directions, while `--known-at` before the correction still shows the log as it was."""

from __future__ import annotations

import json
from typing import Any

from tests.cli.conftest import Cli, text
from tests.cli.story import REF, log_s400
from tests.cli.story_fixed import pravda_and_wrong_year

X = "x-2020"
CONTRACT = [
    "log", "contract", X, "--buyer", "India", "--seller", "Russia", "--system", "S-400",
    "--quantity", "2", "--unit", "squadron", "--occurred", "2020-01-01",
    "--source", "https://e.org/a",
]  # fmt: skip


def delivered_as_of(run: Cli, day: str, *more: str) -> tuple[int, str | None]:
    [status] = json.loads(run.ok("status", "--as-of", day, "--format", "json", *more))
    return status["delivered"], status["last_delivery"]


def log_moved_delivery(run: Cli, first: str, corrected: str) -> None:
    run.ok(*CONTRACT)
    run.ok("log", "delivery", X, "--quantity", "1", "--occurred", first,
           "--source", "https://e.org/b")  # fmt: skip
    run.ok("log", "correct", "2", "--set", f"occurred={corrected}", "--reason", "wrong year",
           "--source", "https://e.org/c")  # fmt: skip


def test_a_delivery_moved_later_is_not_there_before_its_corrected_date(
    run_on_each_engine: Cli,
) -> None:
    run = run_on_each_engine
    log_moved_delivery(run, "2021", "2023")
    assert delivered_as_of(run, "2021-12-31") == (0, None)
    assert delivered_as_of(run, "2022-12-31") == (0, None)
    assert delivered_as_of(run, "2023-12-31") == (1, "2023")


def test_a_delivery_moved_earlier_is_there_from_its_corrected_date(
    run_on_each_engine: Cli,
) -> None:
    run = run_on_each_engine
    log_moved_delivery(run, "2023", "2021")
    assert delivered_as_of(run, "2020-12-31") == (0, None)
    assert delivered_as_of(run, "2021-12-31") == (1, "2021")
    assert delivered_as_of(run, "2023-12-31") == (1, "2021")


def test_as_known_before_the_correction_the_old_date_stands(run: Cli) -> None:
    log_moved_delivery(run, "2021", "2023")
    events: list[dict[str, Any]] = json.loads(run.ok("events", "--format", "json"))
    before_fix = events[1]["recorded_at"]  # the delivery, as first logged
    assert delivered_as_of(run, "2021-12-31", "--known-at", before_fix) == (1, "2021")
    assert delivered_as_of(run, "2023-12-31", "--known-at", before_fix) == (1, "2021")


def test_a_contract_whose_signing_moved_later_is_absent_before_it(run: Cli) -> None:
    run.ok(*CONTRACT)
    run.ok("log", "correct", "1", "--set", "occurred=2020-06", "--reason", "signed in June",
           "--source", "https://e.org/c")  # fmt: skip
    assert json.loads(run.ok("status", "--as-of", "2020-03-31", "--format", "json")) == []
    [status] = json.loads(run.ok("status", "--as-of", "2020-06-30", "--format", "json"))
    assert status["signed"] == "2020-06"


def test_a_corrected_quantity_counts_at_the_corrected_date(run: Cli) -> None:
    log_moved_delivery(run, "2021", "2022")
    run.ok("log", "correct", "2", "--set", "quantity=2", "--reason", "two, not one",
           "--source", "https://e.org/d")  # fmt: skip
    assert delivered_as_of(run, "2021-12-31") == (0, None)
    assert delivered_as_of(run, "2022-12-31") == (2, "2022")


# --- the S-400 story with two mistakes, then their fixes (domain-facts.md A.2) ----------


def test_s400_as_of_new_year_2022_has_one_of_five_after_the_fixes(
    run_on_each_engine: Cli,
) -> None:
    run = run_on_each_engine
    pravda_and_wrong_year(run)
    [status] = json.loads(run.ok("status", "--as-of", "2022-01-01", "--format", "json"))
    # Only squadron 1 (Dec 2021) had arrived: squadron 2 came in 2022, Pravda was wrong.
    assert (status["ordered"], status["delivered"], status["remaining"]) == (5, 1, 4)
    assert status["last_delivery"] == "2021-12"


def test_s400_schedule_at_the_end_of_2021_shows_only_squadron_1_delivered(run: Cli) -> None:
    pravda_and_wrong_year(run)
    view = json.loads(run.ok("schedule", REF, "--as-of", "2021-12-31", "--format", "json"))
    delivered = [(m["label"], m["delivered"]) for m in view["milestones"] if m["delivered"]]
    assert delivered == [("squadron 1", "2021-12")]


def test_s400_fixed_views_equal_the_story_logged_right_first_time(run: Cli, tmp_path: Any) -> None:
    pravda_and_wrong_year(run)
    right = Cli(str(tmp_path / "right.db"))
    right.ok("init")
    log_s400(right)
    for day in ("2021-12-31", "2022-01-01", "2022-12-31", "2023-12-31", "2026-01-15"):
        for view in (["status"], ["schedule", REF, "--history"]):
            args = [*view, "--as-of", day]
            assert run.ok(*args) == right.ok(*args), args


# --- dates that straddle the day: a delivery dated by its year only (SIPRI's) -----------------

Y = "y-2020"


def log_year_deliveries(run: Cli) -> None:
    """4 ordered; 1 delivered in 2021, 2 in 2022 (the year only), 1 in March 2022."""
    run.ok(*[{X: Y, "2": "4"}.get(a, a) for a in CONTRACT])
    for quantity, when in (("1", "2021"), ("2", "2022"), ("1", "2022-03")):
        run.ok("log", "delivery", Y, "--quantity", quantity, "--occurred", when,
               "--source", f"https://e.org/{when}")  # fmt: skip


def test_a_delivery_dated_by_a_year_counts_as_possible_inside_that_year(
    run_on_each_engine: Cli,
) -> None:
    run = run_on_each_engine
    log_year_deliveries(run)
    [mid] = json.loads(run.ok("status", "--as-of", "2022-06-01", "--format", "json"))
    # Certain by 1 June: 2021's and March's. The two dated '2022' may have come after.
    assert (mid["delivered"], mid["delivered_possible"], mid["remaining"]) == (2, 4, 2)
    [start] = json.loads(run.ok("status", "--as-of", "2021-06-01", "--format", "json"))
    assert (start["delivered"], start["delivered_possible"]) == (0, 1)
    # Once the year is over nothing straddles: no 'possible' key at all.
    [end] = json.loads(run.ok("status", "--as-of", "2022-12-31", "--format", "json"))
    assert end["delivered"] == 4 and "delivered_possible" not in end
    [now] = json.loads(run.ok("status", "--format", "json"))
    assert "delivered_possible" not in now


def test_the_table_says_up_to_how_many_and_csv_has_a_column_as_of_a_day(run: Cli) -> None:
    log_year_deliveries(run)
    assert run.ok("status", "--as-of", "2022-06-01") == text(
        "Contracts as of 1 Jun 2022",
        "Contract         Delivered     State        Next due",
        "────────────────────────────────────────────────────",
        "y-2020           2 of 4        delivering   —",
        "India ← Russia   up to 4",
        "S-400            squadrons",
        "                 50%, 2 left",
    )
    header, row = run.ok("status", "--as-of", "2022-06-01", "--format", "csv").splitlines()
    assert header.endswith(",produced_estimate,delivered_possible")
    assert row.endswith(",2022-06-01,,,4")
    header, row = run.ok("status", "--as-of", "2022-12-31", "--format", "csv").splitlines()
    assert row.endswith(",2022-12-31,,,")
    assert "delivered_possible" not in run.ok("status", "--format", "csv")


def test_the_schedule_shows_a_year_that_straddles_the_day_as_pending(run: Cli) -> None:
    log_year_deliveries(run)
    view = json.loads(run.ok("schedule", Y, "--as-of", "2022-06-01", "--format", "json"))
    got = [
        (m["label"], m["quantity"], m["delivered_quantity"], m["state"], m["slip_words"])
        for m in view["milestones"]
    ]
    assert got == [
        ("2021", 1, 1, "on time", "delivered in the year"),
        ("2022", 3, 1, "pending", "2 may be after 1 Jun 2022"),
    ]
    view = json.loads(run.ok("schedule", Y, "--as-of", "2022-12-31", "--format", "json"))
    after = [(m["label"], m["quantity"], m["state"]) for m in view["milestones"]]
    assert after == [("2021", 1, "on time"), ("2022", 3, "on time")]

"""Approximate and unknown figures through the command line: stored as a best value with
bounds and the text as written, printed as written, summed with their bounds."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Cli, usage_error

AK = "ak203-india-2021"
SRC = ("--source", "https://example.org/report")
CONTRACT = (
    "log", "contract", AK, "--system", "AK-203", "--buyer", "India", "--seller", "Russia",
    "--quantity", "601427", "--unit", "rifles", "--occurred", "2021-12-06", *SRC,
)  # fmt: skip
JV = (
    "log", "jv", "irrpl", "--name", "Indo-Russia Rifles", "--partner", "India=50.5",
    "--partner", "Russia=49.5", "--occurred", "2019-02", *SRC,
)  # fmt: skip


@pytest.fixture
def ak(run: Cli) -> Cli:
    run.ok(*CONTRACT)
    run.ok(*JV)
    return run


def produce(*args: str) -> tuple[str, ...]:
    return ("log", "production", "irrpl", "--contract", AK, *args, *SRC)


def deliver(*args: str) -> tuple[str, ...]:
    return ("log", "delivery", AK, *args, *SRC)


def payload(run: Cli, position: int) -> dict[str, Any]:
    shown: dict[str, Any] = json.loads(run.ok("show", str(position), "--format", "json"))
    return dict(shown["payload"])


def made(run: Cli) -> dict[str, Any]:
    [view] = json.loads(run.ok("production", "irrpl", "--format", "json"))
    [contract] = view["contracts"]
    return dict(contract)


@pytest.mark.parametrize(
    ("typed", "best", "low", "high", "printed"),
    [
        ("~48,000", 48000, None, None, "~48,000"),
        ("about 48,000", 48000, None, None, "about 48,000"),
        ("around 48,000", 48000, None, None, "around 48,000"),
        ("over 500,000", 500000, 500000, None, "over 500,000"),
        ("more than 5 lakh", 500000, 500000, None, "more than 5 lakh"),
        ("over 5 lakh", 500000, 500000, None, "over 5 lakh"),
        ("under 500", 500, None, 500, "under 500"),
        ("up to 500", 500, None, 500, "up to 500"),
        ("5-6", 5, 5, 6, "5-6"),
    ],
)
def test_each_estimate_is_stored_with_its_bounds_and_shown_as_written(
    ak: Cli, typed: str, best: int, low: int | None, high: int | None, printed: str
) -> None:
    out = ak.ok(*produce("--cumulative-total", typed, "--occurred", "2025-08"))
    assert out.splitlines()[0] == (
        f"Logged jv:irrpl v2 at position 3: irrpl produced {printed} rifles in total for {AK}"
    )
    stored = payload(ak, 3)
    assert stored["cumulative_total"] == best
    assert stored["estimates"] == {
        "cumulative_total": {"best": best, "low": low, "high": high, "as_written": printed}
    }
    assert made(ak)["cumulative"] == best
    md = printed.replace("~", "\\~")  # Markdown escapes the tilde
    table = ak.ok("production", "irrpl", "--format", "md")
    assert f"| {md}<br>of 601,427 |" in table
    # --as-of folds the log; the read-model tables behind plain `status` hold no bounds yet.
    status = ak.ok("status", AK, "--as-of", "2026-01-15", "--format", "md")
    assert f"<br>{md} made |" in status


@pytest.mark.parametrize(
    ("typed", "best"), [("48000", 48000), ("6,01,427", 601427), ("5 lakh", 500000)]
)
def test_exact_forms_are_stored_as_plain_numbers(ak: Cli, typed: str, best: int) -> None:
    ak.ok(*produce("--cumulative-total", typed, "--occurred", "2025-08"))
    stored = payload(ak, 3)
    assert (stored["cumulative_total"], stored["estimates"]) == (best, {})
    assert made(ak)["cumulative_estimate"] is None


def test_deliveries_sum_with_their_bounds(ak: Cli) -> None:
    ak.ok(*deliver("--quantity", "10,000", "--occurred", "2024-01"))
    ak.ok(*deliver("--quantity", "5,000-6,000", "--occurred", "2024-06"))
    ak.ok(*deliver("--quantity", "over 1,000", "--occurred", "2025-01"))
    as_of = ("--as-of", "2026-01-15")
    [status] = json.loads(ak.ok("status", AK, "--format", "json", *as_of))
    # By hand: 10,000 + 5,500 (midpoint of 5,000-6,000, rounded down) + 1,000 = 16,500;
    # low 10,000 + 5,000 + 1,000 = 16,000; no upper bound ('over').
    assert status["delivered"] == 16500
    assert status["delivered_estimate"] == {
        "best": 16500,
        "low": 16000,
        "high": None,
        "as_written": "~16,500 (at least 16,000)",
    }
    table = ak.ok("status", AK, *as_of, "--format", "md")
    assert "| \\~16,500 (at least 16,000) of 601,427<br>rifles<br>2.7%, \\~584,927 left |" in table


def test_a_first_batch_of_unknown_size_marks_production_started_without_a_figure(
    ak: Cli,
) -> None:
    out = ak.ok(*produce("--quantity", "unknown", "--occurred", "2023-01-17"))
    assert out.splitlines()[0] == (
        f"Logged jv:irrpl v2 at position 3: irrpl produced an unknown number of rifles for {AK}"
    )
    stored = payload(ak, 3)
    assert (stored["quantity"], stored["cumulative_total"], stored["size_unknown"]) == (
        None,
        None,
        True,
    )
    before = made(ak)
    assert (before["production_started"], before["cumulative"]) == ("2023-01-17", 0)
    ak.ok(*produce("--cumulative-total", "35000", "--occurred", "2024-07-06"))
    after = made(ak)
    assert (after["production_started"], after["cumulative"]) == ("2023-01-17", 35000)
    # By hand: 35,000 spread over 17 Jan 2023 .. 6 Jul 2024 (536 days), 348 in 2023.
    assert sum(after["by_year"].values()) == 35000
    assert set(after["by_year"]) == {"2023", "2024"}


def test_a_delivery_of_unknown_size_starts_delivering_without_counting(ak: Cli) -> None:
    ak.ok(*deliver("--quantity", "unknown", "--occurred", "2023-03"))
    [status] = json.loads(ak.ok("status", AK, "--format", "json"))
    assert (status["delivered"], status["state"], status["last_delivery"]) == (
        0,
        "delivering",
        "2023-03",
    )


def test_an_estimate_comes_from_an_event_file(ak: Cli, write: Callable[[str, str], Path]) -> None:
    path = write(
        "made.jsonl",
        json.dumps(
            {
                "kind": "production",
                "joint_venture": "irrpl",
                "contract": AK,
                "cumulative_total": "~48,000",
                "occurred": "Jul-Aug 2025",
                "sources": ["https://example.org/made"],
            }
        )
        + "\n",
    )
    ak.ok("log", "--file", str(path))
    assert payload(ak, 3)["estimates"]["cumulative_total"]["as_written"] == "~48,000"
    assert made(ak)["cumulative_estimate"]["as_written"] == "~48,000"


def test_a_planned_rate_may_be_approximate(ak: Cli) -> None:
    out = ak.ok(
        "log", "production-plan", "irrpl", "--contract", AK, "--rate-per-month",
        "about 12,000", "--rate-from", "2026-01", "--occurred", "2025-07-19", *SRC,
    )  # fmt: skip
    assert "irrpl plans about 12,000 rifles a month from Jan 2026" in out
    assert made(ak)["planned_rate_per_month"] == 12000


@pytest.mark.parametrize(
    ("args", "usage", "message"),
    [
        (
            produce("--quantity", "6-5", "--occurred", "2025"),
            "log production [OPTIONS] JV",
            "Invalid value for '--quantity': '6-5' is not a quantity: a range runs from the"
            " lower to the higher figure, e.g. '5-6'",
        ),
        (
            deliver("--cumulative-total", "about", "--occurred", "2025"),
            "log delivery [OPTIONS] CONTRACT",
            "Invalid value for '--cumulative-total': 'about' is not a quantity: expected a whole"
            " number (6,01,427; 5 lakh) or an estimate ('~48,000', 'about 48,000', 'over 5 lakh',"
            " '500,000+', 'under 500', 'up to 500', '5-6', 'unknown')",
        ),
        (
            (
                "log", "production-plan", "irrpl", "--contract", AK, "--rate-per-month",
                "unknown", "--occurred", "2025", *SRC,
            ),
            "log production-plan [OPTIONS] JV",
            "Invalid value for '--rate-per-month': 'unknown' is not a figure: give a number,"
            " e.g. '~12,000'",
        ),
    ],
)  # fmt: skip
def test_a_malformed_figure_is_refused_naming_the_option_and_nothing_is_written(
    ak: Cli, args: tuple[str, ...], usage: str, message: str
) -> None:
    before = ak.log_json()
    assert ak.fails(*args, code=2) == usage_error(usage, message)
    assert ak.log_json() == before


def test_an_estimate_in_a_field_that_takes_none_is_refused_in_one_line(
    ak: Cli, write: Callable[[str, str], Path]
) -> None:
    path = write(
        "amend.jsonl",
        json.dumps(
            {
                "kind": "amend",
                "contract": AK,
                "quantity": "~600,000",
                "occurred": "2024",
                "sources": ["https://example.org/a"],
            }
        )
        + "\n",
    )
    before = ak.log_json()
    error = ak.fails("log", "--file", str(path))
    assert error.count("\n") == 1
    assert "'~600,000' is not an exact whole number" in error
    assert ak.log_json() == before


def test_about_48000_in_jul_aug_2025_is_logged_as_the_source_gives_it(ak: Cli) -> None:
    # domain-facts.md, B: "around 48,000" rifles by July-August 2025 (HT Lucknow, Aaj Tak).
    out = ak.ok(*produce("--cumulative-total", "~48,000", "--occurred", "Jul-Aug 2025"))
    assert out.splitlines()[0] == (
        f"Logged jv:irrpl v2 at position 3: irrpl produced ~48,000 rifles in total for {AK}"
    )
    shown = json.loads(ak.ok("show", "3", "--format", "json"))
    assert shown["occurred"] == "2025-07/2025-08"
    assert shown["payload"]["estimates"]["cumulative_total"]["as_written"] == "~48,000"
    # Not certainly made by mid-August; certainly by the end of August.
    assert shown["occurred_text"] == "Jul-Aug 2025"
    status = json.loads(ak.ok("status", AK, "--as-of", "2025-08-15", "--format", "json"))
    assert status[0]["produced"] in (0, None)
    status = json.loads(ak.ok("status", AK, "--as-of", "2025-08-31", "--format", "json"))
    assert status[0]["produced"] == 48000

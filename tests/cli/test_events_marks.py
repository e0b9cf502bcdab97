"""`tracker events` and `tracker show` say what the log holds: a summary per event and which
later event corrected or retracted it, with what changed, why and on what source."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.cli.conftest import Cli, text

ID = "00000000-0000-4000-8000-00000000000"  # + a digit: fixed ids make the output exact


@pytest.fixture
def fixed(run_on_each_engine: Cli) -> Cli:
    """A contract (1), a delivery (2) corrected from 2021 to 2023 (3), another delivery (4)
    retracted (5): the repro of issue 12, written by hand."""
    run = run_on_each_engine
    commands = [
        ["log", "contract", "x-2020", "--buyer", "India", "--seller", "Russia",
         "--system", "S-400", "--quantity", "2", "--unit", "squadron",
         "--occurred", "2020-01-01", "--source", "https://e.org/a"],
        ["log", "delivery", "x-2020", "--quantity", "1", "--occurred", "2021",
         "--source", "https://e.org/b"],
        ["log", "correct", "2", "--set", "occurred=2023", "--reason", "wrong year",
         "--source", "https://e.org/c"],
        ["log", "delivery", "x-2020", "--quantity", "1", "--occurred", "2022",
         "--source", "https://e.org/d"],
        ["log", "retract", "4", "--reason", "did not happen", "--source", "",
         "--source-title", "Ministry denial", "--publisher", "PIB"],
    ]  # fmt: skip
    for n, command in enumerate(commands, start=1):
        run.ok(*command, "--event-id", f"{ID}{n}")
    return run


def test_events_shows_a_summary_and_marks_each_fixed_event(fixed: Cli) -> None:
    assert fixed.ok("events") == text(
        "Pos   Occurred      Type               Summary",
        "────────────────────────────────────────────────────────────────────────────",
        "  1   1 Jan 2020    ContractSigned     Contract x-2020 signed: India buys 2",
        "                                       squadrons of S-400 from Russia",
        "  2   2021          DeliveryRecorded   Delivered 1 squadron under x-2020",
        "                                       [corrected by #3]",
        "  3   15 Jan 2026   EventCorrected     Corrected event",
        "                                       00000000-0000-4000-8000-000000000002:",
        "                                       occurred = 2023 (wrong year)",
        "  4   2022          DeliveryRecorded   Delivered 1 squadron under x-2020",
        "                                       [retracted by #5]",
        "  5   15 Jan 2026   EventRetracted     Retracted event",
        "                                       00000000-0000-4000-8000-000000000004:",
        "                                       did not happen",
    )


def test_corrected_and_retracted_keep_only_events_so_fixed(fixed: Cli) -> None:
    assert fixed.ok("events", "--corrected", "--format", "md") == text(
        "| Pos | Occurred | Type | Summary | Marks |",
        "|---:|---|---|---|---|",
        "| 2 | 2021 | DeliveryRecorded | Delivered 1 squadron under x-2020 | corrected by #3 |",
    )
    assert fixed.ok("events", "--retracted", "--format", "md") == text(
        "| Pos | Occurred | Type | Summary | Marks |",
        "|---:|---|---|---|---|",
        "| 4 | 2022 | DeliveryRecorded | Delivered 1 squadron under x-2020 | retracted by #5 |",
    )
    assert fixed.ok("events", "--corrected", "--retracted") == "No events.\n"


def test_a_fix_outside_the_listing_still_marks_the_event(fixed: Cli) -> None:
    rows = json.loads(fixed.ok("events", "--limit", "2", "--format", "json"))
    assert [(r["position"], r["corrected_by"], r["retracted_by"]) for r in rows] == [
        (1, [], None),
        (2, [3], None),
    ]


def test_json_and_csv_carry_summary_and_marks_as_fields(fixed: Cli) -> None:
    rows = json.loads(fixed.ok("events", "--format", "json"))
    assert [(r["summary"], r["marks"], r["corrected_by"], r["retracted_by"]) for r in rows][
        1:4:2
    ] == [
        ("Delivered 1 squadron under x-2020", "corrected by #3", [3], None),
        ("Delivered 1 squadron under x-2020", "retracted by #5", [], 5),
    ]
    # CSV cells are plain: lists joined with '; ', never JSON.
    table = list(csv.DictReader(io.StringIO(fixed.ok("events", "--format", "csv"))))
    assert [(r["position"], r["marks"], r["corrected_by"], r["retracted_by"]) for r in table] == [
        ("1", "", "", ""),
        ("2", "corrected by #3", "3", ""),
        ("3", "", "", ""),
        ("4", "retracted by #5", "", "5"),
        ("5", "", "", ""),
    ]


def test_show_says_what_a_correction_changed_when_why_and_on_what_source(fixed: Cli) -> None:
    shown = json.loads(fixed.ok("show", "2", "--format", "json"))
    assert (shown["summary"], shown["marks"], shown["fixes"]) == (
        "Delivered 1 squadron under x-2020",
        "corrected by #3",
        ["corrected by #3 on 15 Jan 2026: occurred 2021 -> 2023 (wrong year; https://e.org/c)"],
    )
    lines = fixed.ok("show", "2").splitlines()
    assert [line for line in lines if line.startswith(("marks ", "fixes "))] == [
        "marks            corrected by #3",
        "fixes            corrected by #3 on 15 Jan 2026: occurred 2021 -> 2023 (wrong",
    ]


def test_show_says_a_retracted_event_was_retracted_by_whom_and_why(fixed: Cli) -> None:
    shown = json.loads(fixed.ok("show", "4", "--format", "json"))
    assert (shown["marks"], shown["fixes"]) == (
        "retracted by #5",
        ["retracted by #5 (did not happen; Ministry denial, PIB)"],
    )


def test_show_of_an_event_never_fixed_has_no_marks(fixed: Cli) -> None:
    shown = json.loads(fixed.ok("show", "1", "--format", "json"))
    assert (shown["marks"], shown["corrected_by"], shown["retracted_by"], shown["fixes"]) == (
        "",
        [],
        None,
        [],
    )

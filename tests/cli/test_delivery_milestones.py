"""`tracker log delivery` and milestones: duplicates and unknown labels are refused with
nothing written; an unlabelled delivery says which milestone it was matched to."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import Cli, text
from tests.cli.story import CONTRACT, DELIVERIES, REF, SCHEDULE

SRC = ("--source", "https://example.org/report")
ID = "00000000-0000-4000-8000-00000000000"  # + a digit: fixed ids make the output exact
LABELS = "'squadron 1', 'squadron 2', 'squadron 3', 'squadron 4', 'squadron 5'"


@pytest.fixture
def s400(run_on_each_engine: Cli) -> Cli:
    """Contract (1), five milestones (2), squadrons 1-3 delivered (3-5), on both engines."""
    run = run_on_each_engine
    for command in (CONTRACT, SCHEDULE, *DELIVERIES):
        run.ok(*command)
    return run


def delivery(*args: str) -> tuple[str, ...]:
    return ("log", "delivery", REF, "--quantity", "1", *args, *SRC)


def milestones(run: Cli) -> list[tuple[str, str | None]]:
    view = json.loads(run.ok("schedule", REF, "--format", "json"))
    return [(m["label"], m["delivered"]) for m in view["milestones"]]


def test_a_second_delivery_for_squadron_1_is_refused_and_nothing_is_written(s400: Cli) -> None:
    before = s400.log_json()
    assert s400.fails(*delivery("--label", "squadron 1", "--occurred", "2022-02")) == text(
        "Error: Milestone 'squadron 1' of s400-india-2018 is already delivered in full, by"
        " the delivery at position 3 dated 2021-12; to change that delivery, use"
        " 'tracker log correct 3'"
    )
    assert s400.log_json() == before
    assert milestones(s400)[2:] == [
        ("squadron 3", "2023"),
        ("squadron 4", None),
        ("squadron 5", None),
    ]


def test_a_delivery_for_squadron_9_is_refused_with_the_labels_there_are(s400: Cli) -> None:
    before = s400.log_json()
    assert s400.fails(*delivery("--label", "squadron 9", "--occurred", "2024")) == text(
        f"Error: No milestone 'squadron 9' in the schedule of s400-india-2018 (it has {LABELS});"
        " for a delivery outside the schedule, give --unscheduled"
    )
    assert s400.log_json() == before


def test_an_unscheduled_delivery_is_logged_and_fills_no_milestone(s400: Cli) -> None:
    before = milestones(s400)
    out = s400.ok(
        *delivery("--label", "training battery", "--unscheduled", "--occurred", "2024"),
        "--event-id", ID + "6",
    )  # fmt: skip
    assert out == text(
        "Logged contract:s400-india-2018 v6 at position 6:"
        " Delivered 1 squadron (training battery) under s400-india-2018",
        f"  event id: {ID}6",
    )
    assert milestones(s400) == before


def test_an_unlabelled_delivery_says_which_milestone_it_was_matched_to(s400: Cli) -> None:
    out = s400.ok(*delivery("--occurred", "2025-12"), "--event-id", ID + "6")
    assert out == text(
        "Logged contract:s400-india-2018 v6 at position 6:"
        " Delivered 1 squadron under s400-india-2018",
        "  matched to milestone 'squadron 4' (the earliest open)",
        f"  event id: {ID}6",
    )
    # A delivery logged later but dated earlier takes the next open one, moving nothing.
    out = s400.ok(*delivery("--occurred", "2024-06"), "--event-id", ID + "7")
    assert out.splitlines()[1] == "  matched to milestone 'squadron 5' (the earliest open)"
    assert milestones(s400)[3:] == [("squadron 4", "2025-12"), ("squadron 5", "2024-06")]


def test_event_files_refuse_unknown_labels_and_take_unscheduled(
    s400: Cli, write: Callable[[str, str], Path]
) -> None:
    before = s400.log_json()
    record = (
        '{"kind": "delivery", "contract": "s400-india-2018", "quantity": 1,'
        ' "label": "squadron 9", "occurred": "2024", "sources": ["https://example.org/r"]'
    )
    bad = write("bad.jsonl", record + "}\n")
    assert s400.fails("log", "--file", str(bad)) == text(
        f"Error: bad.jsonl line 1: No milestone 'squadron 9' in the schedule of s400-india-2018"
        f" (it has {LABELS}); for a delivery outside the schedule, give --unscheduled"
    )
    assert s400.log_json() == before
    good = write("good.jsonl", record + ', "unscheduled": true}\n')
    assert s400.ok("log", "--file", str(good)) == text(
        "Logged 1 events from good.jsonl at positions 6-6."
    )
    [stored] = json.loads(s400.ok("events", "--after", "5", "--format", "json"))
    assert (stored["payload"]["label"], stored["payload"]["unscheduled"]) == ("squadron 9", True)

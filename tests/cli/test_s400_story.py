"""The S-400 story logged by hand, command by command, then read back as a person expects."""

from __future__ import annotations

import json

from tests.cli.conftest import Cli, text
from tests.cli.story import REF, log_s400


def test_each_logged_event_is_reported_with_stream_version_position_and_summary(
    run_on_each_engine: Cli,
) -> None:
    printed = log_s400(run_on_each_engine)
    first_lines = [out.splitlines()[0] for out in printed]
    assert first_lines[0] == (
        "Logged contract:s400-india-2018 v1 at position 1: Contract s400-india-2018 signed:"
        " India buys 5 squadrons of S-400 Triumf (SAM system) from Russia for USD 5 bn"
    )
    assert first_lines[5] == (
        "Logged contract:s400-india-2018 v6 at position 6:"
        " Delivered 1 squadron (squadron 1) under s400-india-2018"
    )
    # One `log revise` with two --milestone logs two revisions.
    assert printed[8].splitlines()[2] == (
        "Logged contract:s400-india-2018 v10 at position 10: squadron 5 of s400-india-2018"
        " now due by end 2024: planned for 2023, now by 2024"
    )
    assert printed[8].splitlines()[1].startswith("  event id: ")


def test_status_shows_three_of_five_delivered_and_the_fourth_due_by_end_may_2026(
    run_on_each_engine: Cli,
) -> None:
    run = run_on_each_engine
    log_s400(run)
    assert run.ok("status") == text(
        "Contracts as of 15 Jan 2026",
        "Contract                 Delivered     State        Next due",
        "─" * 67,
        "s400-india-2018          3 of 5        delivering   squadron 4",
        "India ← Russia           squadrons                  by end May 2026",
        "S-400 Triumf             60%, 2 left",
        "value USD 5 bn",
        "reported USD 5–5.5 bn,",
        "INR 400 bn",
    )


def test_status_as_of_new_year_2022_shows_only_the_first_squadron(run: Cli) -> None:
    log_s400(run)
    assert run.ok("status", "--as-of", "2022-01-01") == text(
        "Contracts as of 1 Jan 2022",
        "Contract                  Delivered     State        Next due",
        "─" * 64,
        "s400-india-2018           1 of 5        delivering   squadron 2",
        "India ← Russia            up to 2                    by end 2023",
        "S-400 Triumf              squadrons",
        "value USD 5 bn            20%, 4 left",
        "reported USD 5–5.43 bn,",
        "INR 400 bn",
    )


def test_schedule_history_shows_each_move_of_the_last_two_squadrons_and_why(
    run_on_each_engine: Cli,
) -> None:
    run = run_on_each_engine
    log_s400(run)
    assert run.ok("schedule", REF, "--history") == text(
        "Schedule of s400-india-2018 (squadron) as of 15 Jan 2026",
        "Milestone    Qty   Due                 Delivered   State",
        "─" * 74,
        "squadron 1     1   by end 2023         Dec 2021    on time",
        "squadron 2     1   by end 2023         2022        on time",
        "squadron 3     1   by end 2023         2023        on time",
        "squadron 4     1   by end May 2026     —           pending",
        "                   first by end 2023               due in 4 months",
        "                   +2 years 5 months",
        "squadron 5     1   2027                —           pending",
        "                   first by end 2023               due in 1 year 11 months",
        "                   +4 years",
        "",
        "How the due dates moved",
        "Milestone    Reported      Due               Why",
        "─" * 79,
        "squadron 4   5 Oct 2021    by end 2023       first plan",
        "             23 Mar 2023   by end 2024       planned for 2023, now by 2024",
        "             23 Apr 2024   by end 2025       new timeline: last two by 2025",
        "             Dec 2024      Mar 2026          India asks Russia to speed up",
        "             26 Jun 2025   2026              Russia reaffirms last two by",
        "                                             2026-27",
        "             Jan 2026      by end May 2026   Russia confirms the 4th by end May",
        "                                             2026",
        "squadron 5   5 Oct 2021    by end 2023       first plan",
        "             23 Mar 2023   by end 2024       planned for 2023, now by 2024",
        "             23 Apr 2024   by end 2025       new timeline: last two by 2025",
        "             Dec 2024      Oct 2026          India asks Russia to speed up",
        "             26 Jun 2025   2027              Russia reaffirms last two by",
        "                                             2026-27",
    )


def test_schedule_as_of_mid_2024_has_the_last_two_due_by_end_2025(run: Cli) -> None:
    log_s400(run)
    view = json.loads(run.ok("schedule", REF, "--as-of", "2024-06-30", "--format", "json"))
    last_two = view["milestones"][3:]
    assert [(m["label"], m["due"], m["state"]) for m in last_two] == [
        ("squadron 4", "by 2025", "pending"),
        ("squadron 5", "by 2025", "pending"),
    ]
    assert [h["due"] for h in last_two[0]["history"]] == ["by 2023", "by 2024", "by 2025"]


def test_status_json_has_the_stable_keys_and_every_reported_value(run: Cli) -> None:
    log_s400(run)
    [status] = json.loads(run.ok("status", "--format", "json"))
    assert {k: status[k] for k in ("ref", "system", "buyer", "seller", "unit", "state")} == {
        "ref": REF,
        "system": "S-400 Triumf",
        "buyer": "India",
        "seller": "Russia",
        "unit": "squadron",
        "state": "delivering",
    }
    assert (status["ordered"], status["delivered"], status["remaining"]) == (5, 3, 2)
    assert status["next_milestone"] == {"label": "squadron 4", "due": "by 2026-05"}
    assert [(r["value"]["currency"], r["value"]["amount"]) for r in status["value_reports"]] == [
        ("INR", "400000000000"),
        ("USD", "5000000000"),
        ("USD", "5430000000"),
        ("USD", "5500000000"),
    ]

"""Issue 13, points 1-3: plans in world order, undated reports, relative due dates."""

from __future__ import annotations

import json

from tests.cli.conftest import Cli, text
from tests.cli.story import DAWN, KHYBER_MAIL, REF, SQ4, SQ5, log_s400

FIRST_PLAN = [
    "log", "schedule", REF,
    *[a for n in range(1, 6) for a in ("--milestone", f"squadron {n}", "1", "by 2020")],
    "--occurred", "2018-10-05", "--source", DAWN, "--publisher", "Dawn",
    "--published", "2018-10-05", "--confidence", "planned",
]  # fmt: skip
ANI = "https://fvbb.com/ns/russia-to-deliver-last-two-squadrons-of-s/201846"
UNDATED_ANI = [
    "log", "revise", REF, "--milestone", SQ4, "--milestone", SQ5, "--due", "2026-08",
    "--reason", "Russia: both by August 2026", "--occurred", "unknown",
    "--published", "2023-02-14", "--source", ANI, "--publisher", "fvbb (ANI)",
    "--confidence", "planned",
]  # fmt: skip


def _dues(run: Cli) -> dict[str, str]:
    view = json.loads(run.ok("schedule", REF, "--format", "json"))
    return {m["label"]: m["due"] for m in view["milestones"]}


def test_the_2018_plan_logged_after_the_revisions_is_the_first_promise(run: Cli) -> None:
    log_s400(run)
    # The current due dates as domain-facts.md A.3 has them (squadron 4: end May 2026).
    current = {
        "squadron 1": "by 2023",
        "squadron 2": "by 2023",
        "squadron 3": "by 2023",
        "squadron 4": "by 2026-05",
        "squadron 5": "2027",
    }
    assert _dues(run) == current
    run.ok(*FIRST_PLAN)
    assert _dues(run) == current
    history = run.ok("schedule", REF, "--history").split("How the due dates moved\n")[1]
    assert history.splitlines()[2:6] == [
        "squadron 1   5 Oct 2018    by end 2020       first plan",
        "             5 Oct 2021    by end 2023       —",
        "squadron 2   5 Oct 2018    by end 2020       first plan",
        "             5 Oct 2021    by end 2023       —",
    ]
    assert history.splitlines()[8:12] == [
        "squadron 4   5 Oct 2018    by end 2020       first plan",
        "             5 Oct 2021    by end 2023       —",
        "             23 Mar 2023   by end 2024       planned for 2023, now by 2024",
        "             23 Apr 2024   by end 2025       new timeline: last two by 2025",
    ]


def test_a_schedule_dated_after_the_first_plan_is_still_a_revision(run: Cli) -> None:
    log_s400(run)
    before = run.log_json()
    late = [*FIRST_PLAN[:3], "--milestone", SQ4, "1", "2026", "--occurred", "2025-06-26"]
    late += ["--source", KHYBER_MAIL]
    assert run.fails(*late) == (
        "Error: Milestone 'squadron 4' is already scheduled for s400-india-2018 (first planned"
        " 5 Oct 2021); record a revision instead, or date this schedule before that first"
        " plan\n"
    )
    assert run.log_json() == before


def test_the_undated_ani_report_stands_at_its_publication_date(run: Cli) -> None:
    log_s400(run)
    run.ok(*UNDATED_ANI)
    events = json.loads(run.ok("events", "--format", "json"))
    assert [(e["occurred"], e["occurred_text"]) for e in events[-2:]] == [
        ("unknown", "undated; reported 2023-02-14")
    ] * 2
    history = run.ok("schedule", REF, "--history").split("How the due dates moved\n")[1]
    # Between the 2021 plan and the 23 Mar 2023 revision: it was published 14 Feb 2023.
    assert history.splitlines()[2:7] == [
        "squadron 4   5 Oct 2021    by end 2023       first plan",
        "             undated;      Aug 2026          Russia: both by August 2026",
        "             reported",
        "             2023-02-14",
        "             23 Mar 2023   by end 2024       planned for 2023, now by 2024",
    ]


def test_as_of_treats_an_undated_report_as_happened_by_its_publication_date(run: Cli) -> None:
    log_s400(run)
    run.ok(*UNDATED_ANI)
    day_before = json.loads(run.ok("schedule", REF, "--as-of", "2023-02-13", "--format", "json"))
    on_the_day = json.loads(run.ok("schedule", REF, "--as-of", "2023-02-14", "--format", "json"))
    assert {m["label"]: m["due"] for m in day_before["milestones"]}[SQ4] == "by 2023"
    assert {m["label"]: m["due"] for m in on_the_day["milestones"]}[SQ4] == "2026-08"


def test_an_undated_figure_needs_a_dated_source(run: Cli) -> None:
    log_s400(run)
    before = run.log_json()
    args = ["log", "delivery", REF, "--quantity", "1", "--label", SQ4, "--occurred", "undated"]
    assert run.fails(*args, "--source", ANI) == (
        "Error: A delivery to s400-india-2018 with a figure and no date needs a source with a"
        " publication date (--published): its figure counts from that day\n"
    )
    assert run.log_json() == before


def _contract(run: Cli, ref: str, signed: str, *extra: str) -> None:
    run.ok(
        "log", "contract", ref, "--system", "AK-203", "--buyer", "India", "--seller", "Russia",
        "--quantity", "601427", "--unit", "rifles", "--occurred", signed, *extra,
        "--source", "https://www.indiatoday.in/x",
    )  # fmt: skip


def test_a_due_date_relative_to_the_signing_shows_both_forms(run: Cli) -> None:
    _contract(run, "ak", "2021-12-06")
    out = run.ok(
        "log", "schedule", "ak", "--milestone", "first", "70000", "+24 months after signing",
        "--occurred", "2021-12-06", "--source", "https://www.indiatoday.in/x",
    )  # fmt: skip
    assert out.splitlines()[0].endswith("first: 70,000 due 24 months after signing")
    # 6 Dec 2021 + 24 months = 6 Dec 2023; today (15 Jan 2026) is 2 years 1 month later.
    assert run.ok("schedule", "ak") == text(
        "Schedule of ak (rifle) as of 15 Jan 2026",
        "Milestone      Qty   Due                 Delivered   State",
        "─" * 76,
        "first       70,000   by 6 Dec 2023, 24   —           overdue",
        "                     months after                    2 years 1 month overdue",
        "                     signing",
    )
    stored = json.loads(run.ok("events", "--format", "json"))[-1]
    assert stored["payload"]["milestones"][0]["due"] == "+24 months after signing"


def test_a_due_date_relative_to_production_start_waits_for_it(run: Cli) -> None:
    run.ok(
        "log", "jv", "irrpl", "--name", "Indo-Russian Rifles", "--partner", "India=50.5",
        "--partner", "Russia=49.5", "--occurred", "2019-03-03",
        "--source", "https://www.hindustantimes.com/x",
    )  # fmt: skip
    _contract(run, "ak", "2021-12-06", "--joint-venture", "irrpl")
    run.ok(
        "log", "schedule", "ak", "--milestone", "first", "70000",
        "+32 months after production start", "--occurred", "2023-01",
        "--source", "https://thedefensepost.com/x",
    )  # fmt: skip
    waiting = run.ok("schedule", "ak")
    assert waiting.splitlines()[3:] == [
        "first       70,000   32 months after    —           pending",
        "                     production start               awaits production start",
        "                     (not started)",
    ]
    run.ok(
        "log", "note", "jv:irrpl", "--text", "First batch produced", "--tag", "production",
        "--occurred", "2023-01-17", "--source", "https://www.moneycontrol.com/x",
    )  # fmt: skip
    # 17 Jan 2023 + 32 months = 17 Sep 2025: overdue by 3 months on 15 Jan 2026.
    started = json.loads(run.ok("schedule", "ak", "--format", "json"))["milestones"][0]
    assert (started["due"], started["state"], started["slip_words"]) == (
        "by 2025-09-17",
        "overdue",
        "3 months overdue",
    )


def test_a_relative_date_is_only_a_due_date(run: Cli) -> None:
    args = ["log", "contract", "ak", "--system", "AK-203", "--buyer", "India"]
    args += ["--seller", "Russia", "--quantity", "5", "--unit", "rifles"]
    args += ["--occurred", "+2 months after signing", "--source", "https://e.org/x"]
    assert run.fails(*args) == (
        "Error: occurred of ContractSigned cannot be relative ('+2 months after signing'):"
        " a date relative to another event is allowed only as a milestone's due date\n"
    )

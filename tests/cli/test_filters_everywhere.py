"""The contract filters on every read command and report, full-text --search, unique ref
prefixes, plain CSV cells and SIPRI deals' delivery years: exact answers worked out by hand
from the seeds (S-400 and AK-203 stories) and from SIPRI's sample register."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.cli.conftest import Cli, text, usage_error

S400 = "s400-india-2018"
AK200 = "ak200-india-2021-emergency"
AK203 = "ak203-india-2021"
MTC = "india-russia-mtc-2021-2031"
SAMPLE = Path(__file__).parents[1] / "importers" / "fixtures" / "register-2025-03-sample.csv"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    run = Cli(str(tmp_path_factory.mktemp("everywhere") / "tracker.db"))
    run.ok("init")
    run.ok("seed")
    return run


def refs(run: Cli, *args: str) -> list[str]:
    return [s["ref"] for s in json.loads(run.ok("status", "--format", "json", *args))]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("air defence", [S400]),  # a note: 'an agreement in principle on air defence systems'
        ("AIR   Defence!", [S400]),  # case and punctuation do not matter
        ("air def", [S400]),  # each word may begin a word
        ("riumf", []),  # but not stand inside one (S-400 Triumf)
        ("400 triumf", [S400]),
        ("off the shelf", [AK200]),
        ("air defence rifle", []),  # every word must be found
    ],
)
def test_search_is_full_text_over_system_description_and_notes(
    seeded: Cli, search: str, expected: list[str]
) -> None:
    assert refs(seeded, "--search", search) == expected


def test_schedule_takes_the_filters_and_gives_each_contract_s_schedule(seeded: Cli) -> None:
    views = json.loads(seeded.ok("schedule", "--buyer", "India", "--format", "json"))
    assert [v["contract"] for v in views] == [AK200, AK203, S400]
    # The emergency buy has no schedule: its one delivery (70,000 by 25 Jan 2022) stands
    # as a delivered milestone of its year.
    assert [(m["label"], m["quantity"], m["state"]) for m in views[0]["milestones"]] == [
        ("2022", 70000, "on time")
    ]
    assert seeded.ok("schedule", "--system", "S-400", "--limit", "1", "--format", "json") == (
        seeded.ok("schedule", "--format", "json", "--system", "S-400")
    )
    table = seeded.ok("schedule", "--buyer", "India", "--limit", "1")
    assert table.startswith(f"Schedule of {AK200} (rifle)\n") and table.endswith(
        "\n2 more: use --limit\n"
    )


def test_schedule_needs_a_ref_or_a_filter_and_takes_a_unique_prefix(seeded: Cli) -> None:
    assert seeded.fails("schedule", code=2) == usage_error(
        "schedule [OPTIONS] [REF]", "Give a contract REF or a filter (--buyer, --system, ...)"
    )
    assert seeded.fails("schedule", "ak") == text(
        f"Error: Contract 'ak' is ambiguous: {AK200}, {AK203}"
    )
    assert seeded.ok("schedule", "ak203", "--format", "csv") == seeded.ok(
        "schedule", AK203, "--format", "csv"
    )


def test_production_keeps_the_contracts_the_filters_select(seeded: Cli) -> None:
    made = json.loads(seeded.ok("production", "--buyer", "India", "--format", "json"))
    assert [(v["joint_venture"], [c["contract"] for c in v["contracts"]]) for v in made] == [
        ("irrpl", [AK203])
    ]
    assert seeded.ok("production", "--system", "S-400") == text("No production reported.")


def test_agreements_take_a_country(seeded: Cli) -> None:
    found = json.loads(
        seeded.ok("agreements", "--country", "Russian Federation", "--format", "json")
    )
    assert [a["ref"] for a in found] == [MTC]
    assert seeded.ok("agreements", "--country", "Turkey") == text("No agreements.")


def test_events_keep_those_of_the_contracts_the_filters_select(seeded: Cli) -> None:
    def events(*args: str) -> list[tuple[int, str]]:
        rows = json.loads(seeded.ok("events", "--format", "json", *args))
        return [(r["position"], r["stream_id"]) for r in rows]

    # The oracle: the same contract's stream asked for by name.
    assert events("--system", "AK-200") == events("--stream", f"contract:{AK200}")
    india = events("--buyer", "India", "--type", "DeliveryRecorded")
    assert {s for _, s in india} == {f"contract:{S400}", f"contract:{AK200}", f"contract:{AK203}"}
    assert events("--buyer", "India", "--type", "DeliveryRecorded", "--limit", "2") == india[:2]
    assert seeded.ok("events", "--country", "Turkey") == text("No events.")


def test_reports_take_the_filters_and_buyer_asks_for_a_country_s_imports(seeded: Cli) -> None:
    def programmes(*args: str) -> list[str]:
        rows = csv.DictReader(
            io.StringIO(seeded.ok("report", "timeline", "--format", "csv", *args))
        )
        return list(dict.fromkeys(r["programme"] for r in rows))

    assert programmes("--buyer", "India") == [AK200, AK203, S400]
    assert programmes("--seller", "India") == []
    assert programmes("--country", "Russia", "--signed", "2021") == [AK200]
    assert programmes("--contract", "s4") == [S400]  # a unique prefix
    assert seeded.ok("report", "timeline", "--seller", "India") == text(
        "Procurement timeline",
        "As of 15 Jan 2026.",
        "Showing contracts sold by India.",
        "",
        "No contracts match.",
    )
    brief = seeded.ok("report", "status", "--no-charts", "--search", "air defence")
    assert f"| {S400} |" in brief and f"| {AK203} |" not in brief


def test_status_csv_cells_hold_plain_values_never_json(seeded: Cli) -> None:
    (row,) = csv.DictReader(io.StringIO(seeded.ok("status", S400, "--format", "csv")))
    assert (row["value"], row["quantity_reports"], row["next_milestone"], row["next_due"]) == (
        "USD 5000000000",
        "5 (4)",
        "squadron 4",
        "by 2026-05",
    )
    assert (
        row["value_range"]
        == "INR 350000000000 to INR 400000000000; USD 4500000000 to USD 5500000000"
    )
    assert not any(cell.startswith(("{", "[")) for cell in row.values())


def test_a_sipri_deal_shows_its_delivery_years_as_delivered_milestones(tmp_path: Path) -> None:
    run = Cli(str(tmp_path / "tracker.db"))
    run.ok("init")
    run.ok("import", "sipri", str(SAMPLE))
    (ref,) = refs(run, "--buyer", "India", "--system", "S-400")
    # SIPRI: 6 of 10 S-400 delivered over '2021; 2022; 2023': two a year.
    assert run.ok("schedule", ref[:15], "--format", "csv") == text(  # "russia-india-s4"
        "contract,label,quantity,due,original_due,delivered,delivered_quantity,state,slip_days,"
        "slip_words,moved_days,moved_words,history",
        *(
            f"{ref},{year},2,{year},{year},{year},2,on time,0,delivered in the year,0,not moved,"
            for year in (2021, 2022, 2023)
        ),
    )

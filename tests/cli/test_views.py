"""Reading views: status, schedule, production, agreements, in every format."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import Cli, text
from tests.cli.story import REF, log_s400
from tests.cli.test_log_file import AK203, jsonl

SRC = ("--source", "https://example.org/report")


@pytest.fixture
def full(run: Cli, write: Callable[[str, str], Path]) -> Cli:
    """The S-400 story, the AK-203 joint venture and contract, and the 2021-31 programme."""
    log_s400(run)
    run.ok("log", "--file", str(write("ak203.jsonl", jsonl(*AK203))))
    run.ok(
        "log", "agreement", "mtc-india-russia", "--title", "Military-technical cooperation",
        "--party", "India", "--party", "Russia", "--valid-from", "2011", "--valid-to", "2020",
        "--occurred", "2011", *SRC,
    )  # fmt: skip
    run.ok(
        "log", "extend", "mtc-india-russia", "--valid-to", "2031",
        "--title", "Programme 2021-2031", "--occurred", "2021-12-06", *SRC,
    )  # fmt: skip
    return run


def test_status_lists_every_contract_with_production_where_a_jv_builds_it(full: Cli) -> None:
    assert full.ok("status") == text(
        "Contracts as of 15 Jan 2026",
        "Contract                      Delivered      State        Next due",
        "─" * 73,
        "ak203-india-2021              0 of 601,427   signed       —",
        "India ← Indo-Russian Rifles   rifles",
        "Pvt Ltd                       0%, 601,427",
        "AK-203                        left",
        "value INR 51 bn               35,000 made",
        "s400-india-2018               3 of 5         delivering   squadron 4",
        "India ← Russia                squadrons                   by end May 2026",
        "S-400 Triumf                  60%, 2 left",
        "value USD 5 bn",
        "reported USD 5–5.5 bn,",
        "INR 400 bn",
    )


def test_status_of_named_contracts_keeps_their_order(full: Cli) -> None:
    rows = json.loads(full.ok("status", REF, "ak203-india-2021", "--format", "json"))
    assert [r["ref"] for r in rows] == [REF, "ak203-india-2021"]


def test_status_in_markdown_keeps_each_cell_on_one_line(full: Cli) -> None:
    assert full.ok("status", REF, "--format", "md") == text(
        "### Contracts as of 15 Jan 2026",
        "",
        "| Contract | Delivered | State | Next due |",
        "|---|---|---|---|",
        "| s400-india-2018<br>India ← Russia<br>S-400 Triumf<br>value USD 5 bn"
        "<br>reported USD 5–5.5 bn,<br>INR 400 bn | 3 of 5<br>squadrons<br>60%, 2 left"
        " | delivering | squadron 4<br>by end May 2026 |",
    )


def test_status_in_csv_has_one_row_per_contract_with_the_json_keys(full: Cli) -> None:
    rows = list(csv.DictReader(io.StringIO(full.ok("status", "--format", "csv"))))
    assert [(r["ref"], r["ordered"], r["delivered"], r["remaining"], r["unit"]) for r in rows] == [
        ("ak203-india-2021", "601427", "0", "601427", "rifle"),
        (REF, "5", "3", "2", "squadron"),
    ]
    # Plain cells, never JSON: the next milestone and its due date side by side.
    assert (rows[1]["next_milestone"], rows[1]["next_due"]) == ("squadron 4", "by 2026-05")


def test_schedule_in_csv_has_one_row_per_milestone(full: Cli) -> None:
    rows = list(csv.DictReader(io.StringIO(full.ok("schedule", REF, "--format", "csv"))))
    assert [(r["contract"], r["label"], r["due"], r["state"]) for r in rows] == [
        (REF, "squadron 1", "by 2023", "on time"),
        (REF, "squadron 2", "by 2023", "on time"),
        (REF, "squadron 3", "by 2023", "on time"),
        (REF, "squadron 4", "by 2026-05", "pending"),
        (REF, "squadron 5", "2027", "pending"),
    ]


def test_schedule_in_json_is_one_object(full: Cli) -> None:
    view = json.loads(full.ok("schedule", REF, "--format", "json"))
    assert (view["contract"], view["unit"], view["as_of"]) == (REF, "squadron", "2026-01-15")
    assert view["milestones"][4]["moved_words"] == "4 years later than first planned"


def test_a_contract_with_no_schedule_says_so(full: Cli) -> None:
    assert full.ok("schedule", "ak203-india-2021") == text("No milestones scheduled.")


def test_production_shows_output_rate_and_projected_completion(full: Cli) -> None:
    assert full.ok("production") == text(
        "Production as of 15 Jan 2026",
        "Contract                 Made      Per month   Last report     Done by",
        "─" * 74,
        "ak203-india-2021       35,000   5,181 recent   6 Jul 2024      16 Aug 2033",
        "irrpl              of 601,427      — planned   18 months ago   —",
        "                                    — needed                   —",
        "",
        "ak203-india-2021: no deadline logged",
    )


def test_production_of_one_jv_in_json(full: Cli) -> None:
    [view] = json.loads(full.ok("production", "irrpl", "--format", "json"))
    [contract] = view["contracts"]
    assert (contract["cumulative"], contract["rate_per_month"]) == (35000, 5181)
    assert contract["projected_completion"] == "2033-08-16"


def test_agreements_show_the_window_after_extensions(full: Cli) -> None:
    assert full.ok("agreements") == text(
        "Agreements as of 15 Jan 2026",
        "Agreement             Parties         Signed   In force      State",
        "─" * 69,
        "mtc-india-russia      India, Russia   2011     2011 – 2031   in force",
        "Programme 2021-2031                            extended ×1",
    )


def test_agreements_as_of_2021_show_the_programme_expired(full: Cli) -> None:
    [view] = json.loads(full.ok("agreements", "--as-of", "2021-01-01", "--format", "json"))
    assert (view["title"], view["valid_to"], view["state"]) == (
        "Military-technical cooperation",
        "2020",
        "expired",
    )


def test_known_at_before_anything_was_logged_shows_nothing(full: Cli) -> None:
    assert full.ok("status", "--known-at", "2000-01-01") == text("No contracts.")


def test_known_at_is_named_in_the_title(full: Cli) -> None:
    out = full.ok("status", REF, "--known-at", "2999-01-01")
    assert out.splitlines()[0] == ("Contracts as of 15 Jan 2026, as known on 2999-01-01 23:59 UTC")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("status", "s400-india-2019"), "No contract 's400-india-2019'"),
        (("schedule", "s400-india-2019"), "No contract 's400-india-2019'"),
        (("production", "hal"), "No joint venture 'hal'"),
    ],
)
def test_an_unknown_reference_is_one_error_line(
    full: Cli, args: tuple[str, ...], message: str
) -> None:
    assert full.fails(*args) == text(f"Error: {message}")


def test_an_empty_log_says_there_is_nothing_to_show(run: Cli) -> None:
    assert run.ok("status") == text("No contracts.")
    assert run.ok("production") == text("No production reported.")
    assert run.ok("agreements") == text("No agreements.")
    assert run.ok("status", "--format", "json") == text("[]")


def test_events_take_the_same_read_options(full: Cli) -> None:
    rows = list(
        csv.DictReader(io.StringIO(full.ok("events", "--as-of", "2018-12-31", "--format", "csv")))
    )
    assert [(r["position"], r["event_type"]) for r in rows] == [
        ("1", "ContractSigned"),
        ("2", "FigureReported"),
        ("3", "FigureReported"),
        ("22", "AgreementSigned"),
    ]


def test_table_cells_are_printed_as_typed_not_as_rich_markup(run: Cli) -> None:
    run.ok(
        "log", "agreement", "draft-2024", "--title", "[b]Draft[/b] :x:",
        "--party", "India", "--party", "Russia", "--valid-from", "2024", "--valid-to", "2030",
        "--occurred", "2024", *SRC,
    )  # fmt: skip
    assert run.ok("agreements") == text(
        "Agreements as of 15 Jan 2026",
        "Agreement          Parties         Signed   In force      State",
        "─" * 66,
        "draft-2024         India, Russia   2024     2024 – 2030   in force",
        "[b]Draft[/b] :x:",
    )

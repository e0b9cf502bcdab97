"""Dates and money typed as sources write them, through the command line: what is stored,
what is printed, and one-line refusals that write nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.cli.conftest import Cli, usage_error

SRC = ("--source", "https://example.org/story")
CONTRACT = "log contract [OPTIONS] REFERENCE"
FIGURE = "log figure [OPTIONS] CONTRACT"


def contract(*args: str) -> tuple[str, ...]:
    return (
        "log", "contract", "x-1", "--system", "S-400", "--buyer", "India", "--seller",
        "Russia", "--quantity", "5", "--unit", "squadron", *SRC, *args,
    )  # fmt: skip


def shown(run: Cli, position: int) -> dict[str, Any]:
    event: dict[str, Any] = json.loads(run.ok("show", str(position), "--format", "json"))
    return event


@pytest.mark.parametrize(
    ("typed", "stored", "printed"),
    [
        ("2021-12-06", "2021-12-06", "6 Dec 2021"),
        ("6 Dec 2021", "2021-12-06", "6 Dec 2021"),
        ("December 2021", "2021-12", "Dec 2021"),
        ("Dec 2021", "2021-12", "Dec 2021"),
        ("2021-Q4", "2021-Q4", "Q4 2021"),
        ("Q3 2024", "2024-Q3", "Q3 2024"),
        ("2021", "2021", "2021"),
        ("by 2023", "by 2023", "by end 2023"),
        ("by end 2021", "by 2021", "by end 2021"),
        ("by end May 2026", "by 2026-05", "by end May 2026"),
        ("../2026-05", "by 2026-05", "by end May 2026"),
    ],
)
def test_an_occurred_date_is_stored_canonically_and_printed_as_written(
    run: Cli, typed: str, stored: str, printed: str
) -> None:
    run.ok(*contract("--occurred", typed))
    event = shown(run, 1)
    assert (event["occurred"], event["occurred_text"]) == (stored, printed)


def test_an_occurred_range_or_marked_date_is_stored(run: Cli) -> None:
    run.ok(*contract("--occurred", "~Jul-Aug 2025"))
    assert shown(run, 1)["occurred"] == "2025-07~/2025-08~"


DUE = [
    ("H1 2026", "2026-H1", "H1 2026"),
    ("early 2022", "early 2022", "early 2022"),
    ("mid-2022", "mid 2022", "mid-2022"),
    ("late 2022", "late 2022", "late 2022"),
    ("2026-27", "2026/2027", "2026-27"),
    ("2026/2027", "2026/2027", "2026-27"),
    ("Jul-Aug 2025", "2025-07/2025-08", "Jul-Aug 2025"),
    ("~2021", "2021~", "~2021"),
    ("circa 2021", "2021~", "~2021"),
    ("2021?", "2021?", "2021?"),
    ("2021~", "2021~", "~2021"),
    ("by end May 2026", "by 2026-05", "by end May 2026"),
]


def test_a_due_date_takes_every_written_form(run: Cli) -> None:
    run.ok(*contract("--occurred", "2018"))
    milestones = [("--milestone", f"m{i}", "1", typed) for i, (typed, _, _) in enumerate(DUE)]
    out = run.ok(
        "log", "schedule", "x-1", *[a for m in milestones for a in m], "--occurred", "2019", *SRC
    )
    dues = "; ".join(f"m{i}: 1 due {printed}" for i, (_, _, printed) in enumerate(DUE))
    assert out.splitlines()[0] == f"Logged contract:x-1 v2 at position 2: Schedule for x-1: {dues}"
    stored = [m["due"] for m in shown(run, 2)["payload"]["milestones"]]
    assert stored == [canonical for _, canonical, _ in DUE]


def test_a_revised_due_date_takes_a_written_range(run: Cli) -> None:
    run.ok(*contract("--occurred", "2018"))
    run.ok("log", "schedule", "x-1", "--milestone", "sq 1", "1", "2023", "--occurred", "2019", *SRC)
    out = run.ok(
        "log",
        "revise",
        "x-1",
        "--milestone",
        "sq 1",
        "--due",
        "2026-27",
        "--occurred",
        "2024",
        *SRC,
    )
    assert "sq 1 of x-1 now due 2026-27" in out
    assert shown(run, 3)["payload"]["due"] == "2026/2027"


def test_an_event_file_takes_written_dates(run: Cli, write: Any) -> None:
    run.ok(*contract("--occurred", "2018"))
    path = write(
        "plan.yaml",
        "- kind: schedule\n  contract: x-1\n  occurred: 6 Dec 2021\n"
        "  sources: [https://example.org/story]\n"
        "  milestones:\n    - {label: sq 1, quantity: 1, due: by end May 2026}\n"
        "    - {label: sq 2, quantity: 1, due: Jul-Aug 2025}\n",
    )
    run.ok("log", "--file", str(path))
    event = shown(run, 2)
    assert event["occurred"] == "2021-12-06"
    assert [m["due"] for m in event["payload"]["milestones"]] == ["by 2026-05", "2025-07/2025-08"]


@pytest.mark.parametrize(
    ("typed", "amount", "currency", "printed"),
    [
        ("₹5,100 crore", "51000000000", "INR", "INR 51 bn"),
        ("Rs 59,000 crore", "590000000000", "INR", "INR 590 bn"),
        ("Rs. 5,124 cr", "51240000000", "INR", "INR 51.24 bn"),
        ("US$8.7bn", "8700000000", "USD", "USD 8.7 bn"),
        ("€7.87bn", "7870000000", "EUR", "EUR 7.87 bn"),
        ("£2 billion", "2000000000", "GBP", "GBP 2 bn"),
        ("USD 671 mn", "671000000", "USD", "USD 671 m"),
    ],
)
def test_a_contract_value_is_read_as_written_and_echoed_as_stored(
    run: Cli, typed: str, amount: str, currency: str, printed: str
) -> None:
    out = run.ok(*contract("--occurred", "2018", "--value", typed))
    assert out.splitlines()[0] == (
        "Logged contract:x-1 v1 at position 1: Contract x-1 signed:"
        f" India buys 5 squadrons of S-400 from Russia for {printed}"
    )
    assert len(out.splitlines()) == 2  # no note: the currency was written out
    assert shown(run, 1)["payload"]["value"] == {"amount": amount, "currency": currency}


def test_a_bare_dollar_sign_is_taken_as_usd_and_the_echo_says_so(run: Cli) -> None:
    out = run.ok(*contract("--occurred", "2018", "--value", "$5.43bn"))
    lines = out.splitlines()
    assert lines[0].endswith("for USD 5.43 bn")
    assert lines[2] == "  --value '$5.43bn': '$' alone is taken as USD"
    out = run.ok("log", "figure", "x-1", "--value", "$5bn", "--occurred", "2019", *SRC)
    assert (
        out.splitlines()[0]
        == "Logged contract:x-1 v2 at position 2: Reported value of x-1: USD 5 bn"
    )
    assert out.splitlines()[2] == "  --value '$5bn': '$' alone is taken as USD"
    out = run.ok("log", "amend", "x-1", "--value", "₹5,100 crore", "--occurred", "2020", *SRC)
    assert (
        out.splitlines()[0]
        == "Logged contract:x-1 v3 at position 3: Contract x-1 amended: value INR 51 bn"
    )
    assert shown(run, 2)["payload"]["value"] == {"amount": "5000000000", "currency": "USD"}


@pytest.mark.parametrize(
    ("args", "usage", "message"),
    [
        (
            contract("--occurred", "6-5"),
            CONTRACT,
            "Invalid value for '--occurred': '6-5' is not a date: expected YYYY-MM-DD, YYYY-MM,"
            " YYYY-Qn, YYYY, '6 Dec 2021', 'Dec 2021', 'Q3 2024', 'H1 2026', 'early/mid/late"
            " 2022', 'by 2023', 'by end May 2026', '2026-27', 'Jul-Aug 2025', '2026/2027',"
            " '../2026-05', '~2021', 'circa 2021', '2021?',"
            " 'unknown' or (for a due date) '+32 months after production start',"
            " '+24 months after signing'",
        ),
        (
            contract("--occurred", "2027-26"),
            CONTRACT,
            "Invalid value for '--occurred': '2027-26' is not a date: month must be in 1..12"
            " (a range of years must end after it starts: 2026-27)",
        ),
        (
            contract("--occurred", "2018", "--value", "USD 99999999999999999999999999bn"),
            CONTRACT,
            "Invalid value for '--value': 'USD 99999999999999999999999999bn' is not an amount"
            " of money: out of range (amounts must be below 10^18)",
        ),
        (
            contract("--occurred", "2018", "--value", "EUR 58,000 crore"),
            CONTRACT,
            "Invalid value for '--value': 'EUR 58,000 crore' is not an amount of money: crore"
            " is an Indian unit, used with INR (₹, Rs) only; give EUR amounts in m or bn",
        ),
        (
            (
                "log",
                "figure",
                "x-1",
                "--quantity",
                "100000000000000000000000000000",
                "--occurred",
                "2019",
                *SRC,
            ),
            FIGURE,
            "Invalid value for '--quantity': '100000000000000000000000000000' is out of range:"
            " at most 1,000,000,000,000",
        ),
    ],
)
def test_bad_dates_amounts_and_quantities_are_refused_and_nothing_is_written(
    run: Cli, args: tuple[str, ...], usage: str, message: str
) -> None:
    before = run.log_json()
    assert run.fails(*args, code=2) == usage_error(usage, message)
    assert run.log_json() == before

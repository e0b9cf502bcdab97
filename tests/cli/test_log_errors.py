"""Bad input as a new user types it: one clear error line, exit 1 or 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import Cli, text, usage_error
from tests.cli.story import CONTRACT, REF, SCHEDULE

SRC = ("--source", "https://example.org/report")
# What a refused quantity lists after "expected a whole number".
QUANTITY_FORMS = (
    "(6,01,427; 5 lakh) or an estimate ('~48,000', 'about 48,000', 'over 5 lakh', '500,000+',"
    " 'under 500', 'up to 500', '5-6', 'unknown')"
)
DELIVERY = "log delivery [OPTIONS] CONTRACT"


@pytest.fixture
def contract(run: Cli) -> Cli:
    run.ok(*CONTRACT)
    run.ok(*SCHEDULE)
    return run


def delivery(*args: str) -> tuple[str, ...]:
    return ("log", "delivery", REF, *args)


@pytest.mark.parametrize(
    ("args", "usage", "message"),
    [
        (
            delivery("--quantity", "1", "--occurred", "2021-13-01", *SRC),
            DELIVERY,
            "Invalid value for '--occurred': '2021-13-01' is not a date: month must be in 1..12",
        ),
        (
            delivery("--quantity", "1", "--occurred", "last week", *SRC),
            DELIVERY,
            "Invalid value for '--occurred': 'last week' is not a date: expected YYYY-MM-DD,"
            " YYYY-MM, YYYY-Qn, YYYY, '6 Dec 2021', 'Dec 2021', 'Q3 2024', 'H1 2026',"
            " 'early/mid/late 2022', 'by 2023', 'by end May 2026', '2026-27', 'Jul-Aug 2025',"
            " '2026/2027', '../2026-05', '~2021', 'circa 2021', '2021?',"
            " 'unknown' or (for a due date) '+32 months after production start',"
            " '+24 months after signing'",
        ),
        (
            delivery("--quantity", "-3", "--occurred", "2021-12", *SRC),
            DELIVERY,
            "Invalid value for '--quantity': '-3' is not a quantity: expected a whole number"
            f" {QUANTITY_FORMS}",
        ),
        (
            delivery("--quantity", "three", "--occurred", "2021-12", *SRC),
            DELIVERY,
            "Invalid value for '--quantity': 'three' is not a quantity: expected a whole"
            f" number {QUANTITY_FORMS}",
        ),
        (
            delivery("--quantity", "1", "--cumulative-total", "2", "--occurred", "2021-12", *SRC),
            DELIVERY,
            "Give exactly one of --quantity or --cumulative-total.",
        ),
        (
            delivery("--quantity", "1", "--occurred", "2021-12"),
            DELIVERY,
            "Give at least one --source URL (or --source-title).",
        ),
        (
            delivery("--quantity", "1", "--occurred", "2021-12", *SRC, *SRC, "--publisher", "A"),
            DELIVERY,
            "1 --publisher for 2 sources: give --publisher once per source"
            " (use '' where unknown) or not at all.",
        ),
        (
            delivery("--quantity", "1", "--occurred", "2021-12", *SRC, "--published", "21/12/2021"),
            DELIVERY,
            "Invalid value for '--published': '21/12/2021' is not a day (YYYY-MM-DD)",
        ),
        (
            ("log", "delivery", "S-400 India", "--quantity", "1", "--occurred", "2021", *SRC),
            DELIVERY,
            "Invalid value for 'CONTRACT': 'S-400 India' is not a reference: use lowercase"
            " letters, digits and single hyphens, e.g. 's400-india-2018'",
        ),
        (
            ("log", "figure", REF, "--value", "XYZ 5bn", "--occurred", "2018", *SRC),
            "log figure [OPTIONS] CONTRACT",
            "Invalid value for '--value': Unknown currency 'XYZ': not an ISO 4217 code",
        ),
        (
            ("log", "figure", REF, "--value", "5 billion", "--occurred", "2018", *SRC),
            "log figure [OPTIONS] CONTRACT",
            "Invalid value for '--value': '5 billion' is not an amount of money: expected a"
            " currency and an amount, e.g. 'USD 5.43bn', 'INR 5,100 crore', 'USD 671m'",
        ),
        (
            ("log", "jv", "irrpl", "--name", "X", "--partner", "A=150", "--occurred", "2019", *SRC),
            "log jv [OPTIONS] REFERENCE",
            "Invalid value for '--partner': '150' is not a percentage between 0 and 100",
        ),
        (
            ("log", "note", "caatsa", "--text", "x", "--occurred", "2021", *SRC),
            "log note [OPTIONS] SUBJECT",
            "Invalid value for 'SUBJECT': 'caatsa' is not a subject: expected contract:<ref>,"
            " jv:<ref>, agreement:<ref> or topic:<slug>",
        ),
        (
            (
                "log",
                "revise",
                REF,
                "--milestone",
                "squadron 4",
                "--milestone",
                "squadron 5",
                "--due",
                "2027",
                "--occurred",
                "2025",
                *SRC,
                "--event-id",
                "retry-2",
            ),
            "log revise [OPTIONS] CONTRACT",
            "--event-id names one event; this logs several.",
        ),
        (
            ("log", "amend", REF, "--reason", "x", "--occurred", "2025", *SRC),
            "log amend [OPTIONS] CONTRACT",
            "Give --quantity, --value or both.",
        ),
        (
            ("log", "correct", "1", "--set", "quantity", "--reason", "x", *SRC),
            "log correct [OPTIONS] EVENT",
            "Invalid value for '--set': 'quantity' is not FIELD=VALUE, e.g. quantity=2",
        ),
        (
            ("log", "correct", "1", "--set", "quantity=two", "--reason", "x", *SRC),
            "log correct [OPTIONS] EVENT",
            "Invalid value for '--set': quantity: 'two' is not a quantity: expected a whole"
            f" number {QUANTITY_FORMS}",
        ),
    ],
)
def test_a_value_that_cannot_be_read_is_a_usage_error(
    contract: Cli, args: tuple[str, ...], usage: str, message: str
) -> None:
    before = contract.log_json()
    assert contract.fails(*args, code=2) == usage_error(usage, message)
    assert contract.log_json() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("log", "delivery", "s400-india-2019", "--quantity", "1", "--occurred", "2021-12",
             *SRC),
            "No contract 's400-india-2019'",
        ),
        (
            delivery("--quantity", "6", "--occurred", "2024", *SRC),
            "Delivery of 6 squadrons to s400-india-2018 would bring delivered to 6,"
            " above the 5 ordered",
        ),
        (
            delivery("--quantity", "1", "--occurred", "2027", *SRC),
            "Delivery to s400-india-2018 dated 2027 has not happened yet (today is 2026-01-15)",
        ),
        (
            ("log", "revise", REF, "--milestone", "squadron 9", "--due", "2027", "--occurred",
             "2025", *SRC),
            "No milestone 'squadron 9' in the schedule of s400-india-2018",
        ),
        (
            ("log", "jv", "irrpl", "--name", "X", "--partner", "A=50", "--partner", "B=40",
             "--occurred", "2019", *SRC),
            "Invalid joint venture: partners: partner shares sum to 90, not 100",
        ),
        (
            ("log", "agreement", "mtc", "--title", "T", "--party", "India", "--valid-from",
             "2031", "--valid-to", "2021", "--occurred", "2021", *SRC),
            "Invalid agreement: valid_to 2021 is before valid_from 2031",
        ),
        (
            ("log", "correct", "99", "--set", "quantity=1", "--reason", "x", *SRC),
            "No event at position 99",
        ),
        (
            ("log", "correct", "1", "--set", "colour=red", "--reason", "x", *SRC),
            "Event '{id}' (ContractSigned) has no field 'colour'",
        ),
        (
            ("log", "retract", "no-such-id", "--reason", "x", *SRC),
            "No event 'no-such-id'",
        ),
    ],
)  # fmt: skip
def test_a_fact_the_log_refuses_is_one_error_line_and_exit_1(
    contract: Cli, args: tuple[str, ...], message: str
) -> None:
    before = contract.log_json()
    first_id = contract.ok("show", "1", "--format", "json").split('"event_id": "')[1][:36]
    assert contract.fails(*args) == text(f"Error: {message.format(id=first_id)}")
    assert contract.log_json() == before


def test_the_same_event_id_with_other_content_is_refused(contract: Cli) -> None:
    args = delivery("--quantity", "1", "--occurred", "2021-12", *SRC, "--event-id", "retry-1")
    contract.ok(*args)
    before = contract.log_json()
    other = delivery("--quantity", "2", "--occurred", "2021-12", *SRC, "--event-id", "retry-1")
    assert contract.fails(*other) == text(
        "Error: Event retry-1 is already stored at position 3 in stream"
        " 'contract:s400-india-2018' with different content"
    )
    assert contract.log_json() == before


def test_a_missing_database_says_how_to_create_one(tmp_path: Path) -> None:
    run = Cli(f"{tmp_path}/none.db")
    assert run.fails("log", "note", "topic:x", "--text", "x", "--occurred", "2021", *SRC) == text(
        f"Error: No tracker database at {tmp_path}/none.db (run 'tracker init' to create one)"
    )

"""`tracker log KIND`: each kind of event logged as typed, reported in one line."""

from __future__ import annotations

import json

import pytest

from tests.cli.conftest import Cli, text
from tests.cli.story import CONTRACT, REF, SCHEDULE

SRC = ("--source", "https://example.org/report")
ID = "00000000-0000-4000-8000-00000000000"  # + a digit: fixed ids make the output exact


@pytest.fixture
def contract(run: Cli) -> Cli:
    """The S-400 contract (position 1) and its five-milestone schedule (position 2)."""
    run.ok(*CONTRACT)
    run.ok(*SCHEDULE)
    return run


def test_contract_is_logged_with_its_stream_version_position_and_summary(run: Cli) -> None:
    assert run.ok(*CONTRACT, "--event-id", ID + "1") == text(
        "Logged contract:s400-india-2018 v1 at position 1: Contract s400-india-2018 signed:"
        " India buys 5 squadrons of S-400 Triumf (SAM system) from Russia for USD 5 bn",
        f"  event id: {ID}1",
    )


def test_a_contract_may_say_the_number_ordered_is_unknown(run: Cli) -> None:
    out = run.ok(
        "log", "contract", "su30-india-2020", "--system", "Su-30MKI", "--buyer", "India",
        "--seller", "Russia", "--quantity", "unknown", "--unit", "aircraft",
        "--occurred", "2020", *SRC,
    )  # fmt: skip
    assert out.splitlines()[0] == (
        "Logged contract:su30-india-2020 v1 at position 1: Contract su30-india-2020 signed:"
        " India buys an unknown number of aircraft of Su-30MKI from Russia"
    )
    [status] = json.loads(run.ok("status", "--format", "json"))
    assert (status["ordered"], status["remaining"], status["percent"]) == (None, None, None)


def test_delivery_names_the_unit_of_its_contract(contract: Cli) -> None:
    out = contract.ok(
        "log", "delivery", REF, "--quantity", "1", "--label", "squadron 1",
        "--occurred", "2021-12", "--destination", "Punjab sector", *SRC, "--event-id", ID + "2",
    )  # fmt: skip
    assert out == text(
        "Logged contract:s400-india-2018 v3 at position 3:"
        " Delivered 1 squadron (squadron 1) to Punjab sector under s400-india-2018",
        f"  event id: {ID}2",
    )


def test_delivery_may_give_a_running_total_instead(contract: Cli) -> None:
    out = contract.ok("log", "delivery", REF, "--cumulative-total", "2", "--occurred", "2022", *SRC)
    assert out.splitlines()[0] == (
        "Logged contract:s400-india-2018 v3 at position 3:"
        " Delivered 2 squadrons in total under s400-india-2018"
    )
    [event] = json.loads(contract.ok("events", "--type", "DeliveryRecorded", "--format", "json"))
    assert event["payload"]["cumulative_total"] == 2


def test_amend_cancel_and_figure_are_logged_against_the_contract(contract: Cli) -> None:
    firsts = [
        contract.ok(*args, *SRC).splitlines()[0]
        for args in (
            ("log", "amend", REF, "--quantity", "6", "--reason", "option taken",
             "--occurred", "2020-01"),
            ("log", "figure", REF, "--value", "USD 5.43bn", "--note", "INR 40,000 crore",
             "--occurred", "2018-10-05"),
            ("log", "figure", REF, "--quantity", "10", "--occurred", "2023"),
            ("log", "cancel", REF, "--reason", "sanctions", "--occurred", "2024-01"),
        )
    ]  # fmt: skip
    assert firsts == [
        "Logged contract:s400-india-2018 v3 at position 3:"
        " Contract s400-india-2018 amended: quantity 6 squadrons (option taken)",
        "Logged contract:s400-india-2018 v4 at position 4:"
        " Reported value of s400-india-2018: USD 5.43 bn (INR 40,000 crore)",
        "Logged contract:s400-india-2018 v5 at position 5:"
        " Reported quantity of s400-india-2018: 10 squadrons",
        "Logged contract:s400-india-2018 v6 at position 6:"
        " Contract s400-india-2018 cancelled: sanctions",
    ]


def test_schedule_takes_one_milestone_per_option(run: Cli) -> None:
    run.ok(*CONTRACT)
    out = run.ok(
        "log", "schedule", REF, "--milestone", "squadron 1", "1", "2021-12",
        "--milestone", "rest", "4", "by 2023", "--occurred", "2021-10-05", *SRC,
    )  # fmt: skip
    assert out.splitlines()[0] == (
        "Logged contract:s400-india-2018 v2 at position 2: Schedule for s400-india-2018:"
        " squadron 1: 1 due Dec 2021; rest: 4 due by end 2023"
    )


def test_revise_logs_one_revision_per_milestone_all_or_none(contract: Cli) -> None:
    out = contract.ok(
        "log", "revise", REF, "--milestone", "squadron 4", "--milestone", "squadron 5",
        "--due", "by 2024", "--reason", "Ukraine war", "--occurred", "2023-03-23", *SRC,
    )  # fmt: skip
    assert [line for line in out.splitlines() if not line.startswith("  ")] == [
        "Logged contract:s400-india-2018 v3 at position 3:"
        " squadron 4 of s400-india-2018 now due by end 2024: Ukraine war",
        "Logged contract:s400-india-2018 v4 at position 4:"
        " squadron 5 of s400-india-2018 now due by end 2024: Ukraine war",
    ]


def test_agreement_and_its_extension(run: Cli) -> None:
    signed = run.ok(
        "log", "agreement", "mtc-india-russia", "--title", "Military-technical cooperation",
        "--party", "India", "--party", "Russian Federation", "--valid-from", "2011",
        "--valid-to", "2020", "--occurred", "2011", *SRC,
    )  # fmt: skip
    extended = run.ok(
        "log", "extend", "mtc-india-russia", "--valid-to", "2031",
        "--title", "Programme 2021-2031", "--occurred", "2021-12-06", *SRC,
    )  # fmt: skip
    assert signed.splitlines()[0] == (
        "Logged agreement:mtc-india-russia v1 at position 1: Agreement mtc-india-russia"
        " signed by India, Russia: Military-technical cooperation (valid 2011 to 2020)"
    )
    assert extended.splitlines()[0] == (
        "Logged agreement:mtc-india-russia v2 at position 2:"
        " Agreement mtc-india-russia extended to 2031 as 'Programme 2021-2031'"
    )


def test_joint_venture_and_its_production(run: Cli) -> None:
    jv = run.ok(
        "log", "jv", "irrpl", "--name", "Indo-Russian Rifles Pvt Ltd",
        "--partner", "AWEIL and MIL=50.5", "--partner", "Kalashnikov Concern=42",
        "--partner", "Rosoboronexport=7.5%", "--location", "Korwa, Amethi",
        "--product", "AK-203", "--occurred", "2019-03-03", *SRC,
    )  # fmt: skip
    run.ok(
        "log", "contract", "ak203-india-2021", "--system", "AK-203", "--buyer", "India",
        "--seller", "Indo-Russian Rifles Pvt Ltd", "--quantity", "6,01,427", "--unit", "rifles",
        "--joint-venture", "irrpl", "--occurred", "2021-12-06", *SRC,
    )  # fmt: skip
    made = run.ok(
        "log", "production", "irrpl", "--contract", "ak203-india-2021",
        "--cumulative-total", "35,000", "--indigenisation-percent", "50",
        "--occurred", "2024-07-06", *SRC,
    )  # fmt: skip
    assert jv.splitlines()[0] == (
        "Logged jv:irrpl v1 at position 1: Joint venture irrpl established:"
        " Indo-Russian Rifles Pvt Ltd at Korwa, Amethi"
        " (AWEIL and MIL 50.5%, Kalashnikov Concern 42%, Rosoboronexport 7.5%)"
    )
    assert made.splitlines()[0] == (
        "Logged jv:irrpl v2 at position 3:"
        " irrpl produced 35,000 rifles in total for ak203-india-2021, 50% indigenous"
    )


def test_note_goes_to_the_stream_it_is_about(contract: Cli) -> None:
    topic = contract.ok(
        "log", "note", "topic:caatsa", "--text", "No waiver decided", "--tag", "sanctions",
        "--occurred", "2021-11", *SRC,
    )  # fmt: skip
    about = contract.ok(
        "log", "note", f"contract:{REF}", "--text", "Used in May 2025", "--occurred", "2025-05",
        *SRC,
    )  # fmt: skip
    assert topic.splitlines()[0] == (
        "Logged topic:caatsa v1 at position 3: Note on topic:caatsa: No waiver decided"
    )
    assert about.splitlines()[0] == (
        "Logged contract:s400-india-2018 v3 at position 4:"
        " Note on contract:s400-india-2018: Used in May 2025"
    )


def test_correct_by_log_position_changes_what_status_counts(contract: Cli) -> None:
    contract.ok(
        "log", "delivery", REF, "--quantity", "1", "--occurred", "2021-12", *SRC,
        "--event-id", ID + "3",
    )  # fmt: skip
    out = contract.ok(
        "log", "correct", "3", "--set", "quantity=2", "--reason", "two arrived", *SRC,
        "--event-id", ID + "4",
    )  # fmt: skip
    assert out == text(
        f"Logged contract:s400-india-2018 v4 at position 4: Corrected event {ID}3:"
        " quantity = 2 (two arrived)",
        f"  event id: {ID}4",
    )
    [status] = json.loads(contract.ok("status", "--format", "json"))
    assert status["delivered"] == 2


def test_correct_takes_money_and_dates_as_typed(contract: Cli) -> None:
    out = contract.ok(
        "log", "correct", "1", "--set", "value=USD 5.43bn", "--set", "occurred=2018-10",
        "--reason", "better source", *SRC,
    )  # fmt: skip
    assert out.splitlines()[0].endswith(
        ": value = {'amount': '5430000000', 'currency': 'USD'}, occurred = 2018-10 (better source)"
    )
    [status] = json.loads(contract.ok("status", "--format", "json"))
    assert status["value"] == {"amount": "5430000000", "currency": "USD"}


def test_retract_by_event_id_takes_the_event_out_of_every_view(contract: Cli) -> None:
    contract.ok(
        "log", "delivery", REF, "--quantity", "1", "--occurred", "2021-12", *SRC,
        "--event-id", ID + "5",
    )  # fmt: skip
    out = contract.ok("log", "retract", ID + "5", "--reason", "report denied", *SRC)
    assert out.splitlines()[0] == (
        f"Logged contract:s400-india-2018 v4 at position 4: Retracted event {ID}5: report denied"
    )
    [status] = json.loads(contract.ok("status", "--format", "json"))
    assert status["delivered"] == 0
    [retraction] = json.loads(contract.ok("events", "--type", "EventRetracted", "--format", "json"))
    assert retraction["occurred"] == "2026-01-15"  # --occurred defaults to today


def test_dry_run_shows_the_event_and_writes_nothing(contract: Cli) -> None:
    before = contract.log_json()
    out = contract.ok(
        "log", "delivery", REF, "--quantity", "1", "--label", "squadron 1",
        "--occurred", "2021-12", *SRC, "--publisher", "NewsBytes", "--dry-run",
    )  # fmt: skip
    assert out == text(
        "Would log contract:s400-india-2018 v3 at position 3:"
        " Delivered 1 squadron (squadron 1) under s400-india-2018",
        "{",
        '  "type": "DeliveryRecorded",',
        '  "occurred": "2021-12",',
        '  "sources": [',
        "    {",
        '      "publisher": "NewsBytes",',
        '      "url": "https://example.org/report"',
        "    }",
        "  ],",
        '  "contract": "s400-india-2018",',
        '  "quantity": 1,',
        '  "label": "squadron 1",',
        '  "unscheduled": false,',
        '  "estimates": {},',
        '  "size_unknown": false,',
        '  "split_estimate": false,',
        '  "quality": []',
        "}",
        "Dry run: nothing written.",
    )
    assert contract.log_json() == before


def test_dry_run_and_actor_may_come_before_the_kind(contract: Cli) -> None:
    before = contract.log_json()
    out = contract.ok(
        "log", "--dry-run", "--actor", "analyst", "cancel", REF, "--reason", "x",
        "--occurred", "2024", *SRC,
    )  # fmt: skip
    assert out.endswith("Dry run: nothing written.\n")
    assert contract.log_json() == before


def test_a_retry_with_the_same_event_id_logs_nothing_new(contract: Cli) -> None:
    args = ("log", "delivery", REF, "--quantity", "1", "--occurred", "2021-12", *SRC)
    contract.ok(*args, "--event-id", ID + "6")
    before = contract.log_json()
    assert contract.ok(*args, "--event-id", ID + "6") == text(
        "Already logged contract:s400-india-2018 v3 at position 3:"
        " Delivered 1 squadron under s400-india-2018",
        "  matched to milestone 'squadron 1' (the earliest open)",
        f"  event id: {ID}6",
    )
    assert contract.log_json() == before


def test_actor_and_every_source_are_stored_with_the_event(contract: Cli) -> None:
    contract.ok(
        "log", "delivery", REF, "--quantity", "1", "--occurred", "2021-12",
        "--source", "https://a.example/1", "--source-title", "First", "--publisher", "A",
        "--published", "2021-12-21",
        "--source", "", "--source-title", "Second, offline", "--publisher", "B",
        "--published", "",
        "--actor", "analyst", "--confidence", "confirmed",
    )  # fmt: skip
    shown = json.loads(contract.ok("show", "3", "--format", "json"))
    assert shown["metadata"]["actor"] == "analyst"
    sources = [{k: v for k, v in s.items() if v} for s in shown["metadata"]["sources"]]
    assert sources == [
        {
            "publisher": "A",
            "published": "2021-12-21",
            "title": "First",
            "url": "https://a.example/1",
        },
        {"publisher": "B", "title": "Second, offline"},
    ]
    assert shown["payload"]["confidence"] == "confirmed"


def test_log_without_a_kind_or_a_file_shows_its_help(run: Cli) -> None:
    out = run.ok("log")
    assert out.startswith("Usage: tracker log [OPTIONS] KIND [ARGS]...\n")
    assert "Commands:\n  agreement " in out

"""`tracker log --file`: JSON Lines or YAML, all events or none, bad lines named."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.cli.conftest import Cli, text, usage_error

Write = Callable[[str, str], Path]

AK203 = [
    {"kind": "jv", "reference": "irrpl", "name": "Indo-Russian Rifles Pvt Ltd",
     "partners": {"AWEIL and MIL": 50.5, "Kalashnikov Concern": 42, "Rosoboronexport": 7.5},
     "location": "Korwa, Amethi", "products": ["AK-203"], "occurred": "2019-03-03",
     "sources": ["https://www.indiatvnews.com/news/india/ak47-203"], "event_id": "ak-1"},
    {"kind": "contract", "reference": "ak203-india-2021", "system": "AK-203",
     "buyer": "India", "seller": "Indo-Russian Rifles Pvt Ltd", "quantity": "6,01,427",
     "unit": "rifles", "value": "INR 5,100 crore", "joint_venture": "irrpl",
     "occurred": "2021-12-06", "event_id": "ak-2",
     "sources": [{"url": "https://www.hindustantimes.com/india-news/s400", "title": "S-400 deal",
                  "publisher": "Hindustan Times", "published": "2021-12-06"}]},
    {"kind": "production", "joint_venture": "irrpl", "contract": "ak203-india-2021",
     "cumulative_total": 27000, "occurred": "2024-05-20", "event_id": "ak-3",
     "sources": ["https://tass.com/defense/1790891"]},
    {"kind": "production", "joint_venture": "irrpl", "contract": "ak203-india-2021",
     "cumulative_total": 35000, "occurred": "2024-07-06", "event_id": "ak-4",
     "sources": ["https://www.newindianexpress.com/nation/2024/Jul/06"]},
]  # fmt: skip


# What a refused quantity lists after "expected a whole number".
QUANTITY_FORMS = (
    "(6,01,427; 5 lakh) or an estimate ('~48,000', 'about 48,000', 'over 5 lakh', '500,000+',"
    " 'under 500', 'up to 500', '5-6', 'unknown')"
)


def jsonl(*records: object) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def test_a_json_lines_file_is_logged_in_one_go(run: Cli, write: Write) -> None:
    path = write("ak203.jsonl", jsonl(*AK203))
    assert run.ok("log", "--file", str(path)) == text(
        "Logged 4 events from ak203.jsonl at positions 1-4."
    )
    [venture] = json.loads(run.ok("production", "--format", "json"))
    [made] = venture["contracts"]
    assert (made["contract"], made["target"], made["cumulative"]) == (
        "ak203-india-2021",
        601427,
        35000,
    )


def test_a_retried_file_with_event_ids_logs_nothing_twice(run: Cli, write: Write) -> None:
    path = write("ak203.jsonl", jsonl(*AK203))
    run.ok("log", "--file", str(path))
    before = run.log_json()
    assert run.ok("log", "--file", str(path)) == text(
        "Logged 0 events from ak203.jsonl (4 already logged)."
    )
    assert run.log_json() == before


def test_a_correction_in_a_file_targets_an_earlier_record_by_its_id(run: Cli, write: Write) -> None:
    made = dict(AK203[3], id="july", event_id=None)
    fix = {"kind": "correct", "target": "july", "changes": {"cumulative_total": 35500},
           "reason": "35,500 per the later report", "occurred": "2024-07",
           "sources": ["https://example.org/fix"]}  # fmt: skip
    path = write("ak203.jsonl", jsonl(*AK203[:3], made, fix))
    assert run.ok("log", "--file", str(path)) == text(
        "Logged 5 events from ak203.jsonl at positions 1-5."
    )
    [venture] = json.loads(run.ok("production", "--format", "json"))
    assert venture["contracts"][0]["cumulative"] == 35500


def test_records_without_ids_are_not_logged_twice(run: Cli, write: Write) -> None:
    plain = [{k: v for k, v in r.items() if k != "event_id"} for r in AK203]
    path = write("ak203.jsonl", jsonl(*plain))
    run.ok("log", "--file", str(path))
    assert run.ok("log", "--file", str(path)) == text(
        "Logged 0 events from ak203.jsonl (4 already logged)."
    )


def test_a_dry_run_lists_every_event_and_writes_nothing(run: Cli, write: Write) -> None:
    path = write("ak203.jsonl", jsonl(*AK203[:2]))
    assert run.ok("log", "--file", str(path), "--dry-run") == text(
        "Would log jv:irrpl v1 at position 1: Joint venture irrpl established:"
        " Indo-Russian Rifles Pvt Ltd at Korwa, Amethi"
        " (AWEIL and MIL 50.5%, Kalashnikov Concern 42%, Rosoboronexport 7.5%)",
        "Would log contract:ak203-india-2021 v1 at position 2: Contract ak203-india-2021 signed:"
        " India buys 601,427 rifles of AK-203 from Indo-Russian Rifles Pvt Ltd for INR 51 bn",
        "Would log 2 events from ak203.jsonl at positions 1-2.",
        "Dry run: nothing written.",
    )
    assert json.loads(run.log_json()) == []


YAML = """\
# The S-400 contract and its first delivery.
- kind: contract
  reference: s400-india-2018
  system: S-400 Triumf
  buyer: India
  seller: Russia
  quantity: 5
  unit: squadrons
  value: USD 5bn
  occurred: 2018-10-05
  sources:
    - url: https://www.ndtv.com/india-news/india-russia-sign-s-400-missile-deal
      publisher: NDTV
      published: 2018-10-05
- kind: schedule
  contract: s400-india-2018
  milestones:
    - {label: squadron 1, quantity: 1, due: 2021}
    - {label: the rest, quantity: 4, due: by 2023}
  occurred: 2021-10-05
  sources: [https://sputnikglobe.com/20211005]
- kind: delivery
  contract: s400-india-2018
  quantity: 1
  label: squadron 1
  occurred: 2021-12
  sources: [https://www.newsbytesapp.com/news/india/s-400]
"""


def test_a_yaml_file_takes_dates_and_years_unquoted(run: Cli, write: Write) -> None:
    path = write("s400.yaml", YAML)
    assert run.ok("log", "--file", str(path)) == text(
        "Logged 3 events from s400.yaml at positions 1-3."
    )
    view = json.loads(run.ok("schedule", "s400-india-2018", "--format", "json"))
    assert [(m["label"], m["due"], m["state"]) for m in view["milestones"]] == [
        ("squadron 1", "2021", "on time"),
        ("the rest", "by 2023", "overdue"),
    ]


def test_a_bad_value_names_the_file_line_field_and_value(run: Cli, write: Write) -> None:
    bad = dict(AK203[2], cumulative_total="three")
    path = write("ak203.jsonl", jsonl(*AK203[:2]) + "\n" + jsonl(bad))
    assert run.fails("log", "--file", str(path)) == text(
        "Error: ak203.jsonl line 4: cumulative_total: 'three' is not a quantity: expected a"
        f" whole number {QUANTITY_FORMS}"
    )
    assert json.loads(run.log_json()) == []


def test_a_line_that_is_not_json_is_named_and_nothing_is_written(run: Cli, write: Write) -> None:
    path = write("ak203.jsonl", jsonl(*AK203[:2]) + '{"kind": "production",\n')
    assert run.fails("log", "--file", str(path)) == text(
        "Error: ak203.jsonl line 3: not JSON: Expecting property name enclosed in double quotes"
        " at column 23 (a .jsonl file holds one JSON object per line)"
    )
    assert json.loads(run.log_json()) == []


def test_the_first_bad_line_is_the_one_reported(run: Cli, write: Write) -> None:
    early = dict(AK203[0], occurred="2019-13-03")
    path = write("ak203.jsonl", jsonl(early) + "not json\n")
    assert run.fails("log", "--file", str(path)) == text(
        "Error: ak203.jsonl line 1: occurred: '2019-13-03' is not a date: month must be in 1..12"
    )


def test_a_rule_broken_on_a_later_line_names_that_line(run: Cli, write: Write) -> None:
    stray = dict(AK203[2], contract="ak203-india-2022", event_id="ak-9")
    path = write("ak203.jsonl", jsonl(*AK203[:2], stray))
    assert run.fails("log", "--file", str(path)) == text(
        "Error: ak203.jsonl line 3: No contract 'ak203-india-2022'"
    )
    assert json.loads(run.log_json()) == []


def test_the_refused_line_is_found_however_deep_in_the_file(run: Cli, write: Write) -> None:
    made = [
        dict(AK203[2], cumulative_total=n * 1000, occurred=f"2024-0{n}", event_id=f"p-{n}")
        for n in range(1, 8)
    ]
    made[4]["occurred"] = "2027-01"  # line 7: production that has not happened yet
    path = write("ak203.jsonl", jsonl(*AK203[:2], *made))
    assert run.fails("log", "--file", str(path)) == text(
        "Error: ak203.jsonl line 7: Production for ak203-india-2021 dated 2027-01 has not"
        " happened yet (today is 2026-01-15)"
    )
    assert json.loads(run.log_json()) == []


def test_records_must_say_a_known_kind_with_known_fields(run: Cli, write: Write) -> None:
    kinds = (
        "(agreement, extend, contract, amend, cancel, figure, schedule, revise, delivery, jv,"
        " production, production-plan, note, party, correct, retract)"
    )
    cases = {
        '{"contract": "x"}': f"ak.jsonl line 1: needs a 'kind' {kinds}",
        '{"kind": "deliveries"}': f"ak.jsonl line 1: unknown kind 'deliveries' {kinds}",
        '{"kind": "note", "subject": "topic:x", "text": "t", "occurred": "2021",'
        ' "sources": ["u"], "colour": "red"}': (
            "ak.jsonl line 1: Invalid NoteRecorded: colour: Extra inputs are not permitted"
        ),
        '{"kind": "note", "subject": "topic:x", "occurred": "2021", "sources": []}': (
            "ak.jsonl line 1: Invalid NoteRecorded: sources: an event needs at least one"
            " source; text: Field required"
        ),
        "[1, 2]": "ak.jsonl line 1: expected an object with a 'kind', got [1, 2]",
    }
    for line, message in cases.items():
        path = write("ak.jsonl", line + "\n")
        assert run.fails("log", "--file", str(path)) == text(f"Error: {message}"), line


def test_yaml_syntax_errors_and_shapes_are_named(run: Cli, write: Write) -> None:
    cases = {
        "- kind: note\n  text: [unclosed\n": (
            "s.yaml line 3: not YAML: expected ',' or ']', but got '<stream end>'"
        ),
        "kind: note\n": "s.yaml line 1: expected a list of events",
    }
    for body, message in cases.items():
        path = write("s.yaml", body)
        assert run.fails("log", "--file", str(path)) == text(f"Error: {message}"), body


def test_a_file_of_unknown_format_or_none_at_all(run: Cli, write: Write) -> None:
    path = write("events.txt", "{}\n")
    assert run.fails("log", "--file", str(path)) == text(
        "Error: Cannot tell the format of events.txt: name it .jsonl (JSON Lines) or .yaml"
    )
    assert run.fails("log", "--file", "missing.jsonl", code=2) == usage_error(
        "log [OPTIONS] KIND [ARGS]...",
        "Invalid value for '--file': File 'missing.jsonl' does not exist.",
    )
    assert run.ok("log", "--file", str(write("empty.jsonl", "\n"))) == text(
        "No events in empty.jsonl."
    )


def test_a_file_and_a_kind_together_are_refused(run: Cli, write: Write) -> None:
    path = write("ak.jsonl", jsonl(*AK203))
    assert run.fails("log", "--file", str(path), "note", code=2) == usage_error(
        "log [OPTIONS] KIND [ARGS]...", "Give either --file or a KIND, not both."
    )


SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_the_seeds_load_with_log_file_once_and_every_table_fits_80_columns(run: Cli) -> None:
    for name in ("mtc-2021-2031", "s400", "ak203", "caatsa"):
        assert run.ok("log", "--file", str(SEEDS / f"{name}.yaml")).startswith("Logged ")
    again = run.ok("log", "--file", str(SEEDS / "s400.yaml"))
    assert again.startswith("Logged 0 events from s400.yaml (")
    views = {
        "status": run.ok("status"),
        "schedule": run.ok("schedule", "s400-india-2018", "--history"),
        "production": run.ok("production"),
        "agreements": run.ok("agreements"),
        "events": run.ok("events"),
    }
    for name, out in views.items():
        assert max(len(line) for line in out.splitlines()) <= 80, name
    assert "by end May 2026" in views["status"]  # the last column is wrapped, never cut

"""seed, export, import jsonl|sipri, backup and verify, as a person types them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.cli.conftest import Cli, text
from tracker.cli.main import cli

SIPRI = (
    "Source: SIPRI Arms Transfers Database (c) SIPRI.\n"
    "Data generated: 13 Mar 2025 10:02:49 AM\n"
    "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon description,"
    "Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per unit,"
    "SIPRI TIV for total order,SIPRI TIV of delivered weapons\n"
    "India,Russia,2018,,10,,S-400 Triumf,SAM system,6,,2021; 2022; 2023,New,"
    "INR390 b ($5.4 b) deal,65,650,390\n"
)


def test_seed_loads_each_seed_once(run: Cli):
    # s400: 28 events, 30 since the 2018 plan and the two undated reports are their own
    # events; ak203: 23, 26 since its production plan, the October 2032 revision and the
    # Army chief's 5,000-by-March note were added.
    assert run.ok("seed") == text(
        "mtc-2021-2031: 3 events, 3 new",
        "s400: 30 events, 30 new",
        "ak203: 26 events, 26 new",
        "caatsa: 6 events, 6 new",
    )
    assert run.ok("seed", "s400") == text("s400: 30 events, 0 new")


def test_seeding_an_unknown_name_lists_the_seeds(run: Cli):
    assert run.fails("seed", "nope") == text(
        "Error: No seed 'nope' (seeds: mtc-2021-2031, s400, ak203, caatsa)"
    )


def test_export_then_import_into_a_fresh_database_is_lossless(run: Cli, tmp_path: Path):
    run.ok("seed")
    first = tmp_path / "log.jsonl"
    run(*["export", "--output", str(first)])
    other = Cli(str(tmp_path / "other.db"))
    other.ok("init")
    assert other.ok("import", "jsonl", str(first)) == text(
        "Imported 65 events from log.jsonl (0 already present)."
    )
    again = tmp_path / "again.jsonl"
    other(*["export", "--output", str(again)])
    assert again.read_bytes() == first.read_bytes()
    assert other.ok("status", "--format", "json") == run.ok("status", "--format", "json")
    assert other.ok("import", "jsonl", str(first)) == text(
        "Imported 0 events from log.jsonl (65 already present)."
    )


def test_a_broken_export_is_refused_and_writes_nothing(run: Cli, tmp_path: Path):
    broken = tmp_path / "log.jsonl"
    broken.write_text('{"position": 1}\n', encoding="utf-8")
    message = run.fails("import", "jsonl", str(broken))
    assert message.startswith("Error: log.jsonl line 1: missing event_id, stream_id")
    assert run.log_json() == "[]\n"


def test_export_to_stdout_prints_one_line_per_event(run: Cli):
    run.ok("seed", "mtc-2021-2031")
    assert len(run.ok("export").splitlines()) == 3


def test_import_sipri_reports_deals_and_appends_nothing_the_second_time(run: Cli, tmp_path: Path):
    path = tmp_path / "register.csv"
    path.write_bytes(SIPRI.encode("latin-1"))
    label = "SIPRI Arms Transfers Database, trade register, 13 Mar 2025"
    # 5 events, counted by hand: the signing, SIPRI's comment, a delivery in each of
    # 2021, 2022 and 2023. The file has no preamble stating its scope.
    no_scope = "The file states no scope: nothing was retracted (see --scope)."
    assert run.ok("import", "sipri", str(path)) == text(
        f"{label}: 1 deals: 1 new, 0 corrected, 0 retracted, 0 unchanged; 5 events appended.",
        "0 flagged (data quality), 0 ambiguous.",
        no_scope,
    )
    assert run.ok("import", "sipri", str(path)) == text(
        f"{label}: 1 deals: 0 new, 0 corrected, 0 retracted, 1 unchanged; 0 events appended.",
        "0 flagged (data quality), 0 ambiguous.",
        no_scope,
    )


def test_a_file_that_is_not_a_sipri_export_is_named(run: Cli, tmp_path: Path):
    path = tmp_path / "notes.csv"
    path.write_text("hello,world\n", encoding="utf-8")
    assert run.fails("import", "sipri", str(path)) == text(
        f"Error: '{path}' is not a SIPRI Arms Transfers Database export: no header row "
        "starting 'Recipient,Supplier,' or 'SIPRI AT Database ID,' in its first 100 lines"
    )
    assert run.log_json() == "[]\n"


def test_backup_copies_a_database_that_verifies(run: Cli, tmp_path: Path):
    run.ok("seed")
    target = tmp_path / "copy.db"
    assert run.ok("backup", str(target)) == text(
        f"Backed up 65 events to {target}; its hash chain verifies."
    )
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM events").fetchone() == (65,)
    assert Cli(str(target)).ok("verify").startswith("OK: 65 events")


def test_verify_prints_a_digest_and_checks_the_log_still_extends_it(run: Cli):
    run.ok("seed", "mtc-2021-2031")
    out = run.ok("verify", "--digest").splitlines()
    assert out[0] == "OK: 3 events, hash chain intact up to position 3."
    digest = out[1]
    run.ok("seed", "s400")
    assert run.ok("verify", "--against", digest) == text(
        "OK: 33 events, hash chain intact up to position 33.",
        f"The log extends digest {digest}.",
    )


def test_verify_refuses_a_digest_the_log_does_not_hold(run: Cli):
    run.ok("seed", "mtc-2021-2031")
    stored = json.loads(run.ok("show", "2", "--format", "json"))["hash"]
    forged = "2:" + "a" * 64
    assert run.fails("verify", "--against", forged) == text(
        f"Error: the log does not extend digest {forged}: position 2 now has hash "
        f"{stored}, the digest says {'a' * 64}"
    )


def test_verify_names_the_first_altered_position(run: Cli, tmp_path: Path):
    run.ok("seed", "mtc-2021-2031")
    with sqlite3.connect(run.db) as db:
        db.execute("DROP TRIGGER events_no_update")
        db.execute(
            "UPDATE events SET payload = replace(payload, '2031', '2032') WHERE position = 2"
        )
    assert run.fails("verify") == text(
        "Error: chain broken at position 2: its stored hash does not match its content "
        "(the event was altered) (1 events verified before it)"
    )


def test_the_data_commands_are_registered():
    assert {"seed", "export", "import", "backup"} <= set(cli.list_commands(None))  # type: ignore[arg-type]

"""`tracker projections status|catch-up|rebuild` and `tracker completion`."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tests.cli.conftest import Cli, text
from tests.cli.story import log_s400
from tracker.cli.main import cli
from tracker.service.app import Tracker

NAMES = ["contracts", "joint_ventures", "agreements", "topics"]
# The code version of each projection, typed here: a bump must be seen in this test too.
VERSIONS = {"contracts": 4, "joint_ventures": 3, "agreements": 1, "topics": 1}
READS = [("status", "--format", "json"), ("schedule", "s400-india-2018", "--format", "json")]


def test_projections_status_shows_each_checkpoint_level_with_the_log(run: Cli) -> None:
    log_s400(run)
    assert run.ok("projections", "status") == text(
        "Projection       Checkpoint   Lag      Version   Stale",
        "─" * 54,
        *(
            f"{name:<14}{17:>13}{0:>6}   {VERSIONS[name]} (code {VERSIONS[name]})   no"
            for name in NAMES
        ),
    )


def test_projections_status_in_json_has_stable_keys(run: Cli) -> None:
    log_s400(run)
    rows = json.loads(run.ok("projections", "status", "--format", "json"))
    assert rows[0] == {
        "name": "contracts",
        "checkpoint": 17,
        "lag": 0,
        "version": VERSIONS["contracts"],
        "code_version": VERSIONS["contracts"],
        "stale": False,
    }


def test_rebuild_replays_the_log_and_changes_no_view(run: Cli) -> None:
    log_s400(run)
    before = run.ok("status", "--format", "json")
    assert run.ok("projections", "rebuild") == text("Rebuilt all projections from 17 events.")
    assert run.ok("projections", "rebuild", "contracts") == text(
        "Rebuilt contracts from 17 events."
    )
    assert run.ok("status", "--format", "json") == before


def _change(db: str, statement: str) -> None:
    """Change the read models behind the tracker's back (another program, an attacker)."""
    tracker = Tracker.open(db)
    try:
        with tracker.engine.begin() as conn:
            conn.exec_driver_sql(statement)
    finally:
        tracker.close()


def _lags(run: Cli) -> dict[str, tuple[int, bool]]:
    rows = json.loads(run.ok("projections", "status", "--format", "json"))
    return {r["name"]: (r["lag"], r["stale"]) for r in rows}


def test_reads_fold_the_log_while_the_read_models_lag_and_write_nothing(run: Cli) -> None:
    log_s400(run)
    answers = [run.ok(*read) for read in READS]
    _change(run.db, "UPDATE projection_checkpoints SET position = 10 WHERE name = 'contracts'")
    lagging = _lags(run)
    assert lagging["contracts"] == (7, False)  # 17 events, checkpoint at 10
    assert [run.ok(*read) for read in READS] == answers  # folded from the log
    assert _lags(run) == lagging  # and nothing was written


def test_catch_up_levels_the_read_models_and_then_has_nothing_to_do(run: Cli) -> None:
    log_s400(run)
    answers = [run.ok(*read) for read in READS]
    _change(run.db, "UPDATE projection_checkpoints SET position = 10 WHERE name = 'contracts'")
    # The contracts table holds rows of positions past 10: it is rebuilt from all 17 events.
    assert run.ok("projections", "catch-up") == text(
        "Read models level with the log (17 events applied)."
    )
    assert set(_lags(run).values()) == {(0, False)}
    assert run.ok("projections", "catch-up") == text(
        "Read models level with the log (0 events applied)."
    )
    assert [run.ok(*read) for read in READS] == answers


def test_a_write_levels_the_read_models_a_code_change_left_stale(run: Cli) -> None:
    log_s400(run)
    _change(run.db, "UPDATE projection_checkpoints SET version = 99 WHERE name = 'topics'")
    assert _lags(run)["topics"] == (0, True)
    run.ok("log", "note", "contract:s400-india-2018", "--text", "a note", "--occurred", "2026-01",
           "--source", "https://example.org/note")  # fmt: skip
    assert set(_lags(run).values()) == {(0, False)}


def test_db_upgrade_levels_the_read_models(run: Cli) -> None:
    log_s400(run)
    _change(run.db, "UPDATE projection_checkpoints SET version = 99 WHERE name = 'topics'")
    assert run.ok("db", "upgrade").startswith("Schema at ")
    assert set(_lags(run).values()) == {(0, False)}


def test_rebuilding_an_unknown_projection_names_the_known_ones(run: Cli) -> None:
    assert run.fails("projections", "rebuild", "deliveries") == text(
        "Error: No projection 'deliveries' (projections: " + ", ".join(NAMES) + ")"
    )


def test_completion_prints_the_script_click_would_source() -> None:
    runner = CliRunner()
    script = runner.invoke(cli, ["completion", "bash"], prog_name="tracker").stdout
    sourced = runner.invoke(
        cli, [], prog_name="tracker", env={"_TRACKER_COMPLETE": "bash_source"}
    ).stdout
    assert script == sourced
    assert "complete -o nosort -F _tracker_completion tracker" in script


def test_completion_completes_commands_kinds_and_choices() -> None:
    def complete(words: str) -> list[str]:
        env = {
            "_TRACKER_COMPLETE": "bash_complete",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        }
        out = CliRunner().invoke(cli, [], prog_name="tracker", env=env).stdout
        return [line.split(",", 1)[1] for line in out.splitlines()]

    assert complete("tracker sta") == ["status"]
    assert complete("tracker log del") == ["delivery"]
    assert complete("tracker log delivery x --confidence ") == [
        "confirmed",
        "reported",
        "planned",
        "unconfirmed",
    ]

"""Backup: `tracker backup FILE` of a live SQLite log while another process appends to it.

Every copy says how many events it holds, verifies, opens as a tracker database, and holds a
prefix of the source's log: the events of one moment, none half-copied, none from after.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

from tests.reliability.conftest import SOAK, Tally, chain, fresh, invoke, logged, ok
from tests.reliability.writer import CONTRACT
from tracker.service.app import Tracker

COMMANDS = 300 if SOAK else 30  # the appender's commands: a third of them reads


def test_backups_of_a_log_being_appended_to_verify_and_hold_a_prefix_of_it(
    tmp_path: Path, tally: Tally
) -> None:
    tally.campaign, tally.engine, tally.trials = "backup while appending", "sqlite", 0
    url = f"sqlite:///{tmp_path / 'live.db'}"
    fresh(url).seed()
    ok(
        url, "log", "contract", CONTRACT, "--system", "Igla-S", "--buyer", "India",
        "--seller", "Russia", "--quantity", "100000", "--unit", "launcher",
        "--occurred", "2024-01", "--source", "https://example.org/contract",
    )  # fmt: skip
    appender = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.writer", url, "0", str(COMMANDS), "inprocess"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    rng = random.Random("backup")
    copies: list[tuple[Path, str]] = []
    while appender.poll() is None:
        copy = tmp_path / f"copy-{len(copies)}.db"
        result = invoke(url, "backup", str(copy), tally=tally)
        tally.trials += 1
        tally.failures += result.exit_code != 0 or result.stderr != ""
        copies.append((copy, result.stdout))
        time.sleep(rng.uniform(0, 0.1))
    assert appender.wait() == 0, appender.stderr.read() if appender.stderr else ""

    source = logged(url)
    lengths = []
    for copy, said in copies:
        tracker = Tracker.open(str(copy))
        rows = chain(tracker)
        tracker.close()
        lengths.append(len(rows))
        assert said == f"Backed up {len(rows)} events to {copy}; its hash chain verifies.\n"
        assert ok(str(copy), "verify", tally=tally).startswith(f"OK: {len(rows)} events")
        assert invoke(str(copy), "status", "--format", "json", tally=tally).exit_code == 0
        assert rows == source[: len(rows)]
    assert tally.failures == 0
    assert len(set(lengths)) > 1, "every backup saw the same log: the appender was not live"

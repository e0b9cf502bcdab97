"""Concurrent use: four processes logging and reading through the CLI at the same time.

No failure reaches a user (every command exits 0 and prints nothing on stderr: no
"database is locked"), every event logged is in the log exactly once, and the chain
verifies. Each of the four processes loops the CLI in-process (every command opens and
closes the database as a process would); a soak also runs four loops that start a new
`tracker` process for every command.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest

from tests.reliability.conftest import SOAK, Tally, chain, fresh, ok, open_tracker
from tests.reliability.writer import CONTRACT

WORKERS = 4
# Commands per worker (a third notes, a third deliveries, a third reads), by how each runs.
COMMANDS = {"inprocess": 150 if SOAK else 15, "subprocess": 15}
MODES = ["inprocess", *(["subprocess"] if SOAK else [])]


@pytest.mark.xdist_group("concurrency")
@pytest.mark.parametrize("mode", MODES)
def test_four_cli_users_at_once_see_no_error_and_lose_or_duplicate_nothing(
    db_url: str, mode: str, tally: Tally
) -> None:
    tally.campaign = f"concurrent CLI ({mode})"
    fresh(db_url).close()
    ok(
        db_url, "log", "contract", CONTRACT, "--system", "Igla-S", "--buyer", "India",
        "--seller", "Russia", "--quantity", "100000", "--unit", "launcher",
        "--occurred", "2024-01", "--source", "https://example.org/contract",
    )  # fmt: skip
    base = [eid for _, eid, _ in chain_of(db_url)]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.reliability.writer",
                db_url,
                str(w),
                str(COMMANDS[mode]),
                mode,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(WORKERS)
    ]
    rows = []
    for proc in procs:
        out, err = proc.communicate()
        assert (proc.returncode, err) == (0, ""), err
        rows += [json.loads(line) for line in out.splitlines()]
    tally.trials = len(rows)
    tally.saw(*(r["stderr"] + r["stdout"] for r in rows))
    failed = [r for r in rows if r["code"] != 0 or r["stderr"]]
    tally.failures = len(failed)

    logged = [r["event_id"] for r in rows if r["event_id"]]
    have = [eid for _, eid, _ in chain_of(db_url)]
    counts = Counter(have)
    tally.lost = sum(1 for eid in logged if eid not in counts)
    tally.duplicated = sum(n - 1 for n in counts.values())
    assert failed == []
    assert ok(db_url, "verify").startswith("OK: ")
    assert sorted(have) == sorted(base + logged)


def chain_of(url: str) -> list[tuple[int, str, str]]:
    tracker = open_tracker(url)
    try:
        return chain(tracker)
    finally:
        tracker.close()

"""`make demo` tells the story the README promises: both time axes, the plans and the verdict.

The demo runs as a newcomer runs it (a fresh SQLite file, real `tracker` commands in
subprocesses). The figures checked here are the record's, typed from
../shared/domain-facts.md, not read back from the tracker.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path


def run_demo(tmp_path: Path) -> str:
    env = {**os.environ, "COLUMNS": "80"}
    env.pop("TRACKER_DATABASE_URL", None)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tracker.demo",
            "--db",
            str(tmp_path / "demo.db"),
            "--report",
            str(tmp_path / "demo.html"),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


def section(out: str, heading: str) -> str:
    """The output of the demo step whose heading starts with ``heading``."""
    parts = re.split(r"\n== ", out)
    found = [p for p in parts if p.startswith(heading)]
    assert found, f"no step '{heading}' in the demo"
    return found[0]


def needed(step: str) -> int:
    """The rate the production table says is needed ('7,795 needed')."""
    found = re.search(r"([\d,]+) needed", step)
    assert found, step
    return int(found.group(1).replace(",", ""))


def test_the_demo_teaches_both_axes_and_the_plan(tmp_path: Path):
    out = run_demo(tmp_path)

    # World axis: on 1 Jan 2022 one S-400 squadron of five had arrived (Dec 2021).
    as_of = section(out, "As of 1 January 2022")
    assert "--as-of 2022-01-01" in as_of
    assert "1 of 5" in as_of

    # The record's plan: 12,000 a month from 2026, the order due in October 2032.
    before = section(out, "AK-203 production at Korwa")
    assert "12,000" in before and "Oct 2032" in before
    assert "Dec 2030" not in before
    # The CEO's earlier target, logged by the demo: December 2030, so more a month is needed.
    after = section(out, "AK-203 production with the earlier target")
    assert "Dec 2030" in after and "behind plan" in after
    assert needed(after) > needed(before)

    # Record axis: as known on the moment before that plan, the log did not hold it.
    known = section(out, "As known on")
    assert "--known-at" in known
    assert "Dec 2030" not in known and "Oct 2032" in known
    assert needed(known) == needed(before)

    assert (tmp_path / "demo.html").stat().st_size > 10_000
    assert re.search(r"OK: \d+ events, hash chain intact", section(out, "The hash chain"))

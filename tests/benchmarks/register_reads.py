"""Workloads 9: reads on the whole SIPRI register (issue #15), each a whole ``tracker``
process, timed from its start to its exit, with that process's own peak RSS.

The register is imported once into a cached SQLite file (untimed, reused while the
register and the migrations are unchanged) and copied into each measurement's database.
Output goes to a file, as a person redirecting it would have it.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.benchmarks.coldstart import compile_tracker, tracker_script
from tests.benchmarks.databases import Db
from tests.benchmarks.harness import Sample
from tests.benchmarks.sipri_side import REGISTER

#: The day the commands see, so that 'overdue' and as-of answers do not move between runs.
TODAY = "2026-01-15"


@dataclass(frozen=True, slots=True)
class Command:
    """``tracker ARGS > file``, run ``runs`` times after one warm-up run."""

    args: str
    runs: int = 5

    @property
    def events(self) -> int:
        return self.runs


def run(system: str, db: Db, spec: Command, budget_s: float) -> Sample:
    """Median wall time of the runs (seconds) and the highest peak RSS among them."""
    for stale in (f"{db.path}-wal", f"{db.path}-shm"):
        Path(stale).unlink(missing_ok=True)
    shutil.copyfile(registered(), db.path)
    compile_tracker()
    argv = [sys.executable, str(tracker_script()), "--db", db.path, *shlex.split(spec.args)]
    out = Path(db.path).with_suffix(".out")
    _once(argv, out)  # warm-up: the page cache
    times, peaks = [], []
    for _ in range(spec.runs):
        seconds, peak_mib = _once(argv, out)
        times.append(seconds)
        peaks.append(peak_mib)
    extra = {
        "command": f"tracker {spec.args}",
        "runs_s": [round(t, 3) for t in times],
        "process_peak_mib": round(max(peaks), 1),
        "output_bytes": out.stat().st_size,
    }
    return Sample(spec.runs, statistics.median(times), extra=extra)


def _once(argv: list[str], out: Path) -> tuple[float, float]:
    """Seconds from start to exit, and the process's peak RSS in MiB (Linux: ru_maxrss KiB)."""
    env = {k: v for k, v in os.environ.items() if k != "TRACKER_DATABASE_URL"}
    with out.open("wb") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=sink, stderr=subprocess.PIPE, env=env | _env())
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise RuntimeError(f"{shlex.join(argv)} exited {proc.returncode}: {err}")
    return seconds, usage.ru_maxrss / 1024


def _env() -> dict[str, str]:
    return {"TRACKER_TODAY": TODAY}


def registered() -> Path:
    """A SQLite file holding the register, imported once and kept for later runs."""
    versions = Path(__file__).parents[2] / "alembic" / "versions"
    key = hashlib.sha256(REGISTER.read_bytes())
    for migration in sorted(versions.glob("*.py")):
        key.update(migration.read_bytes())
    cached = Path(tempfile.gettempdir()) / f"tracker-bench-register-{key.hexdigest()[:16]}.db"
    if not cached.exists():
        partial = cached.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        tracker = [sys.executable, str(tracker_script()), "--db", str(partial)]
        env = os.environ | _env()
        subprocess.run([*tracker, "init"], check=True, stdout=subprocess.DEVNULL, env=env)
        imported = [*tracker, "import", "sipri", str(REGISTER)]
        subprocess.run(imported, check=True, stdout=subprocess.DEVNULL, env=env)
        subprocess.run([*tracker, "status", "--limit", "1"], check=True, capture_output=True)
        partial.rename(cached)
    return cached

"""Workload 6: how long a whole ``tracker`` process takes, against the floor of its imports.

Each run starts a new interpreter (the files are in the page cache: the first run of each
is a warm-up, not counted). Every command and every floor (``python -c "import click"``
or ``"import sqlmodel"``: what no version of the command can avoid) runs once per round,
the order rotating each round, so the load of the rest of the machine falls on all alike.
Commands sharing a floor share its runs. One run of each under ``python -X importtime``
says which imports the time goes to.
"""

from __future__ import annotations

import shlex
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.benchmarks.databases import Db
from tests.benchmarks.harness import Sample

#: A delivery the seeded s400 contract can take (2 squadrons of 5 are still due).
DELIVERY = (
    "log delivery s400-india-2018 --quantity 1 --label 'squadron 5' --occurred 2024-06"
    " --source https://example.org/story --dry-run"
)


@dataclass(frozen=True, slots=True)
class Command:
    """``tracker ARGS`` (named ``name`` in the table), against ``python -c FLOOR``."""

    name: str
    args: str
    floor: str


@dataclass(frozen=True, slots=True)
class ColdStarts:
    """``runs`` rounds of every command and floor, on a seeded SQLite database."""

    commands: tuple[Command, ...]
    runs: int = 15

    @property
    def events(self) -> int:
        return self.runs


def tracker_script() -> Path:
    return Path(sys.executable).with_name("tracker")


def compile_tracker() -> None:
    """Compile the tracker's modules to bytecode, as pip does when it installs a package.

    The floors import sqlmodel and click from site-packages, compiled at install. This
    checkout is installed editable, and where PYTHONDONTWRITEBYTECODE=1 is set (as on the
    machines here) Python never writes the .pyc files it would write on a first run, so
    each run would compile every tracker module from source again: 0.08-0.16x of the
    floor that no installed tracker pays.
    """
    import tracker

    package = Path(tracker.__file__).parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)


def _once(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def run(system: str, db: Db, spec: ColdStarts, budget_s: float) -> Sample:
    tracker = [sys.executable, str(tracker_script()), "--db", db.path]
    subprocess.run([*tracker, "seed"], check=True, stdout=subprocess.DEVNULL)
    argv = {c.name: [*tracker, *shlex.split(c.args)] for c in spec.commands}
    argv |= {c.floor: [sys.executable, "-c", c.floor] for c in spec.commands}
    keys = list(argv)
    compile_tracker()
    for key in keys:
        _once(argv[key])  # warm-up: the page cache
    runs: dict[str, list[float]] = {k: [] for k in keys}
    for i in range(spec.runs):
        for key in keys[i % len(keys) :] + keys[: i % len(keys)]:
            runs[key].append(_once(argv[key]) * 1000)
    ms = {k: [round(t, 1) for t in got] for k, got in runs.items()}
    extra = {
        "commands": {c.name: f"tracker {c.args}" for c in spec.commands},
        "floor_of": {c.name: f"python -c {c.floor!r}" for c in spec.commands},
        "runs_ms": {c.name: ms[c.name] for c in spec.commands},
        "floor_runs_ms": {c.name: ms[c.floor] for c in spec.commands},
        "median_ms": {k: round(statistics.median(got), 1) for k, got in runs.items()},
        "importtime": {key: importtime(argv[key]) for key in keys},
    }
    timed = [runs[c.name] for c in spec.commands]
    return Sample(sum(map(len, timed)), sum(map(sum, timed)) / 1000, extra=extra)


def importtime(argv: list[str], top: int = 12) -> dict[str, object]:
    """One run under ``-X importtime``: the costliest imports, by own and by cumulative time
    (cumulative only for the imports made at the top level, which do not overlap)."""
    done = subprocess.run(
        [argv[0], "-X", "importtime", *argv[1:]], capture_output=True, text=True, check=True
    )
    own, top_level = [], []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative_us, name = line.removeprefix("import time:").split("|")
        depth = (len(name) - len(name.lstrip()) - 1) // 2
        module = name.strip()
        own.append((int(self_us), module))
        if depth == 0:
            top_level.append((int(cumulative_us), module))
    total = sum(us for us, _ in own)
    return {
        "total_ms": round(total / 1000, 1),
        "modules": len(own),
        "top_self_ms": {m: round(us / 1000, 1) for us, m in sorted(own, reverse=True)[:top]},
        "top_cumulative_ms": {
            m: round(us / 1000, 1) for us, m in sorted(top_level, reverse=True)[:top]
        },
    }

"""Where the tracker's append time goes: py-spy samples workload 1, summarised as a tree.

    python -m tests.benchmarks.profile_append [--engine sqlite|postgresql] [--streams N]

Samples every 2 ms, idle time included (waiting for fsync or the server is time too),
then prints the call tree below ``EventStore.append`` down to the first frame outside
the tracker, with each node's share of the time spent appending.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from tests.benchmarks import tracker_side
from tests.benchmarks.databases import fresh_db
from tests.benchmarks.payloads import Plan

ROOT = "EventStore.append"
_FRAME = re.compile(r"^(?P<fn>.+?) \((?P<file>[^:()]+)(?::(?P<line>\d+))?\)$")


def worker(engine: str, plan: Plan, pg_options: str) -> None:
    with fresh_db(engine) as db:
        db = db.with_pg_options(pg_options)
        tracker_side.setup(db)
        sample = tracker_side.append(db, plan, float("inf"))
    print(f"profiled run: {sample.events} events, {sample.rate:,.0f} events/s (under py-spy)")


def collapse(frame: str) -> tuple[str, bool]:
    """A frame's label, and whether it is the tracker's own code."""
    m = _FRAME.match(frame)
    if not m:
        return frame, False
    own = m["file"].startswith("tracker/")
    label = f"{m['fn']} ({m['file']}:{m['line']})" if own else f"{m['fn']} ({m['file']})"
    return label, own


def tree(raw: str) -> Counter[tuple[str, ...]]:
    """Counts per call path, from ROOT down to the first frame outside the tracker."""
    paths: Counter[tuple[str, ...]] = Counter()
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        starts = [i for i, f in enumerate(frames) if f.startswith(ROOT + " ")]
        if not starts:
            continue
        path: list[str] = []
        for frame in frames[starts[-1] :]:
            label, own = collapse(frame)
            path.append(label)
            if not own:
                break
        for depth in range(1, len(path) + 1):
            paths[tuple(path[:depth])] += int(count)
    return paths


#: (layer, test on the innermost frame's label or on any frame of the stack), first match wins.
_DRIVER = (".do_execute", ".do_executemany", ".do_commit", ".do_rollback", ".do_ping")
LAYERS: list[tuple[str, Callable[[str, list[str]], bool]]] = [
    ("database: waiting on the server", lambda leaf, _: leaf.startswith("Connection.wait ")),
    ("database: sqlite3 C calls, fsync", lambda leaf, _: leaf.split(" ")[0].endswith(_DRIVER)),
    ("psycopg (Python side)", lambda leaf, _: "(psycopg/" in leaf),
    ("SHA-256 hash chain", lambda _, st: any(f.startswith("chain_hash ") for f in st)),
    ("JSON encoding", lambda _, st: any(f.startswith("canonical_json ") for f in st)),
    ("strptime of recorded_at", lambda _, st: any(f.startswith("_parse_time ") for f in st)),
    ("SQLAlchemy (Python side)", lambda _, st: any("(sqlalchemy/" in f for f in st)),
    ("tracker code and the rest", lambda _, st: True),
]


def layers(raw: str) -> Counter[str]:
    """Samples inside ROOT by the layer the time was spent in."""
    found: Counter[str] = Counter()
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        starts = [i for i, f in enumerate(frames) if f.startswith(ROOT + " ")]
        if not starts:
            continue
        below = frames[starts[-1] :]
        name = next(n for n, test in LAYERS if test(below[-1], below))
        found[name] += int(count)
    return found


def report_layers(found: Counter[str]) -> str:
    total = sum(found.values()) or 1
    return "\n".join(f"{n / total:6.1%}  {name}" for name, n in found.most_common())


def report(paths: Counter[tuple[str, ...]], floor: float = 0.01) -> str:
    total = sum(n for p, n in paths.items() if len(p) == 1)
    lines = [f"{total} samples inside {ROOT}; nodes under {floor:.0%} left out"]
    for path in sorted(paths, key=lambda p: [(-paths[p[: i + 1]], p[i]) for i in range(len(p))]):
        share = paths[path] / total
        if share >= floor:
            lines.append(f"{share:6.1%}  {'  ' * (len(path) - 1)}{path[-1]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--streams", type=int, default=1000, help="streams of 100 events")
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--pg-options", default="", help="as run.py's --tracker-pg-options")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    plan = Plan(args.streams, 100, args.batch)
    if args.worker:
        worker(args.engine, plan, args.pg_options)
        return 0
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "stacks.txt"
        command = [spy, "record", "--idle", "-r", "500", "-f", "raw", "-o", str(out), "--"]
        command += [sys.executable, "-m", "tests.benchmarks.profile_append", "--worker"]
        command += ["--engine", args.engine, "--streams", str(args.streams)]
        command += ["--batch", str(args.batch), "--pg-options", args.pg_options]
        subprocess.run(command, check=True)
        raw = out.read_text()
        print(report_layers(layers(raw)))
        print()
        print(report(tree(raw)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Where a workload's time goes: py-spy samples one measurement and summarises it.

    python -m tests.benchmarks.profile_workload 3-import [--engine postgresql] [--events 20000]

Runs the workload's measurement in this process tree (not a spawned measuring process, so
py-spy sees it), sampling every 2 ms, idle time included (waiting for the disk or the
server is time too). Only samples under the workload's own call (``Tracker.log`` for 3,
``Projector.rebuild`` for 4, ...) count. It prints the share of that time by layer, the
tracker's functions by inclusive time, and the costliest innermost frames.
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from tests.benchmarks import tracker_side
from tests.benchmarks.corpus import Corpus
from tests.benchmarks.databases import fresh_db
from tests.benchmarks.logs import kept_logs
from tests.benchmarks.profile_append import _FRAME
from tests.benchmarks.workloads import WORKLOADS

#: The frame (function name as py-spy prints it) each workload's timed work runs under.
ROOTS = {
    "3-import": "log_events",
    "4-rebuild": "Projector.rebuild",
    "5-sipri": "import_sipri",
    "5-sipri-releases": "import_sipri",
    "7-reads": "Tracker.status",
}

#: SQLAlchemy's frames that call into the driver's C code (sqlite3 runs there, fsync too).
_DRIVER = (".do_execute", ".do_executemany", ".do_commit", ".do_rollback")
#: (layer, test on a frame's file), tried on the innermost frame first, then outwards.
LAYERS = [
    ("database: driver C calls, fsync, waits", ("psycopg/", "sqlite3/")),
    ("SQLAlchemy", ("sqlalchemy/",)),
    ("pydantic (validation, dumps)", ("pydantic/", "pydantic_core/")),
    ("JSON (orjson, json)", ("orjson", "json/")),
    ("tracker/domain", ("tracker/domain/",)),
    ("tracker/projections", ("tracker/projections/",)),
    ("tracker/store", ("tracker/store/",)),
    ("tracker (other)", ("tracker/",)),
]


def worker(key: str, engine: str, events: int | None) -> None:
    w = next(w for w in WORKLOADS if w.key == key)
    arg = w.arg(False)
    if events and isinstance(arg, Corpus):
        arg = dataclasses.replace(arg, events=events)
    with kept_logs(), fresh_db(engine) as db:
        tracker_side.setup(db)
        sample = w.run("tracker", db, arg, 3600.0)
    print(f"profiled run: {sample.events:,} in {sample.seconds:.1f} s (under py-spy)")


def _parse(raw: str, root: str) -> list[tuple[list[tuple[str, str]], int]]:
    """(frames from the root inwards as (function, file), count) for stacks under root."""
    out = []
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        frames = []
        for frame in stack.split(";"):
            m = _FRAME.match(frame)
            frames.append((m["fn"], m["file"]) if m else (frame, ""))
        starts = [i for i, (fn, _) in enumerate(frames) if fn == root]
        if starts:
            out.append((frames[starts[0] :], int(count)))
    return out


def _layer(frames: list[tuple[str, str]]) -> str:
    if frames[-1][0].endswith(_DRIVER):
        return LAYERS[0][0]
    for _, file in reversed(frames):
        for name, marks in LAYERS:
            if any(m in file for m in marks):
                return name
    return "other (C, stdlib)"


def summary(raw: str, root: str, top: int = 25) -> str:
    stacks = _parse(raw, root)
    total = sum(n for _, n in stacks) or 1
    layers: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    innermost: Counter[str] = Counter()
    for frames, n in stacks:
        layers[_layer(frames)] += n
        own = {f"{fn} ({file})" for fn, file in frames if file.startswith("tracker/")}
        for label in own:
            inclusive[label] += n
        fn, file = frames[-1]
        innermost[f"{fn} ({file})"] += n
    lines = [f"{total} samples under {root}", "", "by layer (innermost known frame):"]
    lines += [f"{n / total:6.1%}  {name}" for name, n in layers.most_common()]
    lines += ["", "tracker functions, inclusive:"]
    lines += [f"{n / total:6.1%}  {name}" for name, n in inclusive.most_common(top)]
    lines += ["", "innermost frames (self time):"]
    lines += [f"{n / total:6.1%}  {name}" for name, n in innermost.most_common(top)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("workload", choices=sorted(ROOTS))
    parser.add_argument("--engine", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--events", type=int, help="a smaller corpus for 3 and 4")
    parser.add_argument("--raw", type=Path, help="also keep py-spy's raw stacks in this file")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.workload, args.engine, args.events)
        return 0
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "stacks.txt"
        command = [spy, "record", "--idle", "-r", "500", "-f", "raw", "-o", str(out), "--"]
        command += [sys.executable, "-m", "tests.benchmarks.profile_workload", args.workload]
        command += ["--worker", "--engine", args.engine]
        command += ["--events", str(args.events)] if args.events else []
        subprocess.run(command, check=True)
        if args.raw:
            shutil.copy(out, args.raw)
        print(summary(out.read_text(), ROOTS[args.workload]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Run the benchmarks: ``make bench`` (``make bench FULL=1`` for the million-event sizes).

    python -m tests.benchmarks.run [--full] [--rounds 3] [--only 1-batch100,2-single]
                                   [--engines sqlite,postgresql] [--out bench-results.json]

Each workload runs the tracker, the peer (the eventsourcing library) and the raw driver
in turn, several rounds, each measurement in a fresh process on a fresh database (a new
SQLite file, or a new PostgreSQL schema), the running order rotating every round. It
prints events per second as median (min-max) and writes every figure to a JSON file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib.metadata import version
from typing import Any

from tests.benchmarks.databases import fresh_db, postgres_problem, server_version
from tests.benchmarks.harness import in_child, rotated
from tests.benchmarks.logs import kept_logs
from tests.benchmarks.report import Result, table, verdict_lines
from tests.benchmarks.workloads import SYSTEMS, WORKLOADS, Workload


def rounds_of(w: Workload, args: argparse.Namespace) -> int:
    """--rounds if given, else the workload's own (the long ones run once), else 3."""
    return int(args.rounds or w.rounds or 3)


def budget_of(w: Workload, args: argparse.Namespace) -> float:
    """--budget if given, else the workload's own, else 30 s (600 s with --full)."""
    if args.budget is not None:
        return float(args.budget)
    if w.budget_s is not None:
        return w.budget_s(args.full)
    return 600.0 if args.full else 30.0


def engines_of(w: Workload, args: argparse.Namespace, only: set[str]) -> tuple[str, ...]:
    """All the workload's engines with --full or when named in --only, else its quick ones."""
    if args.full or w.key in only or w.quick_engines is None:
        return w.engines
    return w.quick_engines


def measure(w: Workload, engine: str, args: argparse.Namespace) -> Result:
    arg, rounds, budget = w.arg(args.full), rounds_of(w, args), budget_of(w, args)
    result = Result(w, engine, w.size(args.full), {s: [] for s in w.systems}, budget)
    started = time.monotonic()
    for rnd in range(rounds):
        for system in rotated(list(w.systems), rnd):
            with fresh_db(engine) as db:
                if system == "tracker" and args.tracker_pg_options:
                    db = db.with_pg_options(args.tracker_pg_options)
                SYSTEMS[system].setup(db)
                limit = 3 * budget + 120
                sample = in_child(w.run, system, db, arg, budget, timeout_s=limit)
            stored = sample.extra.get("stored")
            if stored is not None and stored != sample.events:
                raise RuntimeError(f"{w.key} {system}: wrote {sample.events}, stored {stored}")
            result.samples[system].append(sample)
            result.size = result.size or sample.events
            log(
                f"{w.key} {engine} round {rnd + 1}/{rounds} {system}: "
                f"{sample.rate:,.0f} {'calls' if w.unit == 'ms' else 'events'}/s "
                f"({sample.events:,} in {sample.seconds:.2f} s"
                f"{', stopped at the budget' if 'stopped_at_budget_s' in sample.extra else ''})"
            )
    result.wall_s = time.monotonic() - started
    log(f"{w.key} {engine}: {result.wall_s:.0f} s in all")
    return result


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _git(*args: str) -> str:
    try:
        done = subprocess.run(["git", *args], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return ""
    return done.stdout.strip()


def environment(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": _git("rev-parse", "--short", "HEAD"),
        "store_changes_not_committed": _git("status", "--porcelain", "tracker/store"),
        "tracker_changes_not_committed": _git("status", "--porcelain", "tracker"),
        "full": args.full,
        # None: each workload's own (see its "budget_s" and its samples).
        "rounds": args.rounds,
        "budget_s": args.budget,
        "tracker_pg_options": args.tracker_pg_options,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "sqlite": sqlite3.sqlite_version,
        "postgresql": server_version(),
        "eventsourcing": version("eventsourcing"),
        "sqlalchemy": version("sqlalchemy"),
        "psycopg": version("psycopg"),
    }


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the million-event sizes")
    parser.add_argument(
        "--rounds", type=int, default=None, help="rounds of every workload (3; 1 for the long ones)"
    )
    parser.add_argument("--only", default="", help="workload keys, comma-separated")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--out", default="bench-results.json")
    parser.add_argument(
        "--budget",
        type=float,
        default=None,
        help="seconds one measurement may take (30, 600 with --full; more for the long ones)",
    )
    parser.add_argument(
        "--tracker-pg-options",
        default="",
        help="extra '-c name=value' settings for the tracker's PostgreSQL sessions, to try a fix",
    )
    parser.add_argument("--list", action="store_true", help="list the workloads and stop")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.list:
        for w in WORKLOADS:
            quick = f" (default: {', '.join(w.quick_engines)})" if w.quick_engines else ""
            print(f"{w.key:<12} {', '.join(w.engines) + quick:<20} {w.notes}")
        return 0
    only = {k for k in args.only.split(",") if k}
    if unknown := only - {w.key for w in WORKLOADS}:
        print(f"Error: unknown workload {', '.join(sorted(unknown))}", file=sys.stderr)
        return 1
    engines = [e for e in args.engines.split(",") if e]
    if "postgresql" in engines and (problem := postgres_problem()):
        log(f"NOTE: PostgreSQL workloads SKIPPED: {problem}")
        engines.remove("postgresql")
    started, env = time.monotonic(), environment(args)
    chosen = [w for w in WORKLOADS if not only or w.key in only]
    skipped = {w.key: why for w in chosen if (why := w.missing())}
    for key, why in skipped.items():
        log(f"NOTE: {key} SKIPPED: {why}")
    with kept_logs():
        results = [
            measure(w, engine, args)
            for w in chosen
            if w.key not in skipped
            for engine in engines_of(w, args, only)
            if engine in engines
        ]
    print(table(results))
    if args.tracker_pg_options:
        print(f"(tracker's PostgreSQL sessions ran with: {args.tracker_pg_options})")
    if any(r.workload.unit == "ms" for r in results):
        print(
            "(ms rows: median (min-max) of single calls or whole processes; the raw column is "
            "the floor, and the ratio is the tracker's time over the floor's: lower is better)"
        )
    print()
    for line in verdict_lines(results):
        print(line)
    for key, why in skipped.items():
        print(f"{key:<12} SKIPPED: {why}")
    # The tree may change while a long run goes on: say so rather than mix code silently.
    env["commit_at_end"] = _git("rev-parse", "--short", "HEAD")
    env["store_changes_at_end"] = _git("status", "--porcelain", "tracker/store")
    figures = {
        "environment": env,
        "results": [r.as_json() for r in results],
        "skipped": skipped,
    }
    with open(args.out, "w") as f:
        json.dump(figures, f, indent=2)
    log(f"\nwrote {args.out} in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The registry of workloads. A later workload is one more ``Workload(...)`` in WORKLOADS.

A workload names the engines and systems it runs on, the argument its run function gets
at the default and at the full size, and its targets: the least throughput ratio of the
tracker to each other system, and goals the tracker must reach on its own (events per
second, peak RSS, seconds, time against a floor). Its run function is called in a fresh process as
``run(system, db, arg, budget_s)`` on a database that system's ``setup`` prepared, and
returns a Sample.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from tests.benchmarks import (
    coldstart,
    peer_side,
    raw_side,
    read_latency,
    register_reads,
    sipri_side,
    tracker_side,
    web_load,
    whole_path,
    writers,
)
from tests.benchmarks.coldstart import DELIVERY, ColdStarts, Command
from tests.benchmarks.corpus import Corpus
from tests.benchmarks.databases import Db
from tests.benchmarks.harness import Sample
from tests.benchmarks.payloads import Plan
from tests.benchmarks.read_latency import Reads

#: Each system module has ``setup(db)`` (run in the parent, untimed) and ``append``.
SYSTEMS: dict[str, ModuleType] = {"tracker": tracker_side, "peer": peer_side, "raw": raw_side}
ENGINES = ("sqlite", "postgresql")


@dataclass(frozen=True, slots=True)
class Goal:
    """A figure of the tracker's own that must reach ``limit`` (on ``engine``, or on any).

    Figures (report.Result.figure): "events/s" (median of the rounds), "peak RSS MB" (the
    highest round), "seconds" (median), "time/floor" (median time over the floor's median
    time), "time/smallest log" (median time on the largest log over that on the smallest).
    """

    figure: str
    op: str  # ">=", "<" or "<="
    limit: float
    engine: str | None = None
    #: The one row it applies to, where a workload has several (a command of 6).
    view: str | None = None

    def met_by(self, value: float) -> bool:
        return bool(_OPS[self.op](value, self.limit))

    def describe(self) -> str:
        return f"{self.op} {self.limit:,g}{'x' if self.figure.startswith('time/') else ''}"


_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}


@dataclass(frozen=True)
class Workload:
    key: str
    title: str
    run: Callable[[str, Db, Any, float], Sample]
    arg: Callable[[bool], Any]
    engines: tuple[str, ...] = ENGINES
    #: The engines of a plain ``make bench`` (None: all of them); --full, or naming the
    #: workload in --only, runs all of ``engines``. Keeps the default run under 10 minutes.
    quick_engines: tuple[str, ...] | None = None
    systems: tuple[str, ...] = ("tracker", "peer", "raw")
    targets: dict[str, float] = field(default_factory=dict)
    notes: str = ""
    #: False where the measuring process is not where the work happens.
    measure_rss: bool = True
    goals: tuple[Goal, ...] = ()
    #: Rounds and seconds of budget when run.py is not given --rounds / --budget.
    rounds: int | None = None
    budget_s: Callable[[bool], float] | None = None
    #: "ev/s", or "ms" for workloads timing single calls or processes (lower is better).
    unit: str = "ev/s"
    #: Why the workload cannot run on this machine (None: it can).
    missing: Callable[[], str | None] = lambda: None
    #: What the table's peer column says where the peer is not measured.
    peer_figure: str = "-"

    def size(self, full: bool) -> int:
        return int(getattr(self.arg(full), "events", 0))


def _register_command(args: str, runs: int) -> Callable[[bool], register_reads.Command]:
    return lambda full: register_reads.Command(args, runs)


def append_plan(system: str, db: Db, plan: Plan, budget_s: float) -> Sample:
    """Workloads 1 and 2: append a plan's batches, each in its own transaction."""
    sample: Sample = SYSTEMS[system].append(db, plan, budget_s)
    return sample


WORKLOADS: list[Workload] = [
    Workload(
        "1-batch100",
        "append 100/batch",
        append_plan,
        lambda full: Plan(10_000 if full else 1_000, 100, 100),
        targets={"peer": 2.0, "raw": 0.4},
        notes="1,000 streams x 100 events, one append of 100 per stream; hash chain on",
    ),
    Workload(
        "1-batch1000",
        "append 1000/batch",
        append_plan,
        lambda full: Plan(1_000 if full else 100, 1_000, 1_000),
        targets={"peer": 2.0, "raw": 0.4},
        notes="100 streams x 1,000 events, one append of 1,000 per stream; hash chain on",
    ),
    Workload(
        "2-single",
        "1 event/transaction",
        append_plan,
        lambda full: Plan(500 if full else 50, 100, 1, interleave=True),
        targets={"peer": 1.5},
        notes="50 streams x 100 events, one event per append, going round the streams",
    ),
    Workload(
        "3-import",
        "whole write path",
        whole_path.import_corpus,
        lambda full: Corpus(1_000_000 if full else 100_000),
        systems=("tracker",),
        goals=(
            Goal("events/s", ">=", 50_000, engine="sqlite"),
            Goal("events/s", ">=", 25_000, engine="postgresql"),
            Goal("peak RSS MB", "<", 300),
        ),
        rounds=1,
        budget_s=lambda full: 1800.0 if full else 240.0,
        notes="Tracker.log of a generated log (seed fixed), 2,000 events a call: contracts "
        "signed, scheduled, delivered, revised, figures, notes, ~3% corrections/retractions",
    ),
    Workload(
        "4-rebuild",
        "rebuild projections",
        whole_path.rebuild,
        lambda full: Corpus(1_000_000 if full else 100_000),
        systems=("tracker",),
        goals=(Goal("events/s", ">=", 150_000), Goal("peak RSS MB", "<", 200)),
        quick_engines=("sqlite",),
        rounds=1,
        budget_s=lambda full: 1800.0 if full else 240.0,
        peer_figure="~100k (stated)",
        notes="Tracker.rebuild() of workload 3's log (copied in untimed); the peer column is "
        "the figure the brief states for the peer's decoding, not measured here",
    ),
    Workload(
        "5-sipri",
        "import SIPRI register",
        sipri_side.import_register,
        lambda full: sipri_side.REGISTER,
        engines=("sqlite",),
        systems=("tracker",),
        goals=(Goal("seconds", "<", 10), Goal("peak RSS MB", "<", 300)),
        rounds=1,
        budget_s=lambda full: 600.0,
        missing=sipri_side.missing,
        notes=f"import_sipri of {sipri_side.REGISTER.name}, reading the CSV included",
    ),
    Workload(
        "5-sipri-releases",
        "import 2 SIPRI releases",
        sipri_side.import_releases,
        lambda full: (sipri_side.EARLIER, sipri_side.REGISTER),
        engines=("sqlite",),
        systems=("tracker",),
        goals=(Goal("seconds", "<", 20), Goal("peak RSS MB", "<", 300)),
        rounds=1,
        budget_s=lambda full: 600.0,
        missing=sipri_side.missing_releases,
        notes=f"import_sipri of {sipri_side.EARLIER.name}, then of {sipri_side.REGISTER.name}"
        " over it (issue #14), both timed, reading the CSVs included",
    ),
    Workload(
        "6-coldstart",
        "cold start",
        coldstart.run,
        lambda full: ColdStarts(
            (
                Command("--help", "--help", "import click"),
                Command("status", "status", "import sqlmodel"),
                Command("log --dry-run", DELIVERY, "import sqlmodel"),
            )
        ),
        engines=("sqlite",),
        systems=("tracker",),
        measure_rss=False,
        goals=(
            Goal("time/floor", "<=", 1.5, view="--help"),
            Goal("time/floor", "<=", 0.7, view="status"),  # issue #15
            Goal("time/floor", "<=", 1.2, view="log --dry-run"),
        ),
        rounds=1,
        unit="ms",
        notes="whole processes on a seeded database, 15 rounds of every command and floor in "
        "turn; raw column: the floor, python -c 'import click' (--help) or 'import sqlmodel'",
    ),
    Workload(
        "7-reads",
        "status/schedule REF",
        read_latency.run,
        lambda full: Reads((1_000, 100_000, 1_000_000) if full else (1_000, 100_000)),
        systems=("tracker",),
        measure_rss=False,
        goals=(Goal("time/smallest log", "<=", 1.3),),
        rounds=1,
        budget_s=lambda full: 1800.0 if full else 240.0,
        unit="ms",
        notes="Tracker.status([REF]) and .schedule(REF) in-process, warm, median of 300 calls "
        "each per log size (logs from workload 3's generator), calls going round the logs",
    ),
    Workload(
        "8-4writers",
        "4 writer processes",
        writers.run,
        lambda full: writers.Writers(4, 12_500 if full else 1_000),
        engines=("postgresql",),
        systems=("tracker", "peer"),
        measure_rss=False,
        notes="4 processes x 1,000 single-event appends to their own streams, plus a follower",
    ),
] + [
    Workload(
        f"9-register-{key}",
        title,
        register_reads.run,
        _register_command(args, runs),
        engines=("sqlite",),
        systems=("tracker",),
        measure_rss=False,
        goals=(Goal("seconds", "<", seconds), *peak),
        rounds=1,
        budget_s=lambda full: 600.0,
        unit="ms",
        missing=sipri_side.missing,
        notes=f"tracker {args} > file, a whole process on the 2025 register (29,515 deals), "
        f"median of {runs} runs after a warm-up; peak: the process's own",
    )
    for key, title, args, runs, seconds, peak in (
        ("india-json", "status India json", "status --buyer India --format json", 5, 0.5, ()),
        ("table", "status table, all", "status --limit 1000000", 3, 3.0, ()),
        (
            "json",
            "status json, all",
            "status --format json",
            3,
            2.0,
            (Goal("process peak MB", "<", 150),),
        ),
        (
            "asof-india",
            "status as-of India",
            "status --as-of 2022-12-31 --buyer India",
            3,
            1.0,
            (),
        ),
        ("asof-all", "status as-of, all", "status --as-of 2022-12-31 --format json", 1, 5.0, ()),
        (
            "report-india",
            "report India html",
            "report timeline --country India --format html",
            3,
            3.0,
            (),
        ),
        ("trends-india", "trends India", "trends --recipient India --format json", 5, 1.0, ()),
        (
            "report-all",
            "report whole register",
            "report timeline --format html --no-charts",
            1,
            600.0,
            (Goal("process peak MB", "<", 300),),
        ),
    )
]
WORKLOADS.append(
    Workload(
        "10-web",
        "tracker serve under load",
        web_load.workload,
        lambda full: web_load.Load("buyer=India", 20, 20.0),
        engines=("sqlite",),
        systems=("tracker",),
        measure_rss=False,
        goals=tuple(
            Goal("p95 ms", "<", limit, view=f"{page} {mode}")
            for page, limit in web_load.TARGETS_MS.items()
            for mode in ("warm", "cold")
        ),
        rounds=1,
        # The load itself is 20 s; the first run imports the register (cached for later).
        budget_s=lambda full: 120.0,
        unit="ms",
        missing=sipri_side.missing,
        notes="tracker serve (its own process) on the 2025 register, 20 clients on 127.0.0.1 "
        "for 20 s in all: the deals page filtered by buyer=India and a deal page, each asked "
        "as one URL (warm: the site keeps answers per URL and log head) and as URLs not "
        "asked before (cold); p50 and p95 latency (issue #17: 300 and 200 ms at p95)",
    )
)

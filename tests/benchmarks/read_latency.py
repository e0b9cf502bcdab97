"""Workload 7: a read's latency does not grow with the log.

The same contract is read from logs of several sizes made by the corpus generator
(workload 3's log, copied). The contract is one whose story ends within the smallest log,
so its state is the same in all of them: any difference is the log's size, not the
contract's. Reads are in-process and warm: one ``Tracker`` per database, opened once, a few
calls to warm up, then calls going round the databases in turn, each timed on its own.
"""

from __future__ import annotations

import contextlib
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.benchmarks import logs, tracker_side
from tests.benchmarks.corpus import Corpus
from tests.benchmarks.databases import Db, fresh_db
from tests.benchmarks.harness import Sample, in_child

_WARM_UP = 20


@dataclass(frozen=True, slots=True)
class Reads:
    """``calls`` timed calls of each ``Tracker.<view>(REF)`` on a log of each size."""

    sizes: tuple[int, ...]
    views: tuple[str, ...] = ("status", "schedule")
    calls: int = 300

    @property
    def events(self) -> int:
        return max(self.sizes)


def _call(tracker: Any, view: str, ref: str) -> Callable[[], object]:
    if view == "status":
        return lambda: tracker.status([ref])
    return lambda: tracker.schedule(ref)


def run(system: str, db: Db, spec: Reads, budget_s: float) -> Sample:
    from tracker.service.app import Tracker

    ref = Corpus(min(spec.sizes)).settled_contract()
    runs = {v: {str(n): list[float]() for n in spec.sizes} for v in spec.views}
    with contextlib.ExitStack() as stack:
        calls: list[tuple[str, str, Callable[[], object]]] = []
        for n in spec.sizes:
            # The harness's database holds the largest log; the others get their own.
            here = db if n == max(spec.sizes) else stack.enter_context(fresh_db(db.engine))
            if here is not db:
                tracker_side.setup(here)
            in_child(logs.filled, here, Corpus(n), timeout_s=3 * budget_s + 120)
            tracker = Tracker.open(here.url)
            stack.callback(tracker.close)
            calls += [(v, str(n), _call(tracker, v, ref)) for v in spec.views]
        for _, _, call in calls:
            for _ in range(_WARM_UP):
                call()
        for i in range(spec.calls):
            for view, size, call in calls[i % len(calls) :] + calls[: i % len(calls)]:
                start = time.perf_counter()
                call()
                runs[view][size].append((time.perf_counter() - start) * 1000)
    timed = [t for by_size in runs.values() for got in by_size.values() for t in got]
    extra = {
        "contract": ref,
        "how": "in-process, warm",
        "runs_ms": {
            v: {n: [round(t, 3) for t in got] for n, got in by_size.items()}
            for v, by_size in runs.items()
        },
        "median_ms": {
            v: {n: round(statistics.median(got), 3) for n, got in by_size.items()}
            for v, by_size in runs.items()
        },
    }
    return Sample(len(timed), sum(timed) / 1000, extra=extra)

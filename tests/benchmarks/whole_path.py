"""Workloads 3 and 4: a realistic log through the whole write path, then rebuilt.

3: the corpus (corpus.py) goes through ``Tracker.log`` a batch at a time: rules, hash chain
and projections in one transaction per batch, as an importer would call it. Only the calls
are timed; the generator makes each batch just before it, so it never holds the whole log.

4: every projection is rebuilt (``Tracker.rebuild``) from that log. The log is copied into
the fresh database by a process of its own, so this process's peak RSS is the rebuild's.
"""

from __future__ import annotations

import time

from tests.benchmarks import logs
from tests.benchmarks.corpus import Corpus
from tests.benchmarks.databases import Db
from tests.benchmarks.harness import Sample, in_child


def import_corpus(system: str, db: Db, corpus: Corpus, budget_s: float) -> Sample:
    """Log the corpus batch by batch until it is done or the budget is spent."""
    from tracker.service.app import Tracker

    tracker = Tracker.open(db.url)
    written, seconds, batches = 0, 0.0, 0
    deadline = time.perf_counter() + budget_s
    stopped = False
    for ids, events in corpus.batches():
        if time.perf_counter() > deadline:
            stopped = True
            break
        start = time.perf_counter()
        tracker.log(events, event_ids=ids, actor="bench-import")
        seconds += time.perf_counter() - start
        written += len(events)
        batches += 1
    stored = tracker.store.head_position()
    tracker.close()
    extra: dict[str, object] = {"stored": stored, "batches": batches, "batch": corpus.batch}
    if stopped:
        extra["stopped_at_budget_s"] = budget_s
    else:
        logs.keep(db, corpus)  # workloads 4 and 7 start from this log
    return Sample(written, seconds, extra=extra)


def rebuild(system: str, db: Db, corpus: Corpus, budget_s: float) -> Sample:
    """Fill the database with the corpus's log (another process), then time the rebuild."""
    in_child(logs.filled, db, corpus, timeout_s=3 * budget_s + 120)
    from tracker.service.app import Tracker

    tracker = Tracker.open(db.url)
    start = time.perf_counter()
    read = tracker.rebuild()
    seconds = time.perf_counter() - start
    tracker.close()
    return Sample(read, seconds, extra={"stored": read})

"""Workload 5: the real SIPRI trade register, imported into an empty database.

``import_sipri`` reads the CSV, plans each deal's events, checks them and logs them in
transactions of whole deals: all of it is timed, reading the file included, as a person
running ``tracker import sipri`` waits for all of it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from tests.benchmarks.databases import Db
from tests.benchmarks.harness import Sample

REGISTER = Path(
    os.environ.get("TRACKER_BENCH_SIPRI", "/work/shared/sipri/trade-register-2025-03.csv")
)


def missing() -> str | None:
    """Why the workload cannot run here, if it cannot."""
    return None if REGISTER.is_file() else f"no SIPRI register at {REGISTER}"


def import_register(system: str, db: Db, path: Path, budget_s: float) -> Sample:
    from tracker.app import Tracker
    from tracker.importing import import_sipri

    tracker = Tracker.open(db.url)
    start = time.perf_counter()
    result = import_sipri(tracker, path)
    seconds = time.perf_counter() - start
    stored = tracker.store.head_position()
    tracker.close()
    extra = {
        "stored": stored,
        "deals": result.deals,
        "bad_rows": len(result.bad),
        "register": path.name,
    }
    return Sample(result.appended, seconds, extra=extra)

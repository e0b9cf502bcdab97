"""Workloads 5: real SIPRI releases imported into an empty database.

``import_sipri`` reads the CSV, matches its deals to those held, plans each deal's events,
checks them and logs them, the whole file in one transaction: all of it is timed, reading
the file included, as a person running ``tracker import sipri`` waits for all of it.
``5-sipri``: the 2025 register alone; ``5-sipri-releases``: the 2024-04 by-delivery-year
release, then the 2025-03 register over it (matching, corrections, retractions).
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
EARLIER = Path(
    os.environ.get(
        "TRACKER_BENCH_SIPRI_EARLIER",
        "/work/shared/sipri/trade-register-by-delivery-year-2024-04.csv",
    )
)


def missing() -> str | None:
    """Why the workload cannot run here, if it cannot."""
    return None if REGISTER.is_file() else f"no SIPRI register at {REGISTER}"


def missing_releases() -> str | None:
    """Why the two-release workload cannot run here, if it cannot."""
    absent = [str(p) for p in (EARLIER, REGISTER) if not p.is_file()]
    return f"no SIPRI release at {', '.join(absent)}" if absent else None


def import_register(system: str, db: Db, path: Path, budget_s: float) -> Sample:
    from tracker.service.app import Tracker
    from tracker.service.sipri import import_sipri

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


def import_releases(system: str, db: Db, paths: tuple[Path, ...], budget_s: float) -> Sample:
    """Import ``paths`` in turn into one database, all timed; extra: each file's seconds
    and four counts."""
    from tracker.service.app import Tracker
    from tracker.service.sipri import import_sipri

    tracker = Tracker.open(db.url)
    appended, files = 0, []
    start = time.perf_counter()
    for path in paths:
        began = time.perf_counter()
        result = import_sipri(tracker, path)
        appended += result.appended
        counts = (result.new, result.corrected, result.retracted, result.unchanged)
        files.append(
            {
                "file": path.name,
                "seconds": round(time.perf_counter() - began, 2),
                "new/corrected/retracted/unchanged": counts,
            }
        )
    seconds = time.perf_counter() - start
    stored = tracker.store.head_position()
    tracker.close()
    return Sample(appended, seconds, extra={"stored": stored, "files": files})

"""Load test of `tracker serve`: p95 latency of the deals page (filtered) and a deal page.

``clients`` threads, each on its own keep-alive connection to 127.0.0.1 only, request one
page as fast as answers come, for at most ``seconds`` in all (half per page); the server
runs in its own process, as `tracker serve`. Without --db, the shipped seeds are loaded
into a temporary SQLite file first. Issue 17's targets: deals under 300 ms, a deal under
200 ms at the 95th percentile with 20 clients.

The site keeps answers per URL and log head, so asking one URL over and over measures
its kept answer. ``--cold`` asks only URLs not asked before, until they run out: each
page of the filter at 40 to 60 deals a page in both orders (the filter's answer is kept
after the first, its pages are not), and each deal of the filter once.

    python -m tests.benchmarks.web_load --db tracker.db --query 'buyer=India' --seconds 20
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tests.benchmarks.harness import Sample

if TYPE_CHECKING:
    from tests.benchmarks.databases import Db

TARGETS_MS = {"deals": 300.0, "deal": 200.0}


@dataclass(frozen=True, slots=True)
class Result:
    page: str
    path: str
    requests: int
    errors: int
    p50_ms: float
    p95_ms: float

    def line(self) -> str:
        verdict = "ok" if self.p95_ms <= TARGETS_MS[self.page] and not self.errors else "SLOW"
        return (
            f"{self.page:5} {self.requests:6} requests, {self.errors} errors, "
            f"p50 {self.p50_ms:7.1f} ms, p95 {self.p95_ms:7.1f} ms "
            f"(target {TARGETS_MS[self.page]:.0f}) {verdict}  {self.path}"
        )


def hammer(
    port: int, path: str | Callable[[], str | None], clients: int, seconds: float
) -> tuple[list[float], int]:
    """Latencies (s) of every answered request, and the count of failed ones; ``path`` is
    one path, or a function giving the next path to ask (None: no more)."""
    paths = (lambda: path) if isinstance(path, str) else path
    stop = time.monotonic() + seconds
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        while time.monotonic() < stop and (asked := paths()) is not None:
            began = time.perf_counter()
            try:
                conn.request("GET", asked)
                answer = conn.getresponse()
                answer.read()
                ok = answer.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                ok = False
            if ok:
                mine.append(time.perf_counter() - began)
            else:
                with lock:
                    errors[0] += 1
        conn.close()
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, errors[0]


def summary(page: str, path: str, times: list[float], errors: int) -> Result:
    if len(times) < 2:
        return Result(page, path, len(times), errors, float("nan"), float("nan"))
    ms = sorted(t * 1000 for t in times)
    p95 = statistics.quantiles(ms, n=20)[-1]
    return Result(page, path, len(ms), errors, statistics.median(ms), p95)


def start_server(db: str, port: int, workers: int = 1) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "tracker.cli.main", "--db", db, "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc
        if proc.poll() is not None:
            raise SystemExit(f"the server did not start: {proc.stderr.read().decode()}")  # type: ignore[union-attr]
        time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start within 60 s")


def refs(port: int, query: str) -> list[str]:
    """The refs of the deals ``query`` selects, in the page's order."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", f"/deals.json?{query}")
    found = json.loads(conn.getresponse().read())
    if not found:
        raise SystemExit(f"no deal matches {query!r}")
    return [str(s["ref"]) for s in found]


def pages_of(query: str, total: int) -> list[str]:
    """Every page of the filter at 40 to 60 deals a page, in both orders (the default
    page, 50 a page, was asked in the warm-up)."""
    return [
        f"/?{query}&per={per}&page={page}&desc={desc}"
        for per in range(40, 61)
        for page in range(1, -(-total // per) + 1)
        for desc in (0, 1)
    ]


def once(paths: list[str]) -> Callable[[], str | None]:
    """Each path once, shared by every client, then None."""
    turn = iter(paths)
    lock = threading.Lock()

    def following() -> str | None:
        with lock:
            return next(turn, None)

    return following


def seeded_db(folder: Path) -> str:
    from tracker.service.app import Tracker

    path = folder / "tracker.db"
    tracker = Tracker.open(str(path), create=True)
    tracker.init()
    tracker.seed()
    tracker.close()
    return str(path)


def run(
    db: str, query: str, clients: int, seconds: float, cold: bool = False, workers: int = 1
) -> list[Result]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = start_server(db, port, workers)
    try:
        found_refs = refs(port, query)
        pages = {"deals": f"/?{query}", "deal": f"/deals/{found_refs[0]}"}
        for path in pages.values():  # warm up: imports, the filter's answer
            hammer(port, path, 1, 0.5)
        asked: dict[str, str | Callable[[], str | None]] = dict(pages)
        shown = dict(pages)
        if cold:
            asked["deals"] = once(pages_of(query, len(found_refs)))
            asked["deal"] = once([f"/deals/{ref}" for ref in found_refs[1:]])
            shown = {"deals": f"/?{query} (other pages)", "deal": f"/deals/REF of {query}"}
        found = []
        for page in pages:
            times, errors = hammer(port, asked[page], clients, seconds / 2)
            found.append(summary(page, shown[page], times, errors))
        return found
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@dataclass(frozen=True, slots=True)
class Load:
    """Workload 10's question: the filter, the clients and the seconds in all (warm, then
    cold, half each; each half split between the two pages)."""

    query: str = "buyer=India"
    clients: int = 20
    seconds: float = 20.0

    @property
    def events(self) -> int:
        return 0


def workload(system: str, db: Db, load: Load, budget_s: float) -> Sample:
    """Workload 10 (``make bench``): the site on the 2025 register under ``load.clients``
    clients, each page asked as one URL (warm) and as URLs not asked before (cold).

    The register is copied in and its read models levelled first (untimed): the site
    never writes, so it would otherwise fold the log for every page.
    """
    from tests.benchmarks.register_reads import registered
    from tracker.service.app import Tracker

    for stale in (f"{db.path}-wal", f"{db.path}-shm"):
        Path(stale).unlink(missing_ok=True)
    shutil.copyfile(registered(), db.path)
    tracker = Tracker.open(db.url)
    try:
        tracker.level_projections()
    finally:
        tracker.close()
    seconds = min(load.seconds, 20.0, budget_s)
    figures = []
    for mode in ("warm", "cold"):
        for found in run(db.path, load.query, load.clients, seconds / 2, cold=mode == "cold"):
            figures.append({"mode": mode, **asdict(found)})
    requests = sum(int(f["requests"]) for f in figures)
    return Sample(requests, seconds, extra={"web": figures, "clients": load.clients})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="tracker database (default: the seeds, in a temp file)")
    parser.add_argument("--query", default="buyer=India", help="the deals page's filter")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0, help="at most, both pages")
    parser.add_argument("--cold", action="store_true", help="a URL not asked before, each time")
    parser.add_argument("--workers", type=int, default=1, help="tracker serve --workers")
    args = parser.parse_args()
    seconds = min(args.seconds, 20.0)
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or os.environ.get("TRACKER_DATABASE_URL") or seeded_db(Path(folder))
        print(f"tracker serve under {args.clients} clients, {seconds:.0f} s in all, db {db}")
        for result in run(db, args.query, args.clients, seconds, args.cold, args.workers):
            print(result.line())


if __name__ == "__main__":
    main()

"""Load test of `tracker serve`: p95 latency of the deals page (filtered) and a deal page.

``clients`` threads, each on its own keep-alive connection to 127.0.0.1 only, request one
page as fast as answers come, for at most ``seconds`` in all (half per page); the server
runs in its own process, as `tracker serve`. Without --db, the shipped seeds are loaded
into a temporary SQLite file first. Issue 17's targets: deals under 300 ms, a deal under
200 ms at the 95th percentile with 20 clients.

    python -m tests.benchmarks.web_load --db tracker.db --query 'buyer=India' --seconds 20
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

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


def hammer(port: int, path: str, clients: int, seconds: float) -> tuple[list[float], int]:
    """Latencies (s) of every answered request, and the count of failed ones."""
    stop = time.monotonic() + seconds
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        while time.monotonic() < stop:
            began = time.perf_counter()
            try:
                conn.request("GET", path)
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


def start_server(db: str, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "tracker.cli.main", "--db", db, "serve", "--port", str(port)]
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


def first_ref(port: int, query: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", f"/deals.json?{query}")
    found = json.loads(conn.getresponse().read())
    if not found:
        raise SystemExit(f"no deal matches {query!r}")
    return str(found[0]["ref"])


def seeded_db(folder: Path) -> str:
    from tracker.app import Tracker

    path = folder / "tracker.db"
    tracker = Tracker.open(str(path), create=True)
    tracker.init()
    tracker.seed()
    tracker.close()
    return str(path)


def run(db: str, query: str, clients: int, seconds: float) -> list[Result]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = start_server(db, port)
    try:
        ref = first_ref(port, query)
        pages = {"deals": f"/?{query}", "deal": f"/deals/{ref}"}
        for path in pages.values():  # warm up: imports, caches, the first chart
            hammer(port, path, 1, 0.5)
        found = []
        for page, path in pages.items():
            times, errors = hammer(port, path, clients, seconds / 2)
            found.append(summary(page, path, times, errors))
        return found
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="tracker database (default: the seeds, in a temp file)")
    parser.add_argument("--query", default="buyer=India", help="the deals page's filter")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0, help="at most, both pages")
    args = parser.parse_args()
    seconds = min(args.seconds, 20.0)
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or os.environ.get("TRACKER_DATABASE_URL") or seeded_db(Path(folder))
        print(f"tracker serve under {args.clients} clients, {seconds:.0f} s in all, db {db}")
        for result in run(db, args.query, args.clients, seconds):
            print(result.line())


if __name__ == "__main__":
    main()

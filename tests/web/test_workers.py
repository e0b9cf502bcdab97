"""`tracker serve --workers N`: several processes answer exactly as one does.

The oracle is the in-process site over the same database (the one the other web tests
check against the CLI); the workers' site runs as the command, in its own processes.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from tests.web.conftest import free_port, seeded, serving

PATHS = ("/deals/s400-india-2018", "/?buyer=India", "/deals.json", "/log")


@contextmanager
def command_site(url: str, workers: int) -> Iterator[str]:
    """`tracker --db URL serve --workers N` on a free port, until the block ends."""
    port = free_port()
    command = [sys.executable, "-m", "tracker.cli.main", "--db", url, "serve"]
    command += ["--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not _answers(base + "/style.css"):
            assert proc.poll() is None, proc.stderr.read().decode()  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return bool(r.status == 200)
    except OSError:
        return False


def _body(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as r:
        assert r.status == 200
        body: bytes = r.read()
        return body


def test_two_workers_answer_every_page_as_one_process_does(db_url: str) -> None:
    seeded(db_url, ["mtc-2021-2031", "s400"])
    with serving(db_url) as oracle, command_site(db_url, 2) as base:
        for path in PATHS:
            for _ in range(3):  # keep-alive off: the answers may come from either worker
                assert _body(base + path) == oracle.get(path).body.encode(), path

"""A live `tracker serve` site for the web tests: uvicorn in a thread, on a free port.

The site opens the database read-only, exactly as the command does; the tests ask the
CLI (its `--format json`) or the service the same questions, as the oracle.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from click.testing import CliRunner

from tracker.cli.main import cli
from tracker.service.app import Tracker
from tracker.web.readonly import ReadOnlyTracker, open_read_only
from tracker.web.server import server


@dataclass
class Page:
    status: int
    body: str
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Site:
    base: str
    url: str  # the database, for the CLI oracle
    tracker: ReadOnlyTracker

    def get(self, path: str) -> Page:
        try:
            with urllib.request.urlopen(self.base + path, timeout=60) as r:
                return Page(r.status, r.read().decode("utf-8"), dict(r.headers.items()))
        except urllib.error.HTTPError as e:
            return Page(e.code, e.read().decode("utf-8"), dict(e.headers.items()))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def serving(url: str) -> Iterator[Site]:
    """The site over the database at ``url``, served until the block ends."""
    tracker = open_read_only(url)
    port = free_port()
    running = server(tracker, "127.0.0.1", port)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise AssertionError("the server did not start")
        time.sleep(0.02)
    try:
        yield Site(f"http://127.0.0.1:{port}", url, tracker)
    finally:
        running.should_exit = True
        thread.join(timeout=30)
        tracker.close()


def seeded(url: str, names: list[str] | None = None) -> None:
    tracker = Tracker.open(url, create=True)
    try:
        tracker.init()
        tracker.seed(names)
    finally:
        tracker.close()


def cli_json(url: str, *args: str) -> Any:
    """`tracker --db URL ARGS --format json`, parsed: the oracle."""
    result = CliRunner().invoke(cli, ["--db", url, *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def site(db_url: str) -> Iterator[Site]:
    """The seeded record on each engine, served read-only."""
    seeded(db_url)
    with serving(db_url) as running:
        yield running

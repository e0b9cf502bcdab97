"""What the reliability campaigns share: trial counts, the result rows, running the CLI.

Short by default (a few trials, run by `make test`); TRACKER_SOAK=1 switches every campaign
to its long trial counts (`make soak`). With TRACKER_SOAK_RESULTS=FILE each test appends one
JSON row (campaign, engine, trials, failures, events lost and duplicated, tracebacks seen)
that `python -m tests.reliability.table FILE` sums into a table.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select, text

from tracker.cli.main import cli
from tracker.service.app import Tracker

SOAK = os.environ.get("TRACKER_SOAK") == "1"
RESULTS = os.environ.get("TRACKER_SOAK_RESULTS")
TODAY = "2026-01-15"
#: The environment of every tracker command a campaign runs: today pinned, no ambient --db.
ENV = {"TRACKER_TODAY": TODAY, "TRACKER_DATABASE_URL": None}
TRACKER = str(Path(sys.executable).with_name("tracker"))


def trials(short: int, soak: int) -> range:
    """The trial numbers of a campaign: ``short`` of them normally, ``soak`` under TRACKER_SOAK."""
    return range(soak if SOAK else short)


@dataclass
class Tally:
    """One test's row of the soak table; counts are set before the assertions that use them."""

    campaign: str = ""
    engine: str = ""
    trials: int = 1
    failures: int = 0  # trials that failed (at least 1 when the test failed)
    lost: int = 0
    duplicated: int = 0
    tracebacks: int = 0
    killed: int = 0  # trials whose command was killed before it ended
    cut: int = 0  # trials that left a log part-way between before and after

    def saw(self, *outputs: str) -> None:
        """Count the tracebacks in what a command printed."""
        self.tracebacks += sum(o.count("Traceback (most recent call last)") for o in outputs)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    item.stash.setdefault(OUTCOMES, {})[report.when] = report
    return report


OUTCOMES = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.fixture
def tally(request: pytest.FixtureRequest) -> Iterator[Tally]:
    """This test's result row, written to TRACKER_SOAK_RESULTS when the test ends."""
    params = getattr(request.node, "callspec", None)
    engine = params.params.get("db_url", "any") if params else "any"
    row = Tally(engine=engine if isinstance(engine, str) else "any")
    yield row
    reports = request.node.stash.get(OUTCOMES, {})
    call = reports.get("call")
    if call is None or call.skipped:
        return
    row.failures = max(row.failures, int(call.failed))
    if RESULTS:
        with open(RESULTS, "a", encoding="utf-8") as out:
            out.write(json.dumps(asdict(row)) + "\n")


# --- running the CLI --------------------------------------------------------------------


def invoke(url: str, *args: str, tally: Tally | None = None) -> Result:
    """`tracker --db URL ARGS` in-process; an exception other than SystemExit fails the test."""
    result = CliRunner().invoke(cli, ["--db", url, *args], env=ENV, prog_name="tracker")
    if tally is not None:
        tally.saw(result.stdout, result.stderr)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            tally.tracebacks += 1
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"tracker {args!r} raised") from result.exception
    return result


def ok(url: str, *args: str, tally: Tally | None = None) -> str:
    """stdout of an in-process command that must succeed quietly."""
    result = invoke(url, *args, tally=tally)
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    return result.stdout


def subprocess_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "TRACKER_DATABASE_URL"}
    env["TRACKER_TODAY"] = TODAY
    return env


def start(url: str, *args: str, **kwargs: Any) -> subprocess.Popen[str]:
    """`tracker --db URL ARGS` as its own process group, so a kill takes all of it."""
    return subprocess.Popen(
        [TRACKER, "--db", url, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=subprocess_env(),
        start_new_session=True,
        **kwargs,
    )


# --- looking at a database ---------------------------------------------------------------

PROJECTION_TABLES = ("proj_contracts", "proj_joint_ventures", "proj_agreements", "proj_topics")


def chain(tracker: Tracker) -> list[tuple[int, str, str]]:
    """(position, event id, hash) of every event, in log order."""
    return [(r.position, r.event_id, r.hash) for r in tracker.store.read_raw()]


def logged(url: str) -> list[tuple[int, str, str]]:
    """The chain of the log at ``url``, read through a tracker of its own."""
    tracker = open_tracker(url)
    try:
        return chain(tracker)
    finally:
        tracker.close()


def projections(tracker: Tracker) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every read model, and each checkpoint's position and version."""
    from tracker.projections.projector import CHECKPOINTS

    with tracker.engine.connect() as conn:
        tables = {
            name: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {name} ORDER BY 1, 2"))]
            for name in PROJECTION_TABLES
        }
        c = CHECKPOINTS.c
        marks = conn.execute(select(c.name, c.position, c.version).order_by(c.name))
        tables["checkpoints"] = [tuple(r) for r in marks]
    return tables


def open_tracker(url: str) -> Tracker:
    return Tracker.open(url)


def fresh(url: str) -> Tracker:
    """A migrated, empty tracker at ``url``."""
    tracker = Tracker.open(url, create=True)
    tracker.init()
    return tracker


@contextmanager
def scratch_url(engine: str, directory: Path) -> Iterator[str]:
    """Another empty database on ``engine`` (a file in ``directory``, or a fresh schema)."""
    if engine == "sqlite":
        path = directory / f"scratch-{uuid.uuid4().hex[:8]}.db"
        yield f"sqlite:///{path}"
        return
    from tests.conftest import fresh_pg_schema

    with fresh_pg_schema() as url:
        yield url


@dataclass(frozen=True)
class Exported:
    """An export to import, and what it holds: (position, event id, hash) and stream each."""

    path: Path
    chain: list[tuple[int, str, str]]
    streams: list[str]


@pytest.fixture(scope="session")
def shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory that every xdist worker of this run shares, for what is made once."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    shared = root / "reliability-shared"
    shared.mkdir(exist_ok=True)
    return shared


@contextmanager
def made_once(path: Path) -> Iterator[bool]:
    """Hold ``path``'s lock across workers; True when ``path`` must still be made."""
    with open(path.with_name(path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield not path.exists()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def export_of(shared_dir: Path) -> Callable[[int], Exported]:
    """The export of a seeded log that then logged ``n`` generated events (made once per n)."""

    def make(n: int) -> Exported:
        path = shared_dir / f"export-{n}.jsonl"
        with made_once(path) as needed:
            if needed:
                _export(shared_dir / f"export-{n}", path, n)
        records = [orjson.loads(line) for line in path.read_bytes().splitlines()]
        return Exported(
            path,
            [(r["position"], r["event_id"], r["hash"]) for r in records],
            [r["stream_id"] for r in records],
        )

    return make


def _export(where: Path, path: Path, n: int) -> None:
    from tests.reliability.workload import write_event_file

    where.mkdir()
    url = f"sqlite:///{where / 'source.db'}"
    fresh(url).seed()
    write_event_file(where / "events.jsonl", n, seed=1)
    ok(url, "log", "--file", str(where / "events.jsonl"))
    assert invoke(url, "export", "--output", str(path)).exit_code == 0

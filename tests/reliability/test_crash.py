"""Crash campaign: kill -9 an import or a file log at a random moment, then check the log.

After each kill the hash chain verifies; the log holds all or none of the file (`import
jsonl`, `log --file` and `import sipri` are each one transaction); the read models, once
caught up, equal a rebuild; and running the same command again completes the log with
every event exactly once. When the
kill lands is drawn by tests/reliability/killing.py, seeded by the trial.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.reliability.conftest import (
    SOAK,
    Exported,
    Tally,
    chain,
    fresh,
    invoke,
    logged,
    made_once,
    ok,
    open_tracker,
    projections,
    scratch_url,
    trials,
)
from tests.reliability.killing import Timing, calibrate, kill_at_random
from tests.reliability.workload import write_event_file
from tracker.cli.log_command import load_events

# With the 65 seeded events, the import commits several whole batches and a part.
IMPORT_EVENTS = 4000 if SOAK else 2000
FILE_EVENTS = 2000 if SOAK else 500
# Trials per command (two commands): short runs kill 10 times per engine, a soak 50 times.
CASES = [
    *(pytest.param("sqlite", t, id=f"sqlite-{t}") for t in trials(short=5, soak=25)),
    *(
        pytest.param("postgresql", t, id=f"postgresql-{t}", marks=pytest.mark.postgres)
        for t in trials(short=5, soak=25)
    ),
]


@pytest.fixture(scope="module")
def exported(export_of: Callable[[int], Exported]) -> Exported:
    return export_of(IMPORT_EVENTS)


@pytest.fixture(scope="module")
def event_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A `log --file` input of generated events, and the event ids it will be stored under."""
    path = tmp_path_factory.mktemp("crash-file") / "events.jsonl"
    write_event_file(path, FILE_EVENTS, seed=2)
    return path, [e.event_id for e in load_events(path)]


def timing(shared: Path, command: str, engine: str, measure: Callable[[], Timing]) -> Timing:
    """How a command's run goes on an engine, measured once per test run."""
    path = shared / f"timing-{command}-{engine}.json"
    with made_once(path) as needed:
        if needed:
            path.write_text(measure().dumps())
    return Timing.loads(path.read_text())


def seeded(url: str) -> list[tuple[int, str, str]]:
    tracker = fresh(url)
    tracker.seed()
    rows = chain(tracker)
    tracker.close()
    return rows


def views_stay_the_same_after_a_rebuild(url: str, refs: list[str], tally: Tally) -> None:
    """Read models caught up with the log equal the ones a rebuild makes, row for row."""
    tracker = open_tracker(url)
    tracker.level_projections()
    before = projections(tracker), views(url, refs, tally)
    ok(url, "projections", "rebuild", tally=tally)
    after = projections(tracker), views(url, refs, tally)
    tracker.close()
    assert before == after


def views(url: str, refs: list[str], tally: Tally) -> list[tuple[int, str, str]]:
    commands = [["status", "--format", "json", *refs]]
    commands += [["schedule", ref, "--format", "json"] for ref in refs]
    results = [invoke(url, *c, tally=tally) for c in commands]
    return [(r.exit_code, r.stdout, r.stderr) for r in results]


def contracts(streams: list[str]) -> list[str]:
    """The first and the last contract among ``streams`` (the last may be half logged)."""
    refs = [s.removeprefix("contract:") for s in streams if s.startswith("contract:")]
    return sorted({refs[0], refs[-1]}) if refs else []


def count_losses(tally: Tally, want: list[str], have: list[str]) -> None:
    tally.lost = len(set(want) - set(have))
    tally.duplicated = len(have) - len(set(have))


@pytest.mark.parametrize(("db_url", "trial"), CASES, indirect=["db_url"])
def test_a_killed_import_leaves_all_or_none_of_the_file_and_a_rerun_completes(
    db_url: str,
    trial: int,
    exported: Exported,
    tally: Tally,
    tmp_path: Path,
    shared_dir: Path,
) -> None:
    tally.campaign = "crash: import jsonl"
    command = ("import", "jsonl", str(exported.path))
    whole = len(exported.chain)
    marks = (whole,)  # one transaction: one commit

    def measure() -> Timing:
        with scratch_url(tally.engine, tmp_path) as url:
            fresh(url).close()
            return calibrate(url, command, marks)

    run = timing(shared_dir, "import", tally.engine, measure)
    fresh(db_url).close()
    kill = kill_at_random(db_url, command, run, random.Random(f"import/{tally.engine}/{trial}"))
    tally.saw(kill.out, kill.err)

    assert ok(db_url, "verify", tally=tally).startswith("OK: ")
    rows = logged(db_url)
    assert rows == exported.chain[: len(rows)]
    assert len(rows) in (0, whole)
    tally.killed, tally.cut = int(kill.killed), int(0 < len(rows) < whole)
    views_stay_the_same_after_a_rebuild(db_url, contracts(exported.streams[: len(rows)]), tally)

    again = ok(db_url, *command, tally=tally)
    assert again.startswith(f"Imported {whole - len(rows)} events")
    rows = logged(db_url)
    count_losses(tally, [r[1] for r in exported.chain], [r[1] for r in rows])
    assert rows == exported.chain


@pytest.mark.parametrize(("db_url", "trial"), CASES, indirect=["db_url"])
def test_a_killed_file_log_leaves_all_or_none_of_it_and_a_rerun_completes(
    db_url: str,
    trial: int,
    event_file: tuple[Path, list[str]],
    tally: Tally,
    tmp_path: Path,
    shared_dir: Path,
) -> None:
    tally.campaign = "crash: log --file"
    path, file_ids = event_file
    command = ("log", "--file", str(path))

    def measure() -> Timing:
        with scratch_url(tally.engine, tmp_path) as url:
            base = seeded(url)
            return calibrate(url, command, (len(base) + len(file_ids),))

    run = timing(shared_dir, "log", tally.engine, measure)
    base = seeded(db_url)
    kill = kill_at_random(db_url, command, run, random.Random(f"log/{tally.engine}/{trial}"))
    tally.saw(kill.out, kill.err)

    assert ok(db_url, "verify", tally=tally).startswith("OK: ")
    rows = logged(db_url)
    assert rows[: len(base)] == base
    new = [r[1] for r in rows[len(base) :]]
    assert new in ([], file_ids)
    tally.killed = int(kill.killed)
    views_stay_the_same_after_a_rebuild(db_url, ["s400-india-2018"], tally)

    again = ok(db_url, *command, tally=tally)
    assert again.startswith(f"Logged {len(file_ids) - len(new)} events from {path.name}")
    rows = logged(db_url)
    have = [r[1] for r in rows]
    count_losses(tally, [r[1] for r in base] + file_ids, have)
    assert rows[: len(base)] == base
    assert have[len(base) :] == file_ids


# --- import sipri ----------------------------------------------------------------------------

SIPRI_DEALS = 1000 if SOAK else 300
SIPRI_CASES = [
    *(pytest.param("sqlite", t, id=f"sqlite-{t}") for t in trials(short=2, soak=50)),
    *(
        pytest.param("postgresql", t, id=f"postgresql-{t}", marks=pytest.mark.postgres)
        for t in trials(short=2, soak=50)
    ),
]
FIXTURES = Path(__file__).resolve().parents[1] / "importers" / "fixtures"


@pytest.fixture(scope="module")
def sipri_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A trade register of SIPRI_DEALS made-up deals (three events each at least)."""
    path = tmp_path_factory.mktemp("crash-sipri") / "register.csv"
    header = (
        "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,"
        "Weapon description,Number delivered, ,Year(s) of delivery,status,Comments,"
        "SIPRI TIV per unit,SIPRI TIV for total order,SIPRI TIV of delivered weapons"
    )
    rows = [
        f"India,Russia,{2000 + i % 20},,4,,Type-{i},SAM system,4,,"
        f"{2001 + i % 20}; {2002 + i % 20},New,deal {i},1,4,4"
        for i in range(SIPRI_DEALS)
    ]
    preamble = "Source: SIPRI Arms Transfers Database (c) SIPRI.\nData generated: 13 Mar 2025\n"
    path.write_text(preamble + "\n".join([header, *rows]) + "\n", encoding="latin-1")
    return path


def earlier_release(url: str) -> list[tuple[int, str, str]]:
    """A log holding the by-year fixture release, so that 'as before' is not just empty."""
    fresh(url).close()
    ok(url, "import", "sipri", str(FIXTURES / "by-delivery-year-2024-04-sample.csv"))
    return logged(url)


@pytest.fixture(scope="module")
def sipri_ids(sipri_file: Path, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The oracle: the event ids a whole import appends after the earlier release (event
    ids derive from the deals, so every engine and every run gives the same)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('crash-sipri-oracle') / 'tracker.db'}"
    base = earlier_release(url)
    ok(url, "import", "sipri", str(sipri_file))
    return [r[1] for r in logged(url)[len(base) :]]


@pytest.mark.parametrize(("db_url", "trial"), SIPRI_CASES, indirect=["db_url"])
def test_a_killed_sipri_import_leaves_all_or_none_of_the_file_and_a_rerun_completes(
    db_url: str,
    trial: int,
    sipri_file: Path,
    sipri_ids: list[str],
    tally: Tally,
    tmp_path: Path,
    shared_dir: Path,
) -> None:
    tally.campaign = "crash: import sipri"
    command = ("import", "sipri", str(sipri_file))

    def measure() -> Timing:
        with scratch_url(tally.engine, tmp_path) as url:
            base = earlier_release(url)
            return calibrate(url, command, (len(base) + len(sipri_ids),))

    run = timing(shared_dir, "sipri", tally.engine, measure)
    base = earlier_release(db_url)
    kill = kill_at_random(db_url, command, run, random.Random(f"sipri/{tally.engine}/{trial}"))
    tally.saw(kill.out, kill.err)

    assert ok(db_url, "verify", tally=tally).startswith("OK: ")
    rows = logged(db_url)
    assert rows[: len(base)] == base
    new = [r[1] for r in rows[len(base) :]]
    assert new in ([], sipri_ids)
    tally.killed = int(kill.killed)
    views_stay_the_same_after_a_rebuild(db_url, ["sipri-32127"], tally)

    ok(db_url, *command, tally=tally)
    have = [r[1] for r in logged(db_url)]
    count_losses(tally, [r[1] for r in base] + sipri_ids, have)
    assert have == [r[1] for r in base] + sipri_ids

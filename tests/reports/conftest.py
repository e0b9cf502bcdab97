"""Seeded trackers with today pinned to 24 Nov 2026, and the `tracker report` command line."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tracker.cli.main import COMMANDS, cli
from tracker.service.app import Tracker

TODAY = date(2026, 11, 24)
REPORT = "tracker.cli.reports:report"


@pytest.fixture
def seeded(tracker: Tracker) -> Tracker:
    """The seeded India–Russia story on SQLite and on PostgreSQL."""
    tracker.today = lambda: TODAY
    tracker.seed()
    return tracker


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One seeded SQLite file shared by the read-only tests (reports never write)."""
    path = tmp_path_factory.mktemp("seeded") / "tracker.db"
    t = Tracker.open(str(path), create=True)
    t.init()
    t.today = lambda: TODAY
    t.seed()
    t.close()
    return str(path)


@pytest.fixture
def shared(seeded_db: str) -> Iterator[Tracker]:
    t = Tracker.open(seeded_db)
    t.today = lambda: TODAY
    try:
        yield t
    finally:
        t.close()


Report = Callable[..., Result]


@pytest.fixture
def report(monkeypatch: pytest.MonkeyPatch) -> Report:
    """`tracker --db DB report ARGS...` in-process, with `report` registered and today pinned."""
    monkeypatch.setitem(COMMANDS, "report", REPORT)

    def run(db: str, *args: str) -> Result:
        return CliRunner().invoke(
            cli,
            ["--db", db, "report", *args],
            env={"TRACKER_TODAY": TODAY.isoformat(), "TRACKER_DATABASE_URL": None},
            prog_name="tracker",
            catch_exceptions=False,
        )

    return run


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


_ENTRY = re.compile(r"^  (?!\[)(\S.*?)\s{2,}(\S.*)$")


def text_entries(text: str) -> list[tuple[str, str]]:
    """(date text, rest) of every entry in a text report, wrapped lines joined back."""
    entries: list[tuple[str, str]] = []
    in_entry = False
    for line in text.split("\nSources\n")[0].splitlines():
        if m := _ENTRY.match(line):
            entries.append((m[1], m[2]))
            in_entry = True
        elif in_entry and line.startswith("    "):
            when, rest = entries[-1]
            entries[-1] = (when, f"{rest} {line.strip()}")
        else:
            in_entry = False
    return entries


def flat(text: str) -> str:
    """Whitespace collapsed, so that wrapped text can be searched."""
    return " ".join(text.split())


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path

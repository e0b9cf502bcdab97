"""A `tracker` command line on a fresh database, with today pinned to 15 Jan 2026."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tracker.cli.main import cli

TODAY = "2026-01-15"


def text(*lines: str) -> str:
    """What a command prints: these lines, each ended by a newline."""
    return "".join(line + "\n" for line in lines)


def usage_error(usage: str, message: str) -> str:
    """What click prints for a usage error (exit 2) of `tracker <usage>`."""
    command = usage.split(" [")[0]
    return text(
        f"Usage: tracker {usage}",
        f"Try 'tracker {command} --help' for help.",
        "",
        f"Error: {message}",
    )


@dataclass
class Cli:
    """Runs `tracker --db DB ...` in-process and checks how it ended."""

    db: str
    runner: CliRunner = field(default_factory=CliRunner)

    def __call__(self, *args: str) -> Result:
        return self.runner.invoke(
            cli,
            ["--db", self.db, *args],
            env={"TRACKER_TODAY": TODAY, "TRACKER_DATABASE_URL": None},
            prog_name="tracker",
            catch_exceptions=False,
        )

    def ok(self, *args: str) -> str:
        """stdout of a command that must succeed and print nothing on stderr."""
        result = self(*args)
        assert result.exit_code == 0, result.stderr
        assert result.stderr == ""
        return result.stdout

    def fails(self, *args: str, code: int = 1) -> str:
        """stderr of a command that must fail with ``code`` and print nothing on stdout."""
        result = self(*args)
        assert result.exit_code == code, result.output
        assert result.stdout == ""
        return result.stderr

    def log_json(self) -> str:
        """The whole log as JSON, to show that a failed command wrote nothing."""
        return self.ok("events", "--format", "json")


def _initialised(db: str) -> Cli:
    run = Cli(db)
    run.ok("init")
    return run


@pytest.fixture
def run(tmp_path: Path) -> Cli:
    """The CLI on a fresh, initialised SQLite database."""
    return _initialised(str(tmp_path / "tracker.db"))


@pytest.fixture
def run_on_each_engine(db_url: str) -> Cli:
    """The CLI on a fresh database on SQLite and on PostgreSQL (see tests/conftest.py)."""
    return _initialised(db_url)


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a file for `tracker log --file` and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write

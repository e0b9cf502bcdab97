"""What a command imports: reading and logging start without the libraries they do not use.

Each runs in a fresh interpreter, so what it imports is what a person's `tracker` pays for at
every start (workload 6 of tests/benchmarks times it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.cli.conftest import TODAY, Cli
from tests.cli.story import REF, log_s400
from tracker.cli.quick.status import FULL_PATH

#: Never needed to read a view or to log one event.
HEAVY = (
    "alembic",
    "jinja2",
    "matplotlib",
    "psycopg",
    "yaml",
    "tracker.reports",
    "tracker.service.seeds",
    "tracker.store.migrate",
)


def imported(db: str, *args: str) -> set[str]:
    """The modules a `tracker --db DB ARGS` process holds when the command has run."""
    code = (
        "import json, sys\n"
        "from tracker.cli.main import cli\n"
        f"cli.main(args={['--db', db, *args]!r}, prog_name='tracker', standalone_mode=False)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "TRACKER_DATABASE_URL"}
        | {"TRACKER_TODAY": TODAY},
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def entry_imported(db: str, *args: str) -> set[str]:
    """The modules the `tracker --db DB ARGS` entry point (``main``) holds when it exits."""
    code = (
        "import json, sys\n"
        "from tracker.cli.main import main\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "--db", db, *args],
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k not in ("TRACKER_DATABASE_URL", FULL_PATH)}
        | {"TRACKER_TODAY": TODAY},
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(n for n in names if n in modules or any(m.startswith(n + ".") for m in modules))


@pytest.fixture
def story(run: Cli) -> str:
    log_s400(run)
    return run.db


def test_status_imports_neither_the_write_path_nor_any_heavy_library(story: str) -> None:
    modules = imported(story, "status")
    assert "tracker.cli.grid" in modules  # it did print its table, drawn without rich
    assert (
        loaded(modules, (*HEAVY, "rich", "tracker.service.writes", "tracker.domain.rules.checks"))
        == []
    )


def test_a_dry_run_delivery_imports_no_heavy_library_and_no_rich(story: str) -> None:
    modules = imported(
        story,
        "log", "delivery", REF, "--quantity", "1", "--label", "squadron 5",
        "--occurred", "2026-01", "--source", "https://example.org/story", "--dry-run",
    )  # fmt: skip
    assert "tracker.service.writes" in modules  # it did check the delivery
    assert loaded(modules, (*HEAVY, "rich")) == []


def test_a_filtered_status_and_schedule_import_no_more_than_status(story: str) -> None:
    for args in (("status", "--buyer", "India", "--search", "S-400"), ("schedule", "s400")):
        modules = imported(story, *args)
        assert "tracker.cli.grid" in modules
        unused = (
            *HEAVY,
            "rich",
            "tracker.service.writes",
            "tracker.domain.rules.checks",
            "tracker.importers",
        )
        assert loaded(modules, unused) == [], args


@pytest.mark.parametrize(
    "args",
    [
        ("status",),
        ("status", "--format", "json"),
        ("status", "--format", "csv"),
        ("status", "--format", "md", "--sort", "signed"),
        ("status", "--buyer", "India", "--search", "S-400", "--overdue", "--limit", "1"),
        ("status", "s400"),
    ],
    ids=" ".join,
)
def test_status_imports_neither_sqlalchemy_sqlmodel_pydantic_nor_rich(
    story: str, args: tuple[str, ...]
) -> None:
    modules = entry_imported(story, *args)
    # The full path always imports SQLAlchemy: without it, the bare driver answered.
    heavy = (
        *HEAVY,
        "sqlalchemy",
        "sqlmodel",
        "pydantic",
        "rich",
        "pendulum",
        "tracker.service.app",
    )
    assert loaded(modules, heavy) == []

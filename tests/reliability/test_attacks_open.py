"""Opening what is not ours: a database URL that cannot be read gives one line, and another
application's SQLite file is refused before anything changes it (bytes, journal mode, tables).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.reliability.conftest import Tally, invoke

BAD_URLS = {
    "postgresql://user:secret@localhost:abc/db": "the port is not a number",
    "postgresql+psycopg://user@localhost:5432x/db": "the port is not a number",
    "postgresql://[::1/db": "the port is not a number",
    "sqlite://not-a-path": "Invalid SQLite URL",
    "mysql://localhost/db": "Unsupported database URL",
    "~no-such-user-here/tracker.db": "Could not determine home directory",
}


@pytest.mark.parametrize("url", BAD_URLS)
@pytest.mark.parametrize("command", [["status"], ["init"], ["verify"]])
def test_a_url_that_cannot_be_read_gives_one_line(
    url: str, command: list[str], tally: Tally
) -> None:
    tally.campaign, tally.engine = "attack: unreadable database URL", "any"
    result = invoke(url, *command, tally=tally)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    assert BAD_URLS[url] in result.stderr
    assert "secret" not in result.stderr


@pytest.fixture
def foreign(tmp_path: Path) -> Path:
    """Another application's SQLite database, in rollback-journal mode, with data."""
    path = tmp_path / "crm.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer INTEGER)")
        conn.execute("INSERT INTO customers VALUES (1, 'Ada')")
    conn.close()
    return path


def looks(path: Path) -> tuple[bytes, str, list[str], list[str]]:
    """The file's bytes, its journal mode, its tables and the files beside it."""
    data = path.read_bytes()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master ORDER BY name")]
    finally:
        conn.close()
    return data, mode, tables, sorted(p.name for p in path.parent.iterdir())


READS = [["status"], ["events"], ["verify"], ["schedule", "x"], ["report", "timeline"], ["export"]]
NOTE = ["log", "note", "topic:x", "--text", "x", "--occurred", "2025", "--source-title", "x"]
WRITES = [["init"], ["db", "upgrade"], NOTE]


@pytest.mark.parametrize("command", READS + WRITES, ids=" ".join)
def test_another_applications_sqlite_file_is_refused_unchanged(
    foreign: Path, command: list[str], tally: Tally
) -> None:
    tally.campaign, tally.engine = "attack: foreign SQLite file", "sqlite"
    before = looks(foreign)
    assert before[1] == "delete"
    result = invoke(str(foreign), *command, tally=tally)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith(f"Error: {foreign} is not a tracker database")
    assert result.stderr.count("\n") == 1
    assert looks(foreign) == before


def test_init_force_adds_the_tracker_beside_the_other_tables(foreign: Path, tally: Tally) -> None:
    tally.campaign, tally.engine = "attack: foreign SQLite file", "sqlite"
    result = invoke(str(foreign), "init", "--force", tally=tally)
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    _, _, tables, _ = looks(foreign)
    assert {"customers", "orders", "events", "alembic_version"} <= set(tables)
    with sqlite3.connect(foreign) as conn:
        assert conn.execute("SELECT name FROM customers").fetchall() == [("Ada",)]
    conn.close()
    assert invoke(str(foreign), "status", tally=tally).exit_code == 0


def test_an_empty_file_is_still_made_a_tracker(tmp_path: Path, tally: Tally) -> None:
    tally.campaign, tally.engine = "attack: foreign SQLite file", "sqlite"
    empty = tmp_path / "new.db"
    empty.touch()
    assert invoke(str(empty), "init", tally=tally).exit_code == 0
    assert looks(empty)[1] == "wal"

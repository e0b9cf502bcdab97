"""The README documents every column of every typed read model, and its examples run.

The README's "Read models in SQL" table is parsed here and compared with the tables the
migrations create, so a new column cannot go undocumented. The sqlite3 example is run
through Python's sqlite3 module on a seeded database, as a user would run it.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect

from tracker.service.app import Tracker

README = Path(__file__).resolve().parents[1] / "README.md"


def documented() -> dict[str, set[str]]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Read models in SQL") : text.index("### JSON output")]
    tables: dict[str, set[str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`proj_"):
            tables[cells[0].strip("`")] = set(re.findall(r"`([a-z_]+)`", cells[2]))
    return tables


def test_every_column_of_every_typed_read_model_is_in_the_readme(sqlite_tracker: Tracker):
    found = documented()
    columns = inspect(sqlite_tracker.engine)
    assert set(found) == {
        "proj_contract_status", "proj_milestones", "proj_deliveries", "proj_production",
        "proj_figures", "proj_sources", "proj_transfers",
    }  # fmt: skip
    for table, named in found.items():
        actual = {c["name"] for c in columns.get_columns(table)}
        assert actual <= named, f"{table}: not in the README: {sorted(actual - named)}"


def test_the_readme_sql_example_answers_on_a_seeded_database(sqlite_tracker: Tracker):
    sqlite_tracker.seed()
    text = README.read_text(encoding="utf-8")
    query = re.search(r'sqlite3 tracker\.db "(.*?)"', text)
    assert query
    path = sqlite_tracker.engine.url.database
    assert path
    with sqlite3.connect(path) as conn:
        rows = {r[0]: r[1:] for r in conn.execute(query.group(1))}
    # The record: 5 S-400 squadrons ordered in 2018, 3 delivered (domain-facts.md, A).
    assert rows["s400-india-2018"][:4] == ("India", "Russia", 3, 5)


@pytest.mark.postgres
def test_the_readme_psql_example_answers_on_a_seeded_database(pg_schema_url: str):
    tracker = Tracker.open(pg_schema_url, create=True)
    try:
        tracker.init()
        tracker.seed()
        text = README.read_text(encoding="utf-8")
        query = re.search(r'psql "\$URL" -c "(.*?)"', text)
        assert query
        with tracker.engine.connect() as conn:
            # As psql sends it: no parameters, so '%' is a plain character.
            cursor = conn.connection.driver_connection.execute(query.group(1))  # type: ignore[union-attr]
            rows = cursor.fetchall()
    finally:
        tracker.close()
    # Five squadrons, three delivered by the end of 2023 (domain-facts.md, A).
    assert [r[1] for r in rows] == [f"squadron {n}" for n in range(1, 6)]
    assert sum(1 for r in rows if r[3] is not None) == 3

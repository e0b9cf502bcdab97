"""Each sentence of the README's PostgreSQL roles paragraph, as a test (issue #18, point 7).

The roles are made by `tracker db grant --login`; the tests log in as them (trust auth on
127.0.0.1) and run the CLI and plain SQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from tracker.cli.main import cli
from tracker.service.app import Tracker
from tracker.store.schema import SCHEMA_REVISION

pytestmark = pytest.mark.postgres
ENV = {"TRACKER_TODAY": "2026-01-15", "TRACKER_DATABASE_URL": None}
NOTE = ("log", "note", "topic:roles", "--text", "a note", "--occurred", "2026-01")
SOURCE = ("--source", "https://example.org/roles")


@dataclass
class Roles:
    owner: str
    writer: str
    reader: str


@pytest.fixture
def roles(pg_schema_url: str) -> Iterator[Roles]:
    """A seeded database and its roles, made by the CLI as the README shows."""
    owner = Tracker.open(pg_schema_url, create=True)
    owner.init()
    owner.seed()
    suffix = uuid.uuid4().hex[:8]
    writer, reader = f"rw_{suffix}", f"rr_{suffix}"
    run(pg_schema_url, "db", "grant", "--writer", writer, "--reader", reader, "--login")
    as_role = pg_schema_url.replace("//postgres@", "//{}@")
    yield Roles(pg_schema_url, as_role.format(writer), as_role.format(reader))
    with owner.engine.begin() as conn:
        for role in (writer, reader):
            conn.exec_driver_sql(f"DROP OWNED BY {role}")
            conn.exec_driver_sql(f"DROP ROLE {role}")
    owner.close()


def cli_run(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", url, *args], env=ENV, prog_name="tracker")


def run(url: str, *args: str) -> str:
    result = cli_run(url, *args)
    assert result.exit_code == 0 and "Error" not in result.stderr, result.output
    return result.stdout


def refused(url: str, *args: str) -> str:
    result = cli_run(url, *args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output
    return result.stderr


def sql_error(url: str, statement: str) -> str:
    """The database's error for ``statement`` run as the URL's role ('' if it ran)."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(statement))
    except DBAPIError as e:
        return str(e.orig).strip().splitlines()[0]
    finally:
        engine.dispose()
    return ""


def events(url: str) -> int:
    return int(run(url, "verify").split()[1])


# "The writer can run every tracker command: it logs, imports and rebuilds the read models."
def test_the_writer_logs_imports_and_rebuilds(roles: Roles, tmp_path):
    before = events(roles.owner)
    run(roles.writer, *NOTE, *SOURCE)
    export = tmp_path / "log.jsonl"
    run(roles.owner, "export", "--output", str(export))
    run(roles.writer, "import", "jsonl", str(export))  # idempotent: the same log again
    run(roles.writer, "projections", "rebuild")
    assert "S-400" in run(roles.writer, "status")
    assert events(roles.owner) == before + 1


# "The writer cannot update, delete or truncate events, alter or drop any table, create one,
# or switch the triggers off."
@pytest.mark.parametrize(
    ("statement", "error"),
    [
        ("UPDATE events SET payload = '{}'", "permission denied for table events"),
        ("DELETE FROM events", "permission denied for table events"),
        ("TRUNCATE events", "permission denied for table events"),
        ("ALTER TABLE events DISABLE TRIGGER USER", "must be owner of table events"),
        ("DROP TABLE proj_contracts", "must be owner of table proj_contracts"),
        ("CREATE TABLE events_copy (x int)", "permission denied for schema"),
        (
            "SET session_replication_role = replica",
            'permission denied to set parameter "session_replication_role"',
        ),
    ],
)
def test_the_writer_cannot_rewrite_or_unguard_the_log(roles: Roles, statement: str, error: str):
    before = events(roles.owner)
    assert error in sql_error(roles.writer, statement)
    assert events(roles.owner) == before


# "It cannot grant roles or migrate the schema."
def test_the_writer_cannot_grant_roles_or_migrate(roles: Roles):
    assert refused(roles.writer, "db", "grant", "--writer", "x1", "--reader", "x2").startswith(
        "Error: "
    )
    assert refused(roles.writer, "db", "downgrade", "0003").startswith("Error: ")
    assert run(roles.owner, "db", "current").startswith(f"{SCHEMA_REVISION} ")


# "Every INSERT into events, by the writer, the owner or a superuser, by INSERT or COPY, under
# any search_path, must be the next link of the chain" -- the row-by-row cases are in
# tests/reliability/test_attacks_db.py; here: the owner (a superuser) is held to it too.
def test_the_owner_is_held_to_the_chain_and_cannot_rewrite_either(roles: Roles):
    junk = (
        "INSERT INTO events SELECT max(position) + 1, 'e', 's', 1, 'NoteRecorded', 1, 'day', "
        "NULL, '2021-01-01', 'r', '{}', '{}', 'x', 'y' FROM events"
    )
    assert "refused a row" in sql_error(roles.owner, junk)
    assert "events is append-only: UPDATE is not allowed" in sql_error(
        roles.owner, "UPDATE events SET payload = '{}'"
    )


# "The writer can change the read models (proj_* tables and their checkpoints) directly; they
# are derived from the log, and `tracker projections rebuild` recomputes them from it."
def test_the_writer_can_change_the_read_models_and_a_rebuild_restores_them(roles: Roles):
    before = rows(roles.owner, "proj_contracts")
    assert before != []
    assert sql_error(roles.writer, "DELETE FROM proj_contracts") == ""
    assert rows(roles.owner, "proj_contracts") == []
    run(roles.owner, "projections", "rebuild")
    assert rows(roles.owner, "proj_contracts") == before


def rows(url: str, table: str) -> list[tuple[object, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(f"SELECT * FROM {table} ORDER BY 1"))]
    finally:
        engine.dispose()


def tables(url: str) -> dict[str, str]:
    """Every table of the tracker's schema, as the database lists them, and a column each."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            found = conn.execute(
                text(
                    "SELECT table_name, min(column_name) FROM information_schema.columns "
                    "WHERE table_schema = current_schema() GROUP BY table_name"
                )
            )
            return dict(found.all())  # type: ignore[arg-type]
    finally:
        engine.dispose()


# "The reader can run every read command: status, schedule, events, show, report, export and
# verify."
def test_the_reader_runs_the_read_commands(roles: Roles, tmp_path):
    assert "S-400" in run(roles.reader, "status")
    assert "Schedule of s400-india-2018" in run(roles.reader, "schedule", "s400-india-2018")
    assert run(roles.reader, "events", "--limit", "1") != ""
    assert run(roles.reader, "show", "1") != ""
    run(roles.reader, "export", "--output", str(tmp_path / "r.jsonl"))
    assert run(roles.reader, "verify").startswith("OK: ")
    assert "S-400" in run(roles.reader, "report", "timeline", "--format", "md")


# "The reader cannot change anything: `log` and `projections rebuild` end in
# `Error: Not allowed: ...`, and INSERT, UPDATE, DELETE and TRUNCATE are refused on every
# table."
def test_the_reader_cannot_change_anything(roles: Roles, tmp_path):
    before = events(roles.owner)
    assert refused(roles.reader, *NOTE, *SOURCE).startswith("Error: Not allowed: ")
    assert refused(roles.reader, "projections", "rebuild").startswith("Error: Not allowed: ")
    every = tables(roles.owner)
    assert {"events", "alembic_version", "proj_contracts"} <= set(every)
    for table, column in every.items():
        for sql in (
            f"INSERT INTO {table} SELECT * FROM {table} LIMIT 0",
            f"UPDATE {table} SET {column} = {column}",
            f"DELETE FROM {table}",
            f"TRUNCATE {table}",
        ):
            assert "permission denied" in sql_error(roles.reader, sql), sql
    assert events(roles.owner) == before

"""PostgreSQL roles: the writer appends but cannot rewrite; the reader reads but cannot write."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from tests.store.helpers import new_event
from tracker.errors import StoreError
from tracker.service.app import Tracker
from tracker.store.roles import grant_roles


@pytest.fixture
def roles(pg_schema_url: str) -> Iterator[tuple[Tracker, Tracker, Tracker]]:
    owner = Tracker.open(pg_schema_url, create=True)
    owner.init()
    suffix = uuid.uuid4().hex[:8]
    writer, reader = f"tw_{suffix}", f"tr_{suffix}"
    grant_roles(owner.engine, writer, reader, login=True)
    as_writer = Tracker.open(pg_schema_url.replace("//postgres@", f"//{writer}@"))
    as_reader = Tracker.open(pg_schema_url.replace("//postgres@", f"//{reader}@"))
    yield owner, as_writer, as_reader
    for t in (as_writer, as_reader):
        t.close()
    with owner.engine.begin() as conn:
        for role in (writer, reader):
            conn.exec_driver_sql(f"DROP OWNED BY {role}")
            conn.exec_driver_sql(f"DROP ROLE {role}")
    owner.close()


@pytest.mark.postgres
def test_the_writer_appends_and_catches_up_but_cannot_rewrite_the_log(roles):
    _, writer, _ = roles
    writer.store.append("s:a", [new_event(), new_event()])
    writer.level_projections()
    assert writer.store.head_position() == 2
    for statement in ("UPDATE events SET payload = '{}'", "DELETE FROM events", "TRUNCATE events"):
        with (
            pytest.raises(Exception, match="permission denied for table events"),
            writer.engine.begin() as conn,
        ):
            conn.execute(text(statement))
    assert writer.store.head_position() == 2


@pytest.mark.postgres
def test_the_reader_reads_but_cannot_write(roles):
    owner, _, reader = roles
    owner.store.append("s:a", [new_event()])
    owner.level_projections()
    assert [e.position for e in reader.events()] == [1]
    assert reader.status() == []
    with pytest.raises(StoreError, match="Not allowed"):
        reader.store.append("s:a", [new_event()])
    with pytest.raises(Exception, match="permission denied"), reader.engine.begin() as conn:
        conn.execute(text("DELETE FROM proj_contracts"))


def test_roles_are_refused_on_sqlite(sqlite_tracker: Tracker):
    with pytest.raises(StoreError, match="Roles exist on PostgreSQL only"):
        grant_roles(sqlite_tracker.engine, "w", "r")


@pytest.mark.postgres
def test_the_writer_may_write_every_read_model_table_the_migrations_create(roles):
    owner, _, _ = roles
    from tracker.store.roles import PROJECTION_TABLES

    with owner.engine.connect() as conn:
        tables = set(
            conn.execute(
                text(
                    "SELECT table_name FROM information_schema.tables"
                    " WHERE table_schema = current_schema()"
                )
            ).scalars()
        )
    assert tables - {"events", "alembic_version"} == set(PROJECTION_TABLES)

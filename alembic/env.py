"""Alembic environment: the tracker's own metadata and database URL (never a URL in a file)."""

from __future__ import annotations

from sqlmodel import SQLModel

import tracker.projections.tables
import tracker.store.schema  # noqa: F401  (registers the events table)
from alembic import context
from tracker.config import resolve_url
from tracker.store.engine import connect

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_offline() -> None:
    url = config.attributes.get("url") or resolve_url(None)
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.attributes.get("url") or resolve_url(None)
    engine = connect(url, create=True)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def include_object(
    obj: object, name: str | None, kind: str, reflected: bool, compare_to: object
) -> bool:
    """Leave out what migration 0006 makes beside the models: the FTS5 table and its shadow
    tables (SQLite) and the tsvector index (PostgreSQL), none of which SQLModel can declare."""
    return not (name or "").startswith(("proj_contract_search", "ix_proj_contract_status_search"))


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite needs batch mode to alter tables
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

"""PostgreSQL roles for teams: a writer that can only append, a reader that can only read."""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.engine import Engine

from tracker.errors import StoreError
from tracker.store.errors import translate_db_error

PROJECTION_TABLES = (
    "projection_checkpoints",
    "proj_contracts",
    "proj_joint_ventures",
    "proj_agreements",
    "proj_topics",
    "proj_contract_status",
    "proj_milestones",
    "proj_deliveries",
    "proj_production",
    "proj_figures",
    "proj_sources",
    "proj_transfers",
)
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grant_roles(engine: Engine, writer: str, reader: str, *, login: bool = False) -> list[str]:
    """Create (or update) the two roles and their grants; returns the statements run.

    The writer may INSERT and SELECT events (never UPDATE, DELETE or TRUNCATE, which the
    triggers refuse anyway; every row it inserts must pass the chain check of migration
    0004) and maintain the read models; the reader may only SELECT. Neither owns a table,
    so neither can alter, drop or un-trigger one (tests/store/test_roles_readme.py).
    """
    if engine.dialect.name != "postgresql":
        raise StoreError(
            "Roles exist on PostgreSQL only; a SQLite file is protected by its file permissions"
        )
    for name in (writer, reader):
        if not _NAME.match(name):
            raise StoreError(f"Invalid role name '{name}': lowercase letters, digits and _")
    attrs = "LOGIN" if login else "NOLOGIN"
    projections = ", ".join(PROJECTION_TABLES)
    statements = [
        *(_create_role(name, attrs) for name in (writer, reader)),
        f"GRANT USAGE ON SCHEMA {{schema}} TO {writer}, {reader}",
        f"REVOKE ALL ON events FROM {writer}, {reader}",
        f"GRANT SELECT, INSERT ON events TO {writer}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON {projections} TO {writer}",
        f"GRANT SELECT ON alembic_version TO {writer}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {{schema}} TO {reader}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA {{schema}} FROM {reader}",
    ]
    with translate_db_error(), engine.begin() as conn:
        schema = conn.execute(text("SELECT current_schema()")).scalar_one()
        done = []
        for statement in statements:
            sql = statement.replace("{schema}", f'"{schema}"')
            conn.exec_driver_sql(sql)
            done.append(sql)
    return done


def _create_role(name: str, attrs: str) -> str:
    return (
        "DO $$ BEGIN "
        f"IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{name}') THEN "
        f"CREATE ROLE {name} {attrs}; ELSE ALTER ROLE {name} {attrs}; END IF; END $$"
    )

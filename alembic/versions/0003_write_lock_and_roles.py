"""PostgreSQL: every insert into events takes the log's write lock.

The store takes a transaction-scoped advisory lock before it reads the head of the log,
so writers queue and positions commit in order (a reader following position > last_seen
never misses an event). Unlike LOCK TABLE ... IN EXCLUSIVE MODE, an advisory lock needs no
UPDATE/DELETE/TRUNCATE privilege, so an insert-only writer role can take it. This trigger
makes any INSERT, even one that bypasses the store, wait for the same lock.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOCK_KEY = "hashtextextended(current_schema() || '.events', 0)"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite serialises writers itself (BEGIN IMMEDIATE)
    op.execute(
        f"""CREATE FUNCTION events_write_lock() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock({LOCK_KEY});
            RETURN NULL;
        END $$"""
    )
    op.execute(
        """CREATE TRIGGER events_serialise_inserts BEFORE INSERT ON events
        FOR EACH STATEMENT EXECUTE FUNCTION events_write_lock()"""
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS events_serialise_inserts ON events")
    op.execute("DROP FUNCTION IF EXISTS events_write_lock()")

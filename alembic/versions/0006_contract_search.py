"""Full-text search over the contract status's search_text (system, description, notes).

SQLite: an FTS5 table over proj_contract_status (external content, so the text is stored
once), keyed by the status row's position (the stream's last log position: unique, and
unlike SQLite's own rowid never renumbered by VACUUM). Triggers keep it in step with every
insert, delete and update the projections make, in the same transaction.

PostgreSQL: a GIN index on the row's tsvector (the 'simple' configuration: no stemming, no
stop words), computed from the text with every run of non-alphanumerics blanked, so both
engines index the same words: runs of letters and digits (tracker/projections/filters.py).

Neither object is a SQLModel table or index; alembic/env.py leaves them out of `alembic
check`.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS = "proj_contract_search"
PG_INDEX = "ix_proj_contract_status_search"
_INSERT = f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.position, new.search_text);"
_DELETE = (
    f"INSERT INTO {FTS}({FTS}, rowid, search_text)"
    " VALUES ('delete', old.position, old.search_text);"
)
SQLITE_UP = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(search_text, content='proj_contract_status',"
    " content_rowid='position', tokenize='unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON proj_contract_status BEGIN {_INSERT} END",
    f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON proj_contract_status BEGIN {_DELETE} END",
    f"CREATE TRIGGER {FTS}_au AFTER UPDATE ON proj_contract_status BEGIN {_DELETE} {_INSERT} END",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TABLE IF EXISTS {FTS}",
]
PG_UP = [
    f"CREATE INDEX {PG_INDEX} ON proj_contract_status USING gin"
    " (to_tsvector('simple'::regconfig,"
    " regexp_replace(search_text, '[^[:alnum:]]+', ' ', 'g')))"
]
PG_DOWN = [f"DROP INDEX IF EXISTS {PG_INDEX}"]


def upgrade() -> None:
    for statement in PG_UP if _postgres() else SQLITE_UP:
        op.execute(statement)


def downgrade() -> None:
    for statement in PG_DOWN if _postgres() else SQLITE_DOWN:
        op.execute(statement)


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"

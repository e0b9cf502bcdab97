"""SQLite's append check, cheaper: the same checks in the same order, with the same messages.

0004's SQLite trigger spent most of its time on its two ``NOT IN (...)`` lists, not on JSON:
inside a trigger SQLite builds the ephemeral index of a constant IN list again for every
row (16 event types, 97 precisions). A CASE over the same names compares in place. Measured
with the bare sqlite3 driver, 100,000 seed-like rows in batches of 1,000 (best of 3,
two sessions): no trigger 70-89k rows/s, 0004 32-38k, this 55-57k (its cost per row about
a third of 0004's); a lookup table was slower (43-54k) and would need hiding from
``alembic check``.

Each JSON value is parsed once: ``json_valid`` parses, and a valid JSON text is an object
exactly when its first character after JSON whitespace (tab, LF, CR, space) is ``{``. The
sources check parses the metadata again only in name: SQLite keeps a parse of each JSON
text for the rest of the trigger. Both only run on text json_valid accepted, so a text that
is not JSON is refused with the message, never with SQLite's "malformed JSON".

The event types and precisions are 0004's, which are frozen: a new event type needs a new
migration that replaces the check. PostgreSQL's check (0004) is already a plpgsql function;
this migration leaves it alone.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

import importlib.util
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import ModuleType

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _checked_appends() -> ModuleType:
    """Migration 0004, for its frozen lists, its messages and (to downgrade) its trigger."""
    path = Path(__file__).with_name("0004_checked_appends.py")
    spec = importlib.util.spec_from_file_location("_tracker_migration_0004", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_M4 = _checked_appends()
#: 0004's reasons, in 0004's order: position, link, payload, metadata, sources, event type,
#: occurred, versions.
_WHY = [why for _, why in _M4._SQLITE_CHECKS]
_DAY = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"


def _is_not_object(column: str) -> str:
    return (
        f"NOT json_valid({column})"
        f" OR substr(ltrim({column}, char(9, 10, 13, 32)), 1, 1) IS NOT '{{'"
    )


def _is_none_of(column: str, names: Iterable[str]) -> str:
    # NULL falls to ELSE and is refused here too (0004 left it to NOT NULL).
    whens = " ".join(f"WHEN '{name}' THEN 0" for name in names)
    return f"CASE {column} {whens} ELSE 1 END"


_CONDITIONS = (
    "NEW.position IS NOT coalesce((SELECT max(position) FROM events), 0) + 1",
    "NEW.prev_hash IS NOT coalesce("
    f"(SELECT hash FROM events ORDER BY position DESC LIMIT 1), '{_M4.GENESIS}')",
    _is_not_object("NEW.payload"),
    _is_not_object("NEW.metadata"),
    "coalesce(json_type(NEW.metadata, '$.sources'), 'array') IS NOT 'array'",
    _is_none_of("NEW.event_type", _M4.EVENT_TYPES),
    _is_none_of("NEW.occurred_precision", _M4.PRECISIONS)
    + f" OR NOT (NEW.occurred_end GLOB {_DAY})"
    + f" OR NOT coalesce(NEW.occurred_start GLOB {_DAY}, 1)"
    + " OR NEW.occurred_start > NEW.occurred_end",
    "NEW.stream_version < 1 OR NEW.schema_version < 1",
)


def sqlite_trigger() -> str:
    """The cheaper trigger: a row fails the first check that 0004 would fail it on."""
    checks = "\n".join(
        f"SELECT RAISE(ABORT, '{_M4.REFUSED}: {why.replace(chr(39), chr(39) * 2)}') WHERE {cond};"
        for cond, why in zip(_CONDITIONS, _WHY, strict=True)
    )
    return f"CREATE TRIGGER events_check_append BEFORE INSERT ON events\nBEGIN\n{checks}\nEND"


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER IF EXISTS events_check_append")
    op.execute(sqlite_trigger())


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER IF EXISTS events_check_append")
    op.execute(_M4._sqlite_trigger())

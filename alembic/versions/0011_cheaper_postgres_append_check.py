"""PostgreSQL's append check, once per statement: the same checks, the same messages.

0004 checked each row in a plpgsql row trigger: a function call, a query for the head and a
FOREACH loop rebuilding the hashed bytes, row after row. Here an AFTER INSERT statement
trigger sees the statement's rows as a transition table and checks them all in one query:
sorted by position they must run on from the head before the statement (position and
prev_hash), and each must pass 0004's checks on event type, occurred columns, versions,
JSON and hash, the hashed bytes now one SQL expression (the same bytes: each field's UTF-8
after its length as 8 bytes big-endian, in the order of tracker/store/hashing.hashed_fields).

Server time per INSERT statement (EXPLAIN ANALYZE, 300 statements each, two runs, on a
loaded machine): 100 rows, no check 1.0-1.1 ms, 0004 4.5-5.4 ms, this 2.2-2.4 ms; one row,
0004 0.21-0.28 ms, this 0.35 ms (a few more queries per statement); 20,000 rows in one
statement onto 20,000, no check 0.6 s, 0004 2.5 s, this 1.3 s.

Only when that query finds a fault (or a JSON text that does not parse) does the function
walk the rows in position order with 0004's own checks, so a refusal names the same
position and reason as 0004's did. It refuses what 0004 refused, with one difference in
form, not in what gets in: rows of one statement may come in any order, as long as in
position order they extend the chain (0004 wanted them inserted in position order). A NULL
in a NOT NULL column, or a position, event id or stream version the log holds, is now
refused by the column's constraint or unique index (the check runs after the insert).

The head is read from the schema-qualified table as 0004 does, so a session's search_path
cannot point the check at another table; the write lock (0004's statement trigger) is taken
before any row goes in. The event types and precisions are 0004's, which are frozen. SQLite
has no statement triggers; its check (0009) is left alone.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _checked_appends() -> ModuleType:
    """Migration 0004, for its frozen lists, its messages and (to downgrade) its function."""
    path = Path(__file__).with_name("0004_checked_appends.py")
    spec = importlib.util.spec_from_file_location("_tracker_migration_0004", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_M4 = _checked_appends()
_TYPES_SQL = ", ".join(f"'{t}'" for t in _M4.EVENT_TYPES)
_PRECISIONS_SQL = ", ".join(f"'{p}'" for p in _M4.PRECISIONS)
#: The hashed fields in the order of hashing.chain_hash: the previous hash, then
#: hashing.hashed_fields with the position first (a NULL occurred_start hashes as '').
_HASHED = (
    "NEW.prev_hash",
    "NEW.position::text",
    "NEW.event_id",
    "NEW.stream_id",
    "NEW.stream_version::text",
    "NEW.event_type",
    "NEW.schema_version::text",
    "NEW.occurred_precision",
    "coalesce(NEW.occurred_start, '')",
    "NEW.occurred_end",
    "NEW.recorded_at",
    "NEW.payload",
    "NEW.metadata",
)
_DAY = "'^\\d{4}-\\d{2}-\\d{2}$'"
#: (condition that refuses the row, RAISE's message and arguments), in 0004's order.
_CHECKS = (
    (
        "NEW.position IS DISTINCT FROM head_position + 1",
        "'{refused}its position is not the head''s position + 1 (%)', "
        "NEW.position, head_position + 1",
    ),
    (
        "NEW.prev_hash IS DISTINCT FROM head_hash",
        "'{refused}its prev_hash is not the hash of the head (%)', NEW.position, head_hash",
    ),
    (
        f"NEW.event_type NOT IN ({_TYPES_SQL})",
        "'{refused}its event_type % is not a known event type', NEW.position, NEW.event_type",
    ),
    (
        f"NEW.occurred_precision NOT IN ({_PRECISIONS_SQL})"
        f" OR NEW.occurred_end !~ {_DAY} OR NEW.occurred_start !~ {_DAY}"
        " OR NEW.occurred_start > NEW.occurred_end",
        f"'{{refused}}{_M4._OCCURRED_WHY}', NEW.position",
    ),
    (
        "NEW.stream_version < 1 OR NEW.schema_version < 1",
        "'{refused}its stream_version and schema_version must be 1 or more', NEW.position",
    ),
)


def _hashed_bytes(row: str, *, fast: bool = False) -> str:
    """The bytes chain_hash hashes for ``row``, as one SQL expression. ``fast`` takes each
    length from the text itself, which is the UTF-8 length in a UTF8 database (in another,
    a non-ASCII text gets a wrong hash here, and the row goes to the walk, which is exact)."""
    parts = []
    for field in _HASHED:
        field = field.replace("NEW.", row + ".")
        utf8 = f"convert_to({field}, 'UTF8')"
        length = f"octet_length({field})" if fast else f"length({utf8})"
        parts.append(f"int8send({length}::bigint) || {utf8}")
    return "\n                || ".join(parts)


#: Cheaper than a regular expression, and stricter (ASCII digits only): a date that only the
#: regular expression accepts goes to the walk, which decides with 0004's expression.
def _is_day(text: str) -> str:
    return f"translate({text}, '0123456789', '9999999999') = '9999-99-99'"


def _all_pass(row: str) -> str:
    """True when ``row`` (with ``k``, its rank by position, and ``prior_hash``, the hash of the
    row before it or NULL for the first) passes every check; false or NULL when not."""
    return f"""{row}.position = head_position + {row}.k
            AND {row}.prev_hash = coalesce({row}.prior_hash, head_hash)
            AND {row}.event_type IN ({_TYPES_SQL})
            AND {row}.occurred_precision IN ({_PRECISIONS_SQL})
            AND {_is_day(row + ".occurred_end")}
            AND coalesce({_is_day(row + ".occurred_start")}
                AND {row}.occurred_start <= {row}.occurred_end, true)
            AND {row}.stream_version >= 1 AND {row}.schema_version >= 1
            AND json_typeof({row}.payload::json) = 'object'
            AND json_typeof({row}.metadata::json) = 'object'
            AND coalesce(json_typeof({row}.metadata::json -> 'sources'), 'array') = 'array'
            AND {row}.hash = encode(sha256(
                {_hashed_bytes(row, fast=True)}
            ), 'hex')"""


def pg_check_function(schema: str) -> str:
    """The statement check: one query over the statement's rows; on a fault, 0004's checks
    row by row in position order, so the refusal is the one 0004 would have made."""
    table = '"' + schema.replace('"', '""') + '".events'
    refused = f"{_M4.REFUSED} at position %: "
    raises = "\n".join(
        f"""        IF {cond} THEN
            RAISE EXCEPTION {message.format(refused=refused)}
                USING ERRCODE = 'check_violation';
        END IF;"""
        for cond, message in _CHECKS
    ).replace("NEW.", "r.")
    hashed = _hashed_bytes("r")
    return f"""CREATE OR REPLACE FUNCTION events_check_appended() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    head_position bigint := 0;
    head_hash text := '{_M4.GENESIS}';
    all_pass boolean := false;
    all_above boolean;
    lowest bigint;
    highest bigint;
    top bigint;
    added bigint;
    field text;
    r record;
BEGIN
    -- The head before the statement: the last row below the statement's lowest position,
    -- when no row the log held before lies at or above it (else the statement is refused
    -- below, and the head is looked for among the rows it did not add).
    SELECT min(a.position), max(a.position), count(*) INTO lowest, highest, added
        FROM appended AS a;
    SELECT e.position INTO top FROM {table} AS e ORDER BY e.position DESC LIMIT 1;
    -- Positions are unique: when the statement's run from lowest to highest has no hole
    -- and ends at the top of the table, no older row lies at or above lowest.
    all_above := added = 0 OR (top = highest AND highest - lowest + 1 = added);
    IF all_above THEN
        SELECT e.position, e.hash INTO head_position, head_hash
            FROM {table} AS e WHERE e.position < lowest
            ORDER BY e.position DESC LIMIT 1;
    ELSE
        SELECT e.position, e.hash INTO head_position, head_hash
            FROM {table} AS e
            WHERE e.position NOT IN (SELECT a.position FROM appended AS a)
            ORDER BY e.position DESC LIMIT 1;
    END IF;
    IF NOT FOUND THEN
        head_position := 0;
        head_hash := '{_M4.GENESIS}';
    END IF;
    -- One block for the statement (a block with EXCEPTION costs a subtransaction): a JSON
    -- text that does not parse sends the statement to the row-by-row walk below.
    BEGIN
        SELECT coalesce(bool_and(coalesce(({_all_pass("n")}), false)), true)
            INTO all_pass
            FROM (SELECT a.*, row_number() OVER w AS k, lag(a.hash) OVER w AS prior_hash
                  FROM appended AS a WINDOW w AS (ORDER BY a.position)) AS n;
    EXCEPTION WHEN invalid_text_representation OR untranslatable_character THEN
        all_pass := false;
    END;
    IF all_pass AND all_above THEN
        RETURN NULL;
    END IF;
    FOR r IN SELECT * FROM appended ORDER BY position LOOP
{raises}
        BEGIN
            field := 'payload';
            IF json_typeof(r.payload::json) IS DISTINCT FROM 'object' THEN
                RAISE EXCEPTION USING ERRCODE = 'invalid_text_representation';
            END IF;
            field := 'metadata';
            IF json_typeof(r.metadata::json) IS DISTINCT FROM 'object'
                OR coalesce(json_typeof(r.metadata::json -> 'sources'), 'array') <> 'array'
            THEN
                RAISE EXCEPTION USING ERRCODE = 'invalid_text_representation';
            END IF;
        EXCEPTION WHEN invalid_text_representation OR untranslatable_character THEN
            RAISE EXCEPTION
                '{refused}its % is not a JSON object (metadata: with a list of sources)',
                r.position, field USING ERRCODE = 'check_violation';
        END;
        IF r.hash IS DISTINCT FROM encode(sha256(
                {hashed}
            ), 'hex') THEN
            RAISE EXCEPTION '{refused}its hash is not the SHA-256 of its content',
                r.position USING ERRCODE = 'check_violation';
        END IF;
        head_position := r.position;
        head_hash := r.hash;
    END LOOP;
    RETURN NULL;
END $$"""


_ROW_TRIGGER = """CREATE TRIGGER events_check_append BEFORE INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION events_check_append()"""
_STATEMENT_TRIGGER = """CREATE TRIGGER events_check_append AFTER INSERT ON events
    REFERENCING NEW TABLE AS appended
    FOR EACH STATEMENT EXECUTE FUNCTION events_check_appended()"""


def _schema() -> str:
    return str(op.get_bind().exec_driver_sql("SELECT current_schema()").scalar_one())


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(pg_check_function(_schema()))
    op.execute("DROP TRIGGER events_check_append ON events")
    op.execute("DROP FUNCTION events_check_append()")
    op.execute(_STATEMENT_TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER events_check_append ON events")
    op.execute("DROP FUNCTION events_check_appended()")
    op.execute(_M4._pg_check_function(_schema()))
    op.execute(_ROW_TRIGGER)

"""The database checks every appended row against the chain; the write lock ignores search_path.

A BEFORE INSERT row trigger refuses a row unless its position is the head's + 1, its
prev_hash is the head's hash (the genesis hash on an empty log), its occurred columns are
well formed, its payload and metadata are JSON objects and its event type is one the
tracker knows. On PostgreSQL it also recomputes the hash with the built-in sha256(), byte
for byte as tracker/store/hashing.py does. SQLite has no SHA-256 in SQL, so there the hash
is left to ``tracker verify``.

A trigger (not a SECURITY DEFINER append function with INSERT revoked) because it guards
every INSERT and COPY by every role, owner included, and leaves the store's own
INSERT/COPY path as it is.

The PostgreSQL trigger names its table with the schema it was created in, and the write
lock takes its key from the table's own schema (TG_TABLE_SCHEMA), so neither depends on
the search_path of the session that inserts.

The event types are frozen here, as a migration must be: a new event type needs a
migration that replaces the check (tests/store/test_checked_appends.py compares the lists).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EVENT_TYPES = (
    "AgreementExtended",
    "AgreementSigned",
    "ContractAmended",
    "ContractCancelled",
    "ContractSigned",
    "DeliveryRecorded",
    "DeliveryScheduled",
    "EventCorrected",
    "EventRetracted",
    "FigureReported",
    "JointVentureEstablished",
    "NoteRecorded",
    "PartyDeclared",
    "ProductionPlanned",
    "ProductionRecorded",
    "ScheduleRevised",
)
#: Every value a date's column precision can take (domain.values.date_columns.column_precisions).
_BOUNDS = ("day", "month", "quarter", "year", "half", "third")
_POINTS = ("day", "month", "quarter", "year")
PRECISIONS = (
    *(
        base + mark
        for base in (*_BOUNDS, *(f"by-{b}" for b in _BOUNDS), *(f"range-{p}" for p in _POINTS))
        for mark in ("", "~", "?", "%")
    ),
    "unknown",  # an undated report: no start, and no mark
)
GENESIS = "0" * 64
REFUSED = "events is append-only: refused a row"
_TYPES_SQL = ", ".join(f"'{t}'" for t in EVENT_TYPES)
_OCCURRED_WHY = (
    "its occurred columns are not a precision and YYYY-MM-DD dates (start NULL or <= end)"
)
_PRECISIONS_SQL = ", ".join(f"'{p}'" for p in PRECISIONS)

# --- SQLite -------------------------------------------------------------------------------

_SQLITE_DAY = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"
#: (condition that refuses the row, why); RAISE takes only a literal message in SQLite.
_SQLITE_CHECKS = (
    (
        "NEW.position IS NOT coalesce((SELECT max(position) FROM events), 0) + 1",
        "its position is not the head's position + 1",
    ),
    (
        "NEW.prev_hash IS NOT coalesce("
        f"(SELECT hash FROM events ORDER BY position DESC LIMIT 1), '{GENESIS}')",
        "its prev_hash is not the hash of the head",
    ),
    (
        "CASE WHEN json_valid(NEW.payload) THEN json_type(NEW.payload) END IS NOT 'object'",
        "its payload is not a JSON object",
    ),
    (
        "CASE WHEN json_valid(NEW.metadata) THEN json_type(NEW.metadata) END IS NOT 'object'",
        "its metadata is not a JSON object",
    ),
    (
        "coalesce(json_type(NEW.metadata, '$.sources'), 'array') IS NOT 'array'",
        "its metadata's sources is not a list",
    ),
    (f"NEW.event_type NOT IN ({_TYPES_SQL})", "its event_type is not a known event type"),
    (
        f"NEW.occurred_precision NOT IN ({_PRECISIONS_SQL})"
        f" OR NOT (NEW.occurred_end GLOB {_SQLITE_DAY})"
        f" OR NOT coalesce(NEW.occurred_start GLOB {_SQLITE_DAY}, 1)"
        " OR NEW.occurred_start > NEW.occurred_end",
        _OCCURRED_WHY,
    ),
    (
        "NEW.stream_version < 1 OR NEW.schema_version < 1",
        "its stream_version and schema_version must be 1 or more",
    ),
)


def _sqlite_trigger() -> str:
    checks = "\n".join(
        f"SELECT RAISE(ABORT, '{REFUSED}: {why.replace(chr(39), chr(39) * 2)}') WHERE {cond};"
        for cond, why in _SQLITE_CHECKS
    )
    return f"CREATE TRIGGER events_check_append BEFORE INSERT ON events\nBEGIN\n{checks}\nEND"


# --- PostgreSQL ---------------------------------------------------------------------------

#: The lock key of the store's PG_WRITE_LOCK, but from the table's schema, not the session's.
LOCK_KEY = "hashtextextended(TG_TABLE_SCHEMA || '.events', 0)"
OLD_LOCK_KEY = "hashtextextended(current_schema() || '.events', 0)"


def _lock_function(key: str) -> str:
    return f"""CREATE OR REPLACE FUNCTION events_write_lock() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock({key});
            RETURN NULL;
        END $$"""


def _pg_check_function(schema: str) -> str:
    # The head is read from the schema-qualified table, so a session's search_path (or a
    # temporary table named events) cannot point the check at another table. Built-ins
    # resolve in pg_catalog, which every search_path searches first.
    table = '"' + schema.replace('"', '""') + '".events'
    refused = f"{REFUSED} at position %: "
    return f"""CREATE FUNCTION events_check_append() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    head_position bigint := 0;
    head_hash text := '{GENESIS}';
    chained bytea := '';
    part bytea;
    field text;
BEGIN
    SELECT position, hash INTO head_position, head_hash
        FROM {table} ORDER BY position DESC LIMIT 1;
    IF NOT FOUND THEN
        head_position := 0;
        head_hash := '{GENESIS}';
    END IF;
    IF NEW.position IS DISTINCT FROM head_position + 1 THEN
        RAISE EXCEPTION '{refused}its position is not the head''s position + 1 (%)',
            NEW.position, head_position + 1 USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.prev_hash IS DISTINCT FROM head_hash THEN
        RAISE EXCEPTION '{refused}its prev_hash is not the hash of the head (%)',
            NEW.position, head_hash USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.event_type NOT IN ({_TYPES_SQL}) THEN
        RAISE EXCEPTION '{refused}its event_type % is not a known event type',
            NEW.position, NEW.event_type USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.occurred_precision NOT IN ({_PRECISIONS_SQL})
        OR NEW.occurred_end !~ '^\\d{{4}}-\\d{{2}}-\\d{{2}}$'
        OR NEW.occurred_start !~ '^\\d{{4}}-\\d{{2}}-\\d{{2}}$'
        OR NEW.occurred_start > NEW.occurred_end THEN
        RAISE EXCEPTION '{refused}{_OCCURRED_WHY}',
            NEW.position USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.stream_version < 1 OR NEW.schema_version < 1 THEN
        RAISE EXCEPTION '{refused}its stream_version and schema_version must be 1 or more',
            NEW.position USING ERRCODE = 'check_violation';
    END IF;
    -- One block (a block with EXCEPTION costs a subtransaction): a cast error or a
    -- shape error both mean the row would not decode.
    BEGIN
        field := 'payload';
        IF json_typeof(NEW.payload::json) IS DISTINCT FROM 'object' THEN
            RAISE EXCEPTION USING ERRCODE = 'invalid_text_representation';
        END IF;
        field := 'metadata';
        IF json_typeof(NEW.metadata::json) IS DISTINCT FROM 'object'
            OR coalesce(json_typeof(NEW.metadata::json -> 'sources'), 'array') <> 'array' THEN
            RAISE EXCEPTION USING ERRCODE = 'invalid_text_representation';
        END IF;
    EXCEPTION WHEN invalid_text_representation OR untranslatable_character THEN
        RAISE EXCEPTION '{refused}its % is not a JSON object (metadata: with a list of sources)',
            NEW.position, field USING ERRCODE = 'check_violation';
    END;
    -- hashing.chain_hash: SHA-256 over each field's UTF-8 bytes, each prefixed with its
    -- length as 8 bytes big-endian (int8send), in the order of hashing.hashed_fields.
    FOREACH field IN ARRAY ARRAY[
        NEW.prev_hash, NEW.position::text, NEW.event_id, NEW.stream_id,
        NEW.stream_version::text, NEW.event_type, NEW.schema_version::text,
        NEW.occurred_precision, coalesce(NEW.occurred_start, ''), NEW.occurred_end,
        NEW.recorded_at, NEW.payload, NEW.metadata
    ] LOOP
        part := convert_to(field, 'UTF8');
        chained := chained || int8send(length(part)::bigint) || part;
    END LOOP;
    IF NEW.hash IS DISTINCT FROM encode(sha256(chained), 'hex') THEN
        RAISE EXCEPTION '{refused}its hash is not the SHA-256 of its content',
            NEW.position USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$"""


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(_sqlite_trigger())
        return
    schema = bind.exec_driver_sql("SELECT current_schema()").scalar_one()
    op.execute(_lock_function(LOCK_KEY))
    op.execute(_pg_check_function(schema))
    op.execute(
        """CREATE TRIGGER events_check_append BEFORE INSERT ON events
        FOR EACH ROW EXECUTE FUNCTION events_check_append()"""
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS events_check_append")
        return
    op.execute("DROP TRIGGER IF EXISTS events_check_append ON events")
    op.execute("DROP FUNCTION IF EXISTS events_check_append()")
    op.execute(_lock_function(OLD_LOCK_KEY))

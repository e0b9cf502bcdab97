"""Attacks on the events table by a role that may INSERT (issue #18): every row that does not
extend the chain is refused at INSERT, and the database stays usable for everyone.

On PostgreSQL the attacker is the writer role made by `tracker db grant --login`; on SQLite
whoever can open the file. The rows are built by an oracle of this file's own (hashlib and
the documented encoding: length-prefixed UTF-8 fields), not by the store's code, and a row
the oracle builds correctly is accepted, so a check that refused everything would fail here.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import orjson
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from tests.reliability.conftest import Tally, fresh, ok, trials
from tracker.service.app import Tracker
from tracker.store.roles import grant_roles
from tracker.store.verify import verify

GENESIS = "0" * 64
COLUMNS = [
    *("position", "event_id", "stream_id", "stream_version", "event_type", "schema_version"),
    *("occurred_precision", "occurred_start", "occurred_end", "recorded_at", "payload"),
    *("metadata", "prev_hash", "hash"),
]
INSERT = (
    f"INSERT INTO {{table}} ({', '.join(COLUMNS)}) VALUES ({', '.join(':' + c for c in COLUMNS)})"
)
#: The issue's reproduction, word for word in spirit: junk payload, prev_hash 'x', hash 'y'.
JUNK_INSERT = (
    f"INSERT INTO events ({', '.join(COLUMNS)}) SELECT max(position) + 1, '{{id}}', "
    "'topic:junk', 1, 'NoteRecorded', 1, 'day', '2021-12-06', '2021-12-06', "
    "'2026-01-15T00:00:00.000000Z', 'junk', 'junk', 'x', 'y' FROM events"
)


def chained(prev: str, row: dict[str, Any]) -> str:
    """The hash a row must carry: SHA-256 over prev and each field, 8-byte length first."""
    fields = [prev, *(str(row[c]) for c in COLUMNS[:-2])]
    fields[8] = row["occurred_start"] or ""  # NULL is hashed as ''
    data = b"".join(len(b).to_bytes(8, "big") + b for b in (f.encode() for f in fields))
    return hashlib.sha256(data).hexdigest()


def next_row(head: tuple[int, str], **overrides: Any) -> dict[str, Any]:
    """A NoteRecorded that correctly extends ``head`` (position, hash), then ``overrides``
    applied, then the hash computed over the result (unless ``hash`` is overridden)."""
    stream = f"topic:attack-{uuid.uuid4().hex[:8]}"
    row: dict[str, Any] = {
        "position": head[0] + 1,
        "event_id": str(uuid.uuid4()),
        "stream_id": stream,
        "stream_version": 1,
        "event_type": "NoteRecorded",
        "schema_version": 1,
        "occurred_precision": "day",
        "occurred_start": "2021-12-06",
        "occurred_end": "2021-12-06",
        "recorded_at": "2026-01-15T00:00:00.000000Z",
        "payload": orjson.dumps({"subject": stream, "text": "appended by hand"}).decode(),
        "metadata": '{"sources":[{"url":"https://example.org/a"}]}',
        "prev_hash": head[1],
    }
    row.update({k: v for k, v in overrides.items() if k != "hash"})
    row["hash"] = overrides.get("hash") or chained(row["prev_hash"], row)
    return row


#: name -> (the row's overrides given the head, engines that refuse it at INSERT)
BOTH, PG_ONLY = {"sqlite", "postgresql"}, {"postgresql"}
VARIANTS: dict[str, tuple[Callable[[tuple[int, str]], dict[str, Any]], set[str]]] = {
    "position past head + 1": (lambda h: {"position": h[0] + 2}, BOTH),
    "position below the head": (lambda h: {"position": 0}, BOTH),
    "prev_hash not the head's": (lambda h: {"prev_hash": "a" * 64}, BOTH),
    "prev_hash the genesis": (lambda h: {"prev_hash": GENESIS}, BOTH),
    "hash wrong": (lambda h: {"hash": "b" * 64}, PG_ONLY),
    "payload not JSON": (lambda h: {"payload": "junk"}, BOTH),
    "payload a JSON list": (lambda h: {"payload": "[1,2]"}, BOTH),
    "metadata not JSON": (lambda h: {"metadata": "{"}, BOTH),
    "sources not a list": (lambda h: {"metadata": '{"sources":"x"}'}, BOTH),
    "unknown event type": (lambda h: {"event_type": "Bogus"}, BOTH),
    "occurred_start ''": (lambda h: {"occurred_start": ""}, BOTH),
    "occurred not a date": (lambda h: {"occurred_end": "someday!!!"}, BOTH),
}


@pytest.fixture
def attacked(db_url: str, tmp_path: Any) -> Iterator[tuple[str, str, Engine]]:
    """A seeded database: (its owner's URL, the writer's URL, an engine as the writer)."""
    owner = fresh(db_url)
    owner.seed()
    writer_url, roles = db_url, []
    if owner.engine.dialect.name == "postgresql":
        suffix = uuid.uuid4().hex[:8]
        roles = [f"aw_{suffix}", f"ar_{suffix}"]
        grant_roles(owner.engine, *roles, login=True)
        writer_url = db_url.replace("//postgres@", f"//{roles[0]}@")
    engine = create_engine(writer_url)
    yield db_url, writer_url, engine
    engine.dispose()
    with owner.engine.begin() as conn:
        for role in roles:
            conn.exec_driver_sql(f"DROP OWNED BY {role}")
            conn.exec_driver_sql(f"DROP ROLE {role}")
    owner.close()


def head(engine: Engine) -> tuple[int, str]:
    with engine.connect() as conn:
        found = conn.execute(text("SELECT position, hash FROM events ORDER BY 1 DESC LIMIT 1"))
        return tuple(found.one())  # type: ignore[return-value]


def insert(engine: Engine, row: dict[str, Any] | None, *, no_search_path: bool = False) -> str:
    """Insert ``row`` (None: the junk row) as the engine's role; '' when it got in, else the
    database's error."""
    try:
        with engine.begin() as conn:
            table = "events"
            if no_search_path:
                schema = conn.exec_driver_sql("SELECT current_schema()").scalar_one()
                conn.exec_driver_sql("SET LOCAL search_path = ''")
                table = f'"{schema}".events'
            if row is None:
                conn.exec_driver_sql(JUNK_INSERT.format(id=uuid.uuid4()))
            else:
                conn.execute(text(INSERT.format(table=table)), row)
    except DBAPIError as e:
        return str(e.orig).strip().splitlines()[0]
    return ""


def still_usable(owner_url: str, writer_url: str, events: int, tally: Tally) -> None:
    """status works, the writer's `tracker log` appends one after the ``events`` there were,
    and verify then finds the chain (and the read models) whole."""
    assert "S-400" in ok(owner_url, "status", tally=tally)
    note = ("log", "note", "topic:after-attack", "--text", "still here", "--occurred", "2026-01")
    ok(writer_url, *note, "--source", "https://example.org/n", tally=tally)
    assert ok(owner_url, "verify", tally=tally).startswith(f"OK: {events + 1} events")


def test_the_junk_insert_and_each_bad_row_are_refused_and_the_log_stays_usable(attacked, tally):
    owner_url, writer_url, engine = attacked
    engine_name = engine.dialect.name
    tally.campaign = "attacks: bad INSERT as the writer"
    before = head(engine)
    refusals = {"junk": insert(engine, None)}
    for name, (overrides, refused_on) in VARIANTS.items():
        if engine_name in refused_on:
            refusals[name] = insert(engine, next_row(before, **overrides(before)))
    if engine_name == "postgresql":
        junk = next_row(before, payload="junk")
        refusals["search_path ''"] = insert(engine, junk, no_search_path=True)
    tally.trials = len(refusals)
    tally.failures = sum(not why for why in refusals.values())
    assert [name for name, why in refusals.items() if not why] == []
    assert all("events is append-only: refused a row" in why for why in refusals.values())
    assert head(engine) == before
    # The same row built right gets in, with and without a search path: the checks pass
    # what the chain allows, so the refusals above were for the faults alone.
    assert insert(engine, next_row(before)) == ""
    assert insert(engine, next_row(head(engine)), no_search_path=engine_name != "sqlite") == ""
    still_usable(owner_url, writer_url, before[0] + 2, tally)


def test_each_refusal_names_what_is_wrong(attacked):
    _, _, engine = attacked
    before = head(engine)
    pg = engine.dialect.name == "postgresql"
    why = insert(engine, next_row(before, position=before[0] + 2))
    assert "its position is not the head's position + 1" in why
    assert (f"at position {before[0] + 2}" in why) == pg
    assert "its prev_hash is not the hash of the head" in insert(
        engine, next_row(before, prev_hash="a" * 64)
    )
    assert "payload is not a JSON object" in insert(engine, next_row(before, payload="x"))
    assert "not a known event type" in insert(engine, next_row(before, event_type="Bogus"))
    if pg:
        assert "its hash is not the SHA-256 of its content" in insert(
            engine, next_row(before, hash="c" * 64)
        )


# PostgreSQL refuses a wrong hash at INSERT (above); SQLite has no SHA-256 in SQL.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_on_sqlite_a_wrong_hash_gets_in_but_verify_names_its_position(attacked, tally):
    owner_url, _, engine = attacked
    tally.campaign = "attacks: wrong hash on SQLite, found by verify"
    before = head(engine)
    assert insert(engine, next_row(before, hash="b" * 64)) == ""
    tracker = Tracker.open(owner_url)
    try:
        verdict = verify(tracker.store)
    finally:
        tracker.close()
    tally.failures = int((verdict.ok, verdict.broken_at) != (False, before[0] + 1))
    assert (verdict.ok, verdict.broken_at) == (False, before[0] + 1)


# SQLite serialises writers with BEGIN IMMEDIATE; the search path is PostgreSQL's.
@pytest.mark.parametrize(
    "db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_an_insert_without_a_search_path_still_waits_for_the_write_lock(attacked, tally):
    owner_url, _, engine = attacked
    tally.campaign = "attacks: INSERT past the write lock"
    owner = Tracker.open(owner_url)
    try:
        row = next_row(head(engine))
        # The store's transaction holds the log's write lock while the writer inserts
        # (on PostgreSQL from its first statement: here the read of the head).
        with owner.store.transaction() as held, engine.begin() as conn:
            owner.store.head_in(held)
            conn.exec_driver_sql("SET LOCAL lock_timeout = '500ms'")
            waited = insert_waiting(conn, row)
    finally:
        owner.close()
    tally.failures = int("lock timeout" not in waited)
    assert "lock timeout" in waited


def insert_waiting(conn: Any, row: dict[str, Any]) -> str:
    schema = conn.exec_driver_sql("SELECT current_schema()").scalar_one()
    conn.exec_driver_sql("SET LOCAL search_path = ''")
    try:
        conn.execute(text(INSERT.format(table=f'"{schema}".events')), row)
    except DBAPIError as e:
        return str(e.orig).strip().splitlines()[0]
    return ""


#: Columns whose random change SQLite's triggers must catch, and how to break each there.
SQLITE_BREAKS: dict[str, Callable[[Any, random.Random], Any]] = {
    "position": lambda v, r: v + r.randint(1, 1000) * r.choice((-1, 1)),
    "prev_hash": lambda v, r: hashlib.sha256(str(r.random()).encode()).hexdigest(),
    "payload": lambda v, r: v[: r.randrange(len(v))],
    "metadata": lambda v, r: v[: r.randrange(len(v))],
    "event_type": lambda v, r: v + r.choice("xyz"),
    "occurred_start": lambda v, r: "",
}


def mutated(row: dict[str, Any], engine_name: str, rnd: random.Random) -> dict[str, Any]:
    """``row`` with one column changed, the hash left as it was: on PostgreSQL any character
    of any text column; on SQLite a break that SQLite can see."""
    changed = dict(row)
    if engine_name == "sqlite":
        column = rnd.choice(sorted(SQLITE_BREAKS))
        changed[column] = SQLITE_BREAKS[column](row[column], rnd)
        return changed
    column = rnd.choice([c for c in COLUMNS if isinstance(row[c], str)])
    value = row[column]
    i = rnd.randrange(len(value))
    new = value[:i] + chr(rnd.randint(32, 0x2FF)) + value[i + 1 :]
    changed[column] = new if new != value else value + "!"
    return changed


def test_rows_with_one_column_changed_are_all_refused(attacked, tally):
    owner_url, writer_url, engine = attacked
    tally.campaign = "attacks: one column changed"
    before = head(engine)
    got_in = []
    for trial in trials(20, 500):
        rnd = random.Random(trial)
        row = mutated(next_row(before), engine.dialect.name, rnd)
        tally.trials = trial + 1
        if insert(engine, row) == "":
            got_in.append(trial)
            tally.failures += 1
            break
    assert got_in == []
    assert head(engine) == before
    still_usable(owner_url, writer_url, before[0], tally)

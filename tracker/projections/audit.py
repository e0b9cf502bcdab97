"""Check the read models against the log: a fresh fold compared row by row with the tables.

The fold here mirrors what ``tracker projections rebuild`` writes (the domain's pure
``evolve``, then each state's typed rows), so a table that passes is exactly what a
rebuild would make of the log now, and a rebuild repairs one that fails.
It only reads, in one snapshot of the database, so the reader role can run it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from tracker.domain.state.envelope import Recorded
from tracker.domain.state.fold import evolve
from tracker.domain.state.state import StreamState
from tracker.projections.batch import state_json, stream_rows
from tracker.projections.decode import from_log
from tracker.projections.projector import CHECKPOINTS, REPLAY_BATCH
from tracker.projections.read_tables import TYPED_TABLES
from tracker.projections.registry import STATE_PROJECTIONS, VERSIONS, StateProjection, projection_of
from tracker.store.errors import translate_db_error
from tracker.store.eventstore import EventStore
from tracker.store.schema import events_table


@dataclass(frozen=True, slots=True)
class Mismatch:
    """The first row of a read model that is not what the log makes of it."""

    projection: str
    key: str  # a stream id, or "checkpoint"
    what: str

    def __str__(self) -> str:
        return f"read model '{self.projection}' differs from the log at {self.key}: {self.what}"


@dataclass(frozen=True, slots=True)
class AuditResult:
    """How many rows were compared with the log, and the first that differs, if any."""

    rows: int
    mismatch: Mismatch | None = None

    @property
    def ok(self) -> bool:
        return self.mismatch is None


def audit(store: EventStore) -> AuditResult:
    """Compare every read model with a fresh fold of the log; stop at the first difference.

    Checkpoints come first (each must stand at the head, at its code's version), then each
    state projection by stream id, then its typed tables (read_tables.py) by stream id.
    """
    with _snapshot(store.engine) as conn:
        head = conn.execute(select(func.max(events_table.c.position))).scalar() or 0
        problem = _checkpoint_problem(conn, head)
        if problem:
            return AuditResult(0, problem)
        fold = _Fold()
        for chunk in _chunks(store, conn):
            fold.apply(chunk)
        rows = 0
        for projection in STATE_PROJECTIONS:
            checked, problem = _check_states(conn, projection, fold)
            rows += checked
            if not problem:
                checked, problem = _check_typed(conn, projection, fold)
                rows += checked
            if problem:
                return AuditResult(rows, problem)
    return AuditResult(rows)


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """One read transaction that sees a single state of the database throughout."""
    with translate_db_error(), engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


def _chunks(store: EventStore, conn: Connection) -> Iterator[list[Recorded]]:
    chunk: list[Recorded] = []
    for rec in from_log(store.read_all(conn=conn)):
        chunk.append(rec)
        if len(chunk) >= REPLAY_BATCH:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _checkpoint_problem(conn: Connection, head: int) -> Mismatch | None:
    c = CHECKPOINTS.c
    marks = {
        r.name: (r.position, r.version) for r in conn.execute(select(c.name, c.position, c.version))
    }
    for name, code_version in VERSIONS.items():
        if name not in marks:
            return Mismatch(name, "checkpoint", "it has no checkpoint")
        position, version = marks[name]
        if version != code_version:
            return Mismatch(
                name, "checkpoint", f"built by version {version} of its code, not {code_version}"
            )
        if position != head:
            return Mismatch(
                name, "checkpoint", f"it stands at position {position}, the log's head is {head}"
            )
    return None


class _Fold:
    """Every stream's state and the position of its last event."""

    def __init__(self) -> None:
        self.states: dict[str, StreamState] = {}
        self.last: dict[str, int] = {}

    def apply(self, chunk: list[Recorded]) -> None:
        for rec in chunk:
            new = evolve(self.states.get(rec.stream_id), rec)
            if new is not None:
                self.states[rec.stream_id] = new
            self.last[rec.stream_id] = rec.position


def _check_states(
    conn: Connection, projection: StateProjection, fold: _Fold
) -> tuple[int, Mismatch | None]:
    """Every row of one state projection against the fold; the first (by stream id) wrong."""
    expected = {
        s: state for s, state in fold.states.items() if projection_of(s).name == projection.name
    }
    t = projection.table
    rows, first = 0, None
    for row in conn.execute(select(t)):
        rows += 1
        state = expected.pop(row.stream_id, None)
        problem = (
            "a row for a stream the log does not hold"
            if state is None
            else _compare_state(row, state, fold.last[row.stream_id], projection)
        )
        if problem and (first is None or row.stream_id < first.key):
            first = Mismatch(projection.name, row.stream_id, problem)
    if expected:
        missing = min(expected)
        if first is None or missing < first.key:
            first = Mismatch(projection.name, missing, "no row in the table")
    return rows, first


def _check_typed(
    conn: Connection, projection: StateProjection, fold: _Fold
) -> tuple[int, Mismatch | None]:
    """Every typed row of one projection against the fold's; the first stream that differs."""
    tables = TYPED_TABLES.get(projection.name, ())
    if not tables:
        return 0, None
    expected: dict[str, dict[str, list[dict[str, Any]]]] = {t.name: {} for t in tables}
    for stream_id, state in fold.states.items():
        if projection_of(stream_id).name == projection.name:
            for name, rows in stream_rows(state, fold.last[stream_id]).items():
                if rows:
                    expected[name][stream_id] = rows
    count, first = 0, None
    for table in tables:
        stored: dict[str, list[dict[str, Any]]] = {}
        order = [table.c.stream_id] + ([table.c.seq] if "seq" in table.c else [])
        for row in conn.execute(select(table).order_by(*order)):
            count += 1
            stored.setdefault(row.stream_id, []).append(dict(row._mapping))
        want = expected[table.name]
        for stream_id in sorted(stored.keys() | want.keys()):
            problem = _compare_rows(stored.get(stream_id, []), want.get(stream_id, []))
            if problem and (first is None or stream_id < first.key):
                first = Mismatch(table.name, stream_id, problem)
                break
    return count, first


def _compare_rows(stored: list[dict[str, Any]], expected: list[dict[str, Any]]) -> str | None:
    if len(stored) != len(expected):
        return f"{len(stored)} rows in the table, {len(expected)} in the log"
    for n, (have, want) in enumerate(zip(stored, expected, strict=True)):
        for name, value in want.items():
            if have.get(name) != value:
                return f"row {n}: {name} is {have.get(name)!r} in the table, {value!r} in the log"
    return None


def _compare_state(
    row: Any, state: StreamState, position: int, projection: StateProjection
) -> str | None:
    text = state_json(state)
    if row.state != text:
        try:
            stored = orjson.loads(row.state)
        except orjson.JSONDecodeError:
            return "its state is not JSON"
        return "state" + first_difference(stored, orjson.loads(text))
    if row.position != position:
        return f"position is {row.position} in the table, {position} in the log"
    for name, value in projection.columns(state).items():
        if getattr(row, name) != value:
            return f"{name} is {getattr(row, name)!r} in the table, {value!r} in the log"
    return None


def first_difference(stored: Any, expected: Any, path: str = "") -> str:
    """Where two JSON values first differ: ``.a.b[2]: X in the table, Y in the log``."""
    if isinstance(stored, dict) and isinstance(expected, dict):
        for key in sorted(stored.keys() | expected.keys()):
            if stored.get(key, _ABSENT) != expected.get(key, _ABSENT):
                return first_difference(
                    stored.get(key, _ABSENT), expected.get(key, _ABSENT), f"{path}.{key}"
                )
    if isinstance(stored, list) and isinstance(expected, list) and len(stored) == len(expected):
        for n, (a, b) in enumerate(zip(stored, expected, strict=True)):
            if a != b:
                return first_difference(a, b, f"{path}[{n}]")
    return f"{path} is {_shown(stored)} in the table, {_shown(expected)} in the log"


_ABSENT = object()


def _shown(value: Any) -> str:
    if value is _ABSENT:
        return "absent"
    text = orjson.dumps(value).decode()
    return text if len(text) <= 120 else text[:117] + "..."

"""Check the read models against the log: a fresh fold compared row by row with the tables.

The fold here mirrors what ``tracker projections rebuild`` writes (the domain's pure
``evolve``, timeline entries told a replay chunk at a time), so a table that passes is
exactly what a rebuild would make of the log now, and a rebuild repairs one that fails.
It only reads, in one snapshot of the database, so the reader role can run it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from tracker.domain.envelope import Recorded
from tracker.domain.fold import evolve
from tracker.domain.state import ContractState, StreamState
from tracker.projections.batch import TIMELINE_TABLE, state_json
from tracker.projections.decode import to_domain
from tracker.projections.projector import CHECKPOINTS, REPLAY_BATCH
from tracker.projections.registry import STATE_PROJECTIONS, VERSIONS, StateProjection, projection_of
from tracker.projections.timeline import annotation_for, timeline_row
from tracker.store.errors import translate_db_error
from tracker.store.eventstore import EventStore
from tracker.store.hashing import canonical_json
from tracker.store.schema import events_table

_TIMELINE_COLUMNS = ("event_id", "stream_id", "date_start")


@dataclass(frozen=True, slots=True)
class Mismatch:
    """The first row of a read model that is not what the log makes of it."""

    projection: str
    key: str  # a stream id, "position N" for a timeline entry, or "checkpoint"
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

    Checkpoints come first (each must stand at the head, at its code's version), then the
    timeline in position order, then each state projection by stream id.
    """
    with _snapshot(store.engine) as conn:
        head = conn.execute(select(func.max(events_table.c.position))).scalar() or 0
        problem = _checkpoint_problem(conn, head)
        if problem:
            return AuditResult(0, problem)
        fold = _Fold()
        timeline = _TimelineCheck(conn)
        for chunk in _chunks(store, conn):
            fold.apply(chunk)
            problem = timeline.check(chunk, fold.units)
            if problem:
                return AuditResult(timeline.rows, problem)
        problem = timeline.check_rest() or timeline.check_annotations(fold.annotations)
        if problem:
            return AuditResult(timeline.rows, problem)
        rows = timeline.rows
        for projection in STATE_PROJECTIONS:
            checked, problem = _check_states(conn, projection, fold)
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
    for stored in store.read_all(conn=conn):
        chunk.append(to_domain(stored))
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
    """Every stream's state, the position of its last event, and the marks corrections owe."""

    def __init__(self) -> None:
        self.states: dict[str, StreamState] = {}
        self.last: dict[str, int] = {}
        self.annotations: dict[str, list[dict[str, Any]]] = {}
        self.units: Mapping[str, str] = _Units(self.states)

    def apply(self, chunk: list[Recorded]) -> None:
        for rec in chunk:
            new = evolve(self.states.get(rec.stream_id), rec)
            if new is not None:
                self.states[rec.stream_id] = new
            self.last[rec.stream_id] = rec.position
            if rec.event.type in ("EventCorrected", "EventRetracted"):
                target, note = annotation_for(rec)
                self.annotations.setdefault(target, []).append(note)


class _Units(Mapping[str, str]):
    """Contract units from the fold's states, as a replay's summaries look them up."""

    def __init__(self, states: dict[str, StreamState]) -> None:
        self._states = states

    def __getitem__(self, ref: str) -> str:
        state = self._states.get(f"contract:{ref}")
        if isinstance(state, ContractState):
            return state.contract.unit
        raise KeyError(ref)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


class _TimelineCheck:
    """The timeline's rows, read a chunk of positions at a time beside the fold."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.rows = 0
        self.after = 0
        self.stored_annotations: dict[str, list[Any]] = {}

    def check(self, chunk: list[Recorded], units: Mapping[str, str]) -> Mismatch | None:
        """The chunk's entries, told with the units as they stand after the chunk."""
        t = TIMELINE_TABLE
        last = chunk[-1].position
        query = (
            select(t.c.position, t.c.event_id, t.c.stream_id, t.c.date_start, t.c.data)
            .where(t.c.position > self.after, t.c.position <= last)
            .order_by(t.c.position)
        )
        stored = {r.position: r for r in self.conn.execute(query)}
        self.after = last
        for rec in chunk:
            self.rows += 1
            row = stored.pop(rec.position, None)
            if row is None:
                return Mismatch("timeline", f"position {rec.position}", "no entry in the table")
            problem = self._compare(row, timeline_row(rec, units))
            if problem:
                return Mismatch("timeline", f"position {rec.position}", problem)
        if stored:
            extra = min(stored)
            return Mismatch("timeline", f"position {extra}", "an entry for no event of the log")
        return None

    def _compare(self, row: Any, expected: dict[str, Any]) -> str | None:
        for name in _TIMELINE_COLUMNS:
            if getattr(row, name) != expected[name]:
                return (
                    f"{name} is {getattr(row, name)!r} in the table, {expected[name]!r} in the log"
                )
        try:
            data = orjson.loads(row.data)
        except orjson.JSONDecodeError:
            return "its data is not JSON"
        if not isinstance(data, dict):
            return "its data is not a JSON object"
        notes = data.pop("annotations", None)
        if notes is not None:
            self.stored_annotations[row.event_id] = notes
        if canonical_json(data) != expected["data"]:
            return "data" + first_difference(data, orjson.loads(expected["data"]))
        return None

    def check_rest(self) -> Mismatch | None:
        """No entry beyond the log's last event."""
        t = TIMELINE_TABLE
        query = select(func.min(t.c.position)).where(t.c.position > self.after)
        extra = self.conn.execute(query).scalar()
        if extra is None:
            return None
        return Mismatch("timeline", f"position {extra}", "an entry for no event of the log")

    def check_annotations(self, expected: dict[str, list[dict[str, Any]]]) -> Mismatch | None:
        """The marks of corrections and retractions on the entries they concern."""
        for event_id in sorted(expected.keys() | self.stored_annotations.keys()):
            stored = self.stored_annotations.get(event_id, [])
            if stored != orjson.loads(canonical_json(expected.get(event_id, []))):
                return Mismatch(
                    "timeline",
                    f"event {event_id}",
                    "its corrections and retractions are not those of the log",
                )
        return None


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

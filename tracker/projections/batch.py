"""A unit of work over the read models: fold events into cached states, then write once.

Every write path (one logged event, a file of them, an import, a rebuild) goes through a
Batch: states are loaded once, evolved in memory with the domain's pure ``evolve``, and
written back with their typed rows (read_tables.py) in the caller's transaction, so the
read models always match the log they were built from.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from operator import itemgetter
from typing import Any

from sqlalchemy import Date, Table, select
from sqlalchemy.engine import Connection

from tracker.domain.state.envelope import Recorded
from tracker.domain.state.fold import evolve
from tracker.domain.state.state import ContractState, StreamState, load_state_json
from tracker.projections.decode import from_log
from tracker.projections.derive import typed_rows
from tracker.projections.read_tables import STATUS, TYPED_TABLES
from tracker.projections.registry import STATE_PROJECTIONS, VERSIONS, projection_of
from tracker.projections.status_table import FTS_TABLE
from tracker.store.backend import TableRows
from tracker.store.bulk import insert_tables
from tracker.store.eventstore import EventStore
from tracker.store.hashing import canonical_json

_CHUNK = 500


class Batch:
    """States touched by a run of events, written back (with their typed rows) by ``flush``.

    ``after`` holds each projection's checkpoint: a projection takes only the events past
    it (None: every projection takes every event). With ``log``, states are folded from the
    events of their streams, never read from the tables: the rules then judge an event by
    the log alone, whatever anyone wrote into a read model (see ``preload``).
    """

    def __init__(
        self,
        conn: Connection,
        after: Mapping[str, int] | None = None,
        *,
        log: EventStore | None = None,
    ) -> None:
        self.conn = conn
        self._log = log
        self._after = {name: 0 for name in VERSIONS} | dict(after or {})
        # Insertion order is recency of folding: shed() writes out the coldest first.
        self._states: dict[str, StreamState | None] = {}
        self._dirty: dict[str, int] = {}
        # Streams known to have a row, whose writes must replace it.
        self._stored: set[str] = set()
        self.last_position = 0

    # --- reading states (the rules read these while a batch is open) ---------------------

    def state(self, stream_id: str) -> StreamState | None:
        """The current state of a stream, including what this batch has applied."""
        if stream_id not in self._states:
            self.preload([stream_id])
        return self._states[stream_id]

    def preload(self, stream_ids: Iterable[str]) -> None:
        """Load the states of many streams with one query per projection and chunk (with
        ``log``: one query on the events per chunk, folded)."""
        wanted = [s for s in dict.fromkeys(stream_ids) if s not in self._states]
        if self._log is not None:
            self._fold_from_log(wanted)
            return
        by_table: dict[str, list[str]] = {}
        for stream_id in wanted:
            by_table.setdefault(projection_of(stream_id).name, []).append(stream_id)
            self._states[stream_id] = None
        for projection in STATE_PROJECTIONS:
            ids = by_table.get(projection.name, [])
            t = projection.table
            for start in range(0, len(ids), _CHUNK):
                query = select(t.c.stream_id, t.c.state).where(
                    t.c.stream_id.in_(ids[start : start + _CHUNK])
                )
                for row in self.conn.execute(query):
                    self._states[row.stream_id] = load_state_json(row.state)
                    self._stored.add(row.stream_id)

    def _fold_from_log(self, wanted: list[str]) -> None:
        # A writer may UPDATE any column of a read model, a version or hash kept there too,
        # so nothing in its row can vouch for it: the stream's own events can.
        states = self._states
        for stream_id in wanted:
            states[stream_id] = None
        assert self._log is not None
        for rec in from_log(self._log.read_streams(wanted, self.conn)):
            states[rec.stream_id] = evolve(states[rec.stream_id], rec)
        # Whatever the tables hold for these streams (even a row no event made) is replaced.
        self._stored.update(wanted)

    # --- applying -----------------------------------------------------------------------

    def apply(self, records: Iterable[Recorded]) -> None:
        """Fold events, in position order, into the cached states."""
        records = list(records)
        after = self._after
        folded = [r for r in records if r.position > after[projection_of(r.stream_id).name]]
        if any(r.stream_id not in self._states for r in folded):
            self.preload(r.stream_id for r in folded)
        states = self._states
        for rec in folded:
            self._set(rec, evolve(states[rec.stream_id], rec))
        self._tell(records)

    def put(self, rec: Recorded, state: StreamState | None) -> None:
        """``apply([rec])`` where the caller has folded ``rec`` already: ``state`` is its
        stream's state after it (the rules work it out to check the event)."""
        if rec.position > self._after[projection_of(rec.stream_id).name]:
            if rec.stream_id not in self._states:
                self.preload([rec.stream_id])
            self._set(rec, state)
        self._tell([rec])

    def _set(self, rec: Recorded, state: StreamState | None) -> None:
        # Deleted and put back: the stream becomes the most recently folded.
        self._states.pop(rec.stream_id, None)
        self._states[rec.stream_id] = state
        self._dirty[rec.stream_id] = rec.position

    def _tell(self, records: list[Recorded]) -> None:
        if records:
            self.last_position = records[-1].position

    def units(self) -> Mapping[str, str]:
        """Contract units by reference, read lazily from the states (for summaries)."""
        # Made per call, not kept: a batch holding a view of itself is a reference cycle,
        # which only the cycle collector frees (and writes pause it).
        return _Units(self)

    def flush(self) -> None:
        """Write the touched states and their typed rows."""
        self._write_states(list(self._dirty))

    def shed(self, keep: int) -> None:
        """Write out and forget the least recently folded states beyond ``keep``.

        A replay calls this between chunks, so that memory holds the streams being told
        now, not every stream of the log; a stream folded again later is read back.
        """
        if len(self._states) <= keep:
            return
        # Down to half, so that the next many chunks need not shed again.
        cold = list(itertools.islice(self._states, len(self._states) - keep // 2))
        self._write_states([s for s in cold if s in self._dirty])
        for stream_id in cold:
            del self._states[stream_id]

    def _write_states(self, stream_ids: list[str]) -> None:
        if not stream_ids:
            return
        by_projection: dict[str, list[str]] = {}
        for stream_id in stream_ids:
            by_projection.setdefault(projection_of(stream_id).name, []).append(stream_id)
        writes: list[tuple[Table, list[dict[str, Any]]]] = []
        for projection in STATE_PROJECTIONS:
            ids = by_projection.get(projection.name)
            if not ids:
                continue
            t = projection.table
            typed = TYPED_TABLES.get(projection.name, ())
            replaced = [s for s in ids if s in self._stored]
            rows = []
            derived: dict[str, list[dict[str, Any]]] = {table.name: [] for table in typed}
            for stream_id in ids:
                state = self._states[stream_id]
                if state is not None:
                    position = self._dirty[stream_id]
                    rows.append(
                        {
                            "stream_id": stream_id,
                            "position": position,
                            "state": state_json(state),
                            **projection.columns(state),
                        }
                    )
                    for name, more in stream_rows(state, position).items():
                        derived[name] += more
            delete_streams(self.conn, (t, *typed), replaced)
            self._stored.update(s for s in ids if self._states[s] is not None)
            writes += [(t, rows), *((table, derived[table.name]) for table in typed)]
        # All at once: inside an import's transaction they go in behind (store/behind.py).
        insert_tables(self.conn, [*map(_table_rows, writes), *_search_rows(self.conn, writes)])
        for stream_id in stream_ids:
            del self._dirty[stream_id]


class _Units(Mapping[str, str]):
    """Contract units, looked up lazily from the batch's states (for one-line summaries)."""

    def __init__(self, batch: Batch) -> None:
        self._batch = batch

    def __getitem__(self, ref: str) -> str:
        state = self._batch.state(f"contract:{ref}")
        if isinstance(state, ContractState):
            return state.contract.unit
        raise KeyError(ref)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def stream_rows(state: StreamState, position: int) -> dict[str, list[dict[str, Any]]]:
    """The typed rows of one state, the status row marked with the stream's last position."""
    rows = typed_rows(state)
    for row in rows.get("proj_contract_status", ()):
        row["position"] = position
    return rows


def _search_rows(
    conn: Connection, writes: list[tuple[Table, list[dict[str, Any]]]]
) -> list[TableRows]:
    """New status rows' search_text for SQLite's full-text index (alembic 0010: no trigger
    fills it); PostgreSQL's index is on the row itself."""
    if conn.dialect.name != "sqlite":
        return []
    found = [
        (row["position"], row["search_text"])
        for t, rows in writes
        if t.name == STATUS.name
        for row in rows
    ]
    return [(FTS_TABLE, ("rowid", "search_text"), found)]


def delete_streams(conn: Connection, tables: Iterable[Table], stream_ids: list[str]) -> None:
    """Delete the rows of ``stream_ids`` from ``tables``, a chunk of ids per statement.

    In the driver's own SQL: SQLAlchemy's expanding IN took several times the database's
    own time for the chunks of an import that replaces every stream it touches.
    """
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    for start in range(0, len(stream_ids), _CHUNK):
        chunk = tuple(stream_ids[start : start + _CHUNK])
        marks = ", ".join([mark] * len(chunk))
        for table in tables:
            conn.exec_driver_sql(f"DELETE FROM {table.name} WHERE stream_id IN ({marks})", chunk)


def _table_rows(write: tuple[Table, list[dict[str, Any]]]) -> TableRows:
    table, rows = write
    names, days = _layout(table)
    return (table.name, names, row_values(names, days, rows))


def row_values(
    names: tuple[str, ...], days: tuple[int, ...], rows: list[dict[str, Any]]
) -> list[tuple[Any, ...]]:
    """``rows`` as tuples in the order of ``names``, the days at ``days`` as ISO text: both
    drivers take it for a DATE column, neither needs an adapter."""
    get = itemgetter(*names)
    if not days:
        return [get(row) for row in rows]
    out = []
    for row in rows:
        values = list(get(row))
        for i in days:
            if isinstance(day := values[i], date):
                values[i] = day.isoformat()
        out.append(tuple(values))
    return out


def _layout(table: Table) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """A table's column names, and where its DATE columns are among them."""
    found = _LAYOUTS.get(table.name)
    if found is None:
        columns = list(table.columns)
        days = tuple(i for i, c in enumerate(columns) if isinstance(c.type, Date))
        found = _LAYOUTS[table.name] = (tuple(c.name for c in columns), days)
    return found


_LAYOUTS: dict[str, tuple[tuple[str, ...], tuple[int, ...]]] = {}


def state_json(state: StreamState) -> str:
    """States are stored as canonical JSON, so equal states are equal text."""
    return canonical_json(state.model_dump(mode="json"))

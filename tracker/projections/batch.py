"""A unit of work over the read models: fold events into cached states, then write once.

Every write path (one logged event, a file of them, an import, a rebuild) goes through a
Batch: states are loaded once, evolved in memory with the domain's pure ``evolve``, and
written back with the timeline entries in the caller's transaction, so the read models
always match the log they were built from.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import orjson
from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection

from tracker.domain.envelope import Recorded
from tracker.domain.fold import evolve
from tracker.domain.state import ContractState, StreamState, load_state_json
from tracker.projections.registry import STATE_PROJECTIONS, TIMELINE, projection_of
from tracker.projections.tables import TimelineRow
from tracker.projections.timeline import annotation_for, timeline_row
from tracker.store.hashing import canonical_json

TIMELINE_TABLE = TimelineRow.__table__  # type: ignore[attr-defined]
_CHUNK = 500


class Batch:
    """States and timeline entries touched by a run of events, written back by ``flush``."""

    def __init__(self, conn: Connection, active: Iterable[str] | None = None) -> None:
        self.conn = conn
        names = set(active) if active is not None else {p.name for p in STATE_PROJECTIONS}
        self._folds = {p.name for p in STATE_PROJECTIONS} & names
        self._timeline = active is None or TIMELINE in names
        self._states: dict[str, StreamState | None] = {}
        self._dirty: dict[str, int] = {}
        self._entries: list[dict[str, Any]] = []
        self._annotations: list[Recorded] = []
        self.last_position = 0

    # --- reading states (the rules read these while a batch is open) ---------------------

    def state(self, stream_id: str) -> StreamState | None:
        """The current state of a stream, including what this batch has applied."""
        if stream_id not in self._states:
            self.preload([stream_id])
        return self._states[stream_id]

    def preload(self, stream_ids: Iterable[str]) -> None:
        """Load the states of many streams with one query per projection and chunk."""
        wanted = [s for s in dict.fromkeys(stream_ids) if s not in self._states]
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

    # --- applying -----------------------------------------------------------------------

    def apply(self, records: Iterable[Recorded]) -> None:
        """Fold events, in position order, into the cached states and the timeline."""
        records = list(records)
        folded = [r for r in records if projection_of(r.stream_id).name in self._folds]
        if any(r.stream_id not in self._states for r in folded):
            self.preload(r.stream_id for r in folded)
        for rec in folded:
            self._states[rec.stream_id] = evolve(self._states[rec.stream_id], rec)
            self._dirty[rec.stream_id] = rec.position
        if self._timeline:
            for rec in records:
                self._entries.append(timeline_row(rec, self.units()))
                if rec.event.type in ("EventCorrected", "EventRetracted"):
                    self._annotations.append(rec)
        if records:
            self.last_position = records[-1].position

    def units(self) -> Mapping[str, str]:
        """Contract units by reference, read lazily from the states (for summaries)."""
        return _Units(self)

    def flush(self) -> None:
        """Write the touched states and the new timeline entries."""
        if self._dirty:
            self._write_states()
        if self._entries:
            self.conn.execute(TIMELINE_TABLE.insert(), self._entries)
        for rec in self._annotations:
            self._annotate(rec)
        self._dirty.clear()
        self._entries.clear()
        self._annotations.clear()

    def _write_states(self) -> None:
        by_projection: dict[str, list[str]] = {}
        for stream_id in self._dirty:
            by_projection.setdefault(projection_of(stream_id).name, []).append(stream_id)
        for projection in STATE_PROJECTIONS:
            ids = by_projection.get(projection.name)
            if not ids:
                continue
            t = projection.table
            for start in range(0, len(ids), _CHUNK):
                self.conn.execute(delete(t).where(t.c.stream_id.in_(ids[start : start + _CHUNK])))
            rows = []
            for stream_id in ids:
                state = self._states[stream_id]
                if state is not None:
                    rows.append(
                        {
                            "stream_id": stream_id,
                            "position": self._dirty[stream_id],
                            "state": state_json(state),
                            **projection.columns(state),
                        }
                    )
            if rows:
                self.conn.execute(t.insert(), rows)

    def _annotate(self, rec: Recorded) -> None:
        """Mark the corrected or retracted entry; the original text stays as it was."""
        target_id, note = annotation_for(rec)
        t = TIMELINE_TABLE
        row = self.conn.execute(select(t.c.data).where(t.c.event_id == target_id)).first()
        if row is None:
            return
        data = orjson.loads(row.data)
        data.setdefault("annotations", []).append(note)
        self.conn.execute(
            update(t).where(t.c.event_id == target_id).values(data=canonical_json(data))
        )


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


def state_json(state: StreamState) -> str:
    """States are stored as canonical JSON, so equal states are equal text."""
    return canonical_json(orjson.loads(state.model_dump_json()))

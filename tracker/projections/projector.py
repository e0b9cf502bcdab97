"""Keep the read models level with the log: inline on writes, catch-up, rebuild, status."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Connection

from tracker.domain.state.envelope import Recorded
from tracker.errors import ConcurrencyError, DomainError, TrackerError
from tracker.projections.batch import Batch
from tracker.projections.decode import from_log
from tracker.projections.read_tables import TYPED_TABLES
from tracker.projections.registry import VERSIONS, by_name
from tracker.projections.tables import CheckpointRow
from tracker.store.bulk import collector_paused
from tracker.store.eventstore import EventStore
from tracker.store.hashing import format_recorded_at

CHECKPOINTS = CheckpointRow.__table__  # type: ignore[attr-defined]
REPLAY_BATCH = 2000
#: States a replay keeps in memory between chunks (the streams being told at the time).
STATES_HELD = 500
Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class ProjectionStatus:
    name: str
    position: int
    version: int
    code_version: int
    lag: int

    @property
    def stale(self) -> bool:
        return self.version != self.code_version


class Projector:
    """Applies the log to the read models, in the same transaction as the events it reads."""

    def __init__(self, store: EventStore) -> None:
        self.store = store

    @contextmanager
    def batch(self, conn: Connection) -> Iterator[Batch]:
        """A Batch in a write transaction, level with the log before the caller appends.

        Its states are folded from the log, not read from the tables, so the rules never
        judge an event by a read model. On a normal exit the touched states (replacing
        their rows and typed rows, right or not) and checkpoints are written.
        """
        self.level(conn)
        batch = Batch(conn, log=self.store)
        yield batch
        if batch.last_position:
            batch.flush()
            self._set_checkpoints(conn, list(VERSIONS), batch.last_position)

    def status(self) -> list[ProjectionStatus]:
        """Each projection's checkpoint, code version and lag behind the log."""
        head = self.store.head_position()
        with self.store.engine.connect() as conn:
            marks = self._checkpoints(conn)
        return [
            ProjectionStatus(
                name, *marks.get(name, (0, 0)), code_version, head - marks.get(name, (0, 0))[0]
            )
            for name, code_version in VERSIONS.items()
        ]

    def catch_up(self, progress: Progress | None = None) -> int:
        """Apply whatever the read models lack; returns the number of events read."""
        with self.store.transaction() as conn:
            return self.level(conn, progress)

    def rebuild(self, names: Iterable[str] | None = None, progress: Progress | None = None) -> int:
        """Empty the named projections (default: all) and replay the log into them."""
        chosen = list(names or VERSIONS)
        for name in chosen:
            if name not in VERSIONS:
                raise TrackerError(f"No projection '{name}' (projections: {', '.join(VERSIONS)})")
        with self.store.transaction() as conn:
            self._reset(conn, chosen)
            return self.level(conn, progress)

    def level(self, conn: Connection, progress: Progress | None = None) -> int:
        """Bring every projection level with the log, inside ``conn``'s write transaction.

        A projection whose checkpoint cannot be true (beyond the head, or behind rows it
        holds) is rebuilt rather than caught up; if catching up still finds the tables
        at odds with the log, every projection is rebuilt. Either way it ends level.
        """
        head = self.store.head_in(conn).position
        marks = self._checkpoints(conn)
        wrong = [n for n, v in VERSIONS.items() if n in marks and marks[n][1] != v]
        wrong += misplaced(conn, marks, head)
        if wrong:
            self._reset(conn, wrong)
            marks = self._checkpoints(conn)
        at = {n: marks.get(n, (0, 0))[0] for n in VERSIONS}
        if all(p >= head for p in at.values()):
            # An empty log still gets its checkpoints, or every read sees them as stale.
            missing = [n for n in VERSIONS if n not in marks]
            if missing:
                self._set_checkpoints(conn, missing, head)
            return 0
        # Not a `with` block: after another error (a full disk) SQLite may have ended the
        # whole transaction, and rolling back to the savepoint would hide that error.
        savepoint = conn.begin_nested()
        try:
            read = self._replay(conn, at, head, progress)
        except (DomainError, ConcurrencyError):
            # The tables held what their checkpoints deny (a fact folded twice): undo the
            # attempt and start again from nothing.
            savepoint.rollback()
            self._reset(conn, list(VERSIONS))
            return self._replay(conn, dict.fromkeys(VERSIONS, 0), head, progress)
        savepoint.commit()
        return read

    def _replay(
        self, conn: Connection, at: dict[str, int], head: int, progress: Progress | None
    ) -> int:
        """Apply the log past each projection's checkpoint ``at``, up to ``head``."""
        # One batch for the whole replay: a stream's state stays in memory while it is
        # being told and is written once when it goes cold, not once per chunk.
        batch = Batch(conn, at)
        read = 0
        chunk: list[Recorded] = []
        with collector_paused():  # the store's policy for bulk work
            for rec in from_log(self.store.read_all(after_position=min(at.values()), conn=conn)):
                chunk.append(rec)
                if len(chunk) >= REPLAY_BATCH:
                    read += self._apply(batch, chunk, progress)
                    chunk = []
            if chunk:
                read += self._apply(batch, chunk, progress)
            batch.flush()
        self._set_checkpoints(conn, list(VERSIONS), head)
        return read

    def _apply(self, batch: Batch, chunk: list[Recorded], progress: Progress | None) -> int:
        batch.apply(chunk)
        batch.shed(STATES_HELD)
        if progress is not None:
            progress(len(chunk))
        return len(chunk)

    def _reset(self, conn: Connection, names: list[str]) -> None:
        for name in names:
            for table in (by_name(name).table, *TYPED_TABLES.get(name, ())):
                conn.execute(delete(table))
        self._set_checkpoints(conn, names, 0)

    def _checkpoints(self, conn: Connection) -> dict[str, tuple[int, int]]:
        c = CHECKPOINTS.c
        return {
            r.name: (r.position, r.version)
            for r in conn.execute(select(c.name, c.position, c.version))
        }

    def _set_checkpoints(self, conn: Connection, names: list[str], position: int) -> None:
        now = format_recorded_at(datetime.now(UTC))
        conn.execute(delete(CHECKPOINTS).where(CHECKPOINTS.c.name.in_(names)))
        conn.execute(
            CHECKPOINTS.insert(),
            [
                {"name": n, "position": position, "version": VERSIONS[n], "updated_at": now}
                for n in names
            ],
        )


def misplaced(conn: Connection, marks: dict[str, tuple[int, int]], head: int) -> list[str]:
    """The projections whose checkpoint cannot be true: beyond the head, or behind a row
    its table holds (a checkpoint moved back). Catching those up would fold events twice.

    Only a projection that lags is looked at, so a write on level read models pays nothing.
    """
    wrong = []
    for name, (position, _) in marks.items():
        if name not in VERSIONS or position == head:
            continue
        table = by_name(name).table
        newest = conn.execute(select(func.max(table.c.position))).scalar_one_or_none() or 0
        if position > head or newest > position:
            wrong.append(name)
    return wrong

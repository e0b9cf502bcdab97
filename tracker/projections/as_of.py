"""States as of a day, with the record as it stands now, read mostly from the typed tables.

A view as of a day is the fold of the log trimmed to the facts certainly by then
(domain/world.py). Most contracts have no fact dated after the day: for them the trim
removes nothing, so they are what the projections hold now, judged on that day (overdue
milestones and the percent are worked out on read, see status_table). Only the others are
folded from their streams and trimmed. The answers equal those of
``FoldedStates(store, as_of=day)`` (tests/projections/test_as_of_tables.py).

A stream's facts stand at their corrected dates, which the log's ``occurred`` columns do
not give; so a contract is read from the tables only when none of its events, nor of its
joint venture's, is dated after the day, and no correction in them may move a date (or the
joint venture it names). Corrections of anything else (a quantity, a confidence) and
retractions are what the tables hold now, whatever day they were recorded.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from functools import cached_property
from itertools import islice
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.engine import Engine

from tracker.domain.state.state import AgreementState, ContractState, JointVentureState, StreamState
from tracker.domain.state.world import trimmed
from tracker.domain.values.refs import contract_stream
from tracker.domain.views.status import ContractStatus
from tracker.projections.filters import ContractFilter, sort_key
from tracker.projections.read_tables import PRODUCTION, STATUS
from tracker.projections.reader import FoldedStates, _fold_streams
from tracker.projections.registry import by_name
from tracker.projections.status_table import StatusTable
from tracker.store.errors import translate_db_error
from tracker.store.eventstore import EventStore
from tracker.store.schema import events_table

#: Events that are not facts: they change or drop the facts of other events.
_REWRITES = ("EventCorrected", "EventRetracted")
#: The fields a correction can change that the tables cannot judge as of a day: a fact's
#: date, and the joint venture a contract names (read from its signing as logged).
_MOVING = ("occurred", "joint_venture")
#: Up to this many contracts, their events are found through the index on the streams (in
#: chunks of _CHUNK); past it, in one pass over the log.
_FEW, _CHUNK = 2000, 500


class AsOfStates:
    """States as of ``day`` (no record time): the typed tables for the contracts nothing
    after ``day`` touches, a fold of their streams for the others. The projections must be
    level with the log."""

    def __init__(self, store: EventStore, engine: Engine, day: date) -> None:
        self.store, self.engine, self.day = store, engine, day
        self._folds: list[FoldedStates] = []

    # --- which contracts the tables cannot answer for --------------------------------

    @cached_property
    def later(self) -> frozenset[str]:
        """The contract streams with a fact dated after the day (the signing included) or a
        correction that may move one (see _touched), or a joint venture that has one."""
        with translate_db_error(), self.engine.connect() as conn:
            found = set(conn.execute(self._touched()).scalars())
        return self._contracts_of(found, None)

    def _later(self, wanted: set[str] | None) -> frozenset[str]:
        """``later`` among the contract streams ``wanted`` (all if None): read through the
        index on the streams when they are few, else in one pass over the log."""
        if wanted is None or len(wanted) > _FEW:
            return self.later
        e = events_table.c
        streams = sorted(wanted)
        with translate_db_error(), self.engine.connect() as conn:
            jv = by_name("joint_ventures").table.c
            ventures = list(conn.execute(select(jv.stream_id)).scalars())
            found: set[str] = set()
            for start in range(0, len(streams) + len(ventures), _CHUNK):
                chunk = [*streams, *ventures][start : start + _CHUNK]
                found.update(conn.execute(self._touched(e.stream_id.in_(chunk))).scalars())
        return self._contracts_of(found, wanted)

    def _touched(self, *where: ColumnElement[bool]) -> Select[Any]:
        """The streams with a fact dated after the day, or a correction that may move a
        fact's date or a contract's joint venture. A correction or a retraction is not a
        fact itself: its own date does not matter (it applies whenever it was recorded)."""
        e = events_table.c
        fact = and_(e.occurred_end > self.day.isoformat(), e.event_type.not_in(_REWRITES))
        moves = or_(*(e.payload.like(f'%"{name}"%') for name in _MOVING))
        moved = and_(e.event_type == "EventCorrected", moves)
        return select(e.stream_id).distinct().where(or_(fact, moved), *where)

    def _contracts_of(self, found: set[str], wanted: set[str] | None) -> frozenset[str]:
        """The contract streams of ``found``, with those of the joint ventures in it."""
        ventures = {s for s in found if s.startswith("jv:")}
        if ventures:
            found |= self._ventures_contracts(ventures)
        return frozenset(
            s for s in found if s.startswith("contract:") and (wanted is None or s in wanted)
        )

    def _ventures_contracts(self, ventures: set[str]) -> set[str]:
        """The contracts that name one of ``ventures`` or that one of them produces for."""
        p, e = PRODUCTION.c, events_table.c
        names = {v.removeprefix("jv:") for v in ventures}
        signings = select(e.stream_id, e.payload).where(e.event_type == "ContractSigned")
        with translate_db_error(), self.engine.connect() as conn:
            made = conn.execute(select(p.contract).where(p.stream_id.in_(sorted(ventures))))
            out = {contract_stream(r) for r in made.scalars()}
            for stream, payload in conn.execute(signings):
                if orjson.loads(payload).get("joint_venture") in names:
                    out.add(stream)
        return out

    @cached_property
    def unsigned(self) -> frozenset[str]:
        """The contract streams whose signing is not certainly by the day: not in the view."""
        s = STATUS.c
        query = select(s.stream_id).where(s.signed_latest > self.day)
        with translate_db_error(), self.engine.connect() as conn:
            return frozenset(conn.execute(query).scalars())

    # --- statuses ----------------------------------------------------------------------

    def statuses(
        self, flt: ContractFilter, today: date, refs: Sequence[str] | None = None
    ) -> tuple[list[ContractStatus], int]:
        """The statuses that pass ``flt`` (of ``refs``, if given), sorted and capped at
        ``flt.limit``, and how many passed in all."""
        every = replace(flt, limit=None)
        wanted = self._wanted(every, refs)
        later = self._later(wanted)
        tables = StatusTable(self.engine).page(every, today, refs)[0]
        found = [s for s in tables if contract_stream(s.ref) not in later]
        found += self._folded(every, today, wanted, later)
        found.sort(key=lambda s: sort_key(flt.sort, s))
        return found[: flt.limit], len(found)

    def stream(self, flt: ContractFilter, today: date) -> Iterator[ContractStatus]:
        """The statuses ``statuses`` gives, the tables' a chunk at a time, in order."""
        every = replace(flt, limit=None)
        wanted = self._wanted(every, None)
        later = self._later(wanted)
        tables = StatusTable(self.engine).stream(every, today)
        mine = (s for s in tables if contract_stream(s.ref) not in later)
        folded = self._folded(every, today, wanted, later)
        folded.sort(key=lambda s: sort_key(flt.sort, s))
        merged = heapq.merge(mine, folded, key=lambda s: sort_key(flt.sort, s))
        return islice(merged, flt.limit)

    def _wanted(self, flt: ContractFilter, refs: Sequence[str] | None) -> set[str] | None:
        """The contract streams ``flt`` (its day-free part) or ``refs`` can select; None:
        any."""
        if refs is not None:
            return {contract_stream(r) for r in refs}
        if not flt.record_axis.narrows:
            return None
        return set(StatusTable(self.engine).streams(flt.record_axis))

    def _folded(
        self, flt: ContractFilter, today: date, wanted: set[str] | None, later: frozenset[str]
    ) -> list[ContractStatus]:
        """The statuses of the contracts of ``later`` (among ``wanted``, if given) signed by
        the day that pass ``flt``."""
        streams = sorted(s for s in later - self.unsigned if wanted is None or s in wanted)
        if not streams:
            return []
        folded = FoldedStates.of_streams(self.store, self.engine, streams, as_of=self.day)
        return folded.statuses(flt, today)[0]

    # --- states, for the other views ---------------------------------------------------

    def contracts(self, refs: Iterable[str] | None = None) -> list[ContractState]:
        refs = None if refs is None else list(refs)
        return self._fold(refs).contracts(refs)

    def possible(self, ref: str) -> ContractState | None:
        # A view asks for the contracts first (schedules_of): their fold says it.
        stream = contract_stream(ref)
        done = next((f for f in self._folds if stream in f.states), None)
        return (done or self._fold([ref])).possible(ref)

    def joint_ventures(self) -> list[JointVentureState]:
        return [s for s in self._trimmed("joint_ventures") if isinstance(s, JointVentureState)]

    def agreements(self) -> list[AgreementState]:
        return [s for s in self._trimmed("agreements") if isinstance(s, AgreementState)]

    def refs(self, prefix: str) -> list[str]:
        """The refs of the contracts signed by the day equal to ``prefix`` or starting with
        it (at most 11), as FoldedStates.refs gives them."""
        s = STATUS.c
        signed = select(s.ref).where(s.signed_latest <= self.day)
        like = signed.where(s.ref.like(_escaped(prefix) + "%", escape="\\"))
        with translate_db_error(), self.engine.connect() as conn:
            if conn.execute(signed.where(s.ref == prefix)).first():
                return [prefix]
            binary = "C" if conn.dialect.name == "postgresql" else "BINARY"
            found = list(conn.execute(like.order_by(s.ref.collate(binary)).limit(11)).scalars())
        if found:
            return found
        # What else the tables resolve (an old opaque SIPRI ref), if signed by the day.
        return [r for r in StatusTable(self.engine).refs(prefix) if self._signed(r)]

    def _signed(self, ref: str) -> bool:
        return contract_stream(ref) not in self.unsigned

    def _fold(self, refs: list[str] | None) -> FoldedStates:
        if refs is None:
            folded = FoldedStates(self.store, as_of=self.day)
        else:
            streams = sorted({contract_stream(r) for r in refs})
            folded = FoldedStates.of_streams(self.store, self.engine, streams, as_of=self.day)
        self._folds[:] = [folded]  # the last one only: a view reads its contracts once
        return folded

    def _trimmed(self, projection: str) -> list[StreamState]:
        t = by_name(projection).table
        with translate_db_error(), self.engine.connect() as conn:
            streams = list(conn.execute(select(t.c.stream_id).order_by(t.c.stream_id)).scalars())
        states = trimmed(_fold_streams(self.store, streams, None), self.day)
        return [states[k] for k in sorted(states)]


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

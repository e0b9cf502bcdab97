"""Where read views get their states: the projection tables, or a fold of a filtered log.

Both answer the same questions with the same state objects, so a view computed "as of" a
date runs exactly the code a current view runs; only the states it is given differ.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any, Protocol

import orjson
from sqlalchemy import select
from sqlalchemy.engine import Engine

from tracker.domain.state.fold import fold
from tracker.domain.state.state import (
    AgreementState,
    ContractState,
    JointVentureState,
    StreamState,
    load_state_json,
)
from tracker.domain.state.world import possible, trimmed
from tracker.domain.values.opaque_refs import sipri_key_of
from tracker.domain.values.refs import agreement_stream, contract_stream, jv_stream
from tracker.domain.views.status import ContractStatus, contract_status_with, with_possible
from tracker.projections.decode import from_log
from tracker.projections.derive import search_text
from tracker.projections.filters import ContractFilter, sort_key
from tracker.projections.registry import by_name
from tracker.projections.status_table import StatusTable
from tracker.store.errors import translate_db_error
from tracker.store.eventstore import EventStore


class StateSource(Protocol):
    def contracts(self, refs: Iterable[str] | None = None) -> list[ContractState]: ...

    def joint_ventures(self) -> list[JointVentureState]: ...

    def agreements(self) -> list[AgreementState]: ...

    def refs(self, prefix: str) -> list[str]:
        """The contract refs equal to ``prefix`` (that one only) or starting with it."""
        ...

    def statuses(
        self, flt: ContractFilter, today: date, refs: Sequence[str] | None = None
    ) -> tuple[list[ContractStatus], int]:
        """The statuses that pass ``flt`` (of ``refs``, if given), sorted and capped at
        ``flt.limit``, and how many passed in all."""
        ...

    def possible(self, ref: str) -> ContractState | None:
        """Contract ``ref`` with the facts that may have happened by the day of an as-of
        view kept too (world.possibly_as_of), when one of them straddles that day; else None."""
        ...


class TableStates:
    """States as the projections hold them now."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def contracts(self, refs: Iterable[str] | None = None) -> list[ContractState]:
        ids = None if refs is None else [contract_stream(r) for r in refs]
        return [s for s in self._load("contracts", ids) if isinstance(s, ContractState)]

    def joint_ventures(self) -> list[JointVentureState]:
        return [s for s in self._load("joint_ventures") if isinstance(s, JointVentureState)]

    def agreements(self) -> list[AgreementState]:
        return [s for s in self._load("agreements") if isinstance(s, AgreementState)]

    def refs(self, prefix: str) -> list[str]:
        return StatusTable(self.engine).refs(prefix)

    def statuses(
        self, flt: ContractFilter, today: date, refs: Sequence[str] | None = None
    ) -> tuple[list[ContractStatus], int]:
        return StatusTable(self.engine).page(flt, today, refs)

    def possible(self, ref: str) -> ContractState | None:
        return None  # a current view: every fact counts

    def stream(self, flt: ContractFilter, today: date) -> Iterator[ContractStatus]:
        """The statuses ``statuses`` gives, a chunk at a time (see StatusTable.stream)."""
        return StatusTable(self.engine).stream(flt, today)

    def contract_documents(self, refs: Iterable[str]) -> list[dict[str, Any]]:
        """The states ``contracts(refs)`` gives, in its order, as the JSON documents the
        table holds (``model_dump(mode="json")``), parsed but not validated into states:
        for a caller that reads a few fields of many contracts."""
        texts = self._texts("contracts", [contract_stream(r) for r in refs])
        return [d for d in map(orjson.loads, texts) if d.get("kind") == "contract"]

    def _load(self, projection: str, ids: list[str] | None = None) -> Iterator[StreamState]:
        return (load_state_json(text) for text in self._texts(projection, ids))

    def _texts(self, projection: str, ids: list[str] | None = None) -> list[str]:
        t = by_name(projection).table
        query = select(t.c.state).order_by(t.c.stream_id)
        if ids is not None:
            query = query.where(t.c.stream_id.in_(ids))
        with translate_db_error(), self.engine.connect() as conn:
            return [r.state for r in conn.execute(query).all()]


class FoldedStates:
    """States folded from the log as it held at ``known_at`` (record time), then trimmed to
    what had certainly happened by ``as_of`` (world date).

    Corrections and retractions are judgements about the record, not events in the world:
    they apply whenever they had been recorded by ``known_at``, whatever ``as_of`` says. The
    fold runs over the whole log first so that ``as_of`` judges each fact by its corrected
    date (see domain/world.py).
    """

    def __init__(
        self,
        store: EventStore,
        *,
        as_of: date | None = None,
        known_at: datetime | None = None,
        streams: Sequence[str] | None = None,
    ) -> None:
        if streams is None:
            folded = fold(from_log(store.read_all(known_at=known_at)))
        else:
            folded = _fold_streams(store, streams, known_at)
        self._keep(folded, as_of)

    @classmethod
    def selected(
        cls,
        store: EventStore,
        engine: Engine,
        flt: ContractFilter,
        prefixes: Sequence[str] | None,
        *,
        as_of: date | None = None,
        known_at: datetime | None = None,
    ) -> FoldedStates:
        """The states ``FoldedStates(store, as_of=..., known_at=...)`` holds for the
        contracts that can pass ``flt`` (or, if given, whose refs start with one of ``prefixes``),
        with their joint ventures and agreements, folded from their streams only.

        The contracts are chosen from the typed tables by the part of the filter no day
        changes (ContractFilter.record_axis): a superset of those that pass on any day,
        filtered again, in full, on the folded states."""
        table = StatusTable(engine)
        # Named refs are resolved among every contract before any filter applies.
        contracts = table.streams(ContractFilter() if prefixes else flt.record_axis, prefixes)
        return cls.of_streams(store, engine, contracts, as_of=as_of, known_at=known_at)

    @classmethod
    def of_streams(
        cls,
        store: EventStore,
        engine: Engine,
        contracts: Sequence[str],
        *,
        as_of: date | None = None,
        known_at: datetime | None = None,
    ) -> FoldedStates:
        """The states ``FoldedStates(store, as_of=..., known_at=...)`` holds for the contract
        streams ``contracts``, with their joint ventures (their own and those producing for
        them) and agreements, folded from those streams only."""
        folded = _fold_streams(store, contracts, known_at)
        signed = [s for s in folded.values() if isinstance(s, ContractState)]
        refs = [s.contract.reference for s in signed]
        more = [jv_stream(s.contract.joint_venture) for s in signed if s.contract.joint_venture]
        more += [agreement_stream(s.contract.agreement) for s in signed if s.contract.agreement]
        more += StatusTable(engine).producers(refs)
        folded |= _fold_streams(store, sorted(set(more) - set(folded)), known_at)
        out = cls.__new__(cls)
        out._keep(folded, as_of)
        return out

    def _keep(self, folded: dict[str, StreamState], as_of: date | None) -> None:
        self.states = trimmed(folded, as_of)
        # The contracts with a delivery (or any fact) that may have happened by as_of.
        self.maybe = possible(folded, as_of)

    def contracts(self, refs: Iterable[str] | None = None) -> list[ContractState]:
        wanted = None if refs is None else {contract_stream(r) for r in refs}
        return [
            s
            for k, s in sorted(self.states.items())
            if isinstance(s, ContractState) and (wanted is None or k in wanted)
        ]

    def joint_ventures(self) -> list[JointVentureState]:
        return [s for _, s in sorted(self.states.items()) if isinstance(s, JointVentureState)]

    def agreements(self) -> list[AgreementState]:
        return [s for _, s in sorted(self.states.items()) if isinstance(s, AgreementState)]

    def refs(self, prefix: str) -> list[str]:
        refs = sorted(s.contract.reference for s in self.contracts())
        if prefix in refs:
            return [prefix]
        key = sipri_key_of(prefix)  # an old opaque SIPRI ref: the contracts its key names
        if key is not None and (keyed := sorted(r for r, k in self._keys() if k == key)):
            return keyed[:11]
        return [r for r in refs if r.startswith(prefix)][:11]

    def _keys(self) -> Iterator[tuple[str, str | None]]:
        """Each contract's ref and the SIPRI key it stores (None if none)."""
        for s in self.contracts():
            yield s.contract.reference, s.contract.sipri.key if s.contract.sipri else None

    def statuses(
        self, flt: ContractFilter, today: date, refs: Sequence[str] | None = None
    ) -> tuple[list[ContractStatus], int]:
        ventures = self.joint_ventures()
        found = [
            status
            for state in self.contracts(refs)
            if flt.matches(status := self._status(state, ventures, today), search_text(state))
        ]
        found.sort(key=lambda s: sort_key(flt.sort, s))
        return found[: flt.limit], len(found)

    def possible(self, ref: str) -> ContractState | None:
        more = self.maybe.get(contract_stream(ref))
        return more if isinstance(more, ContractState) else None

    def _status(
        self, state: ContractState, ventures: list[JointVentureState], today: date
    ) -> ContractStatus:
        status = contract_status_with(state, ventures, today)
        more = self.maybe.get(state.stream_id)
        return status if not isinstance(more, ContractState) else with_possible(status, more)


#: Up to this many streams, a fold as known at a moment reads each stream on its own;
#: past it, the log as it stood once.
_FEW = 200


def _fold_streams(
    store: EventStore, streams: Sequence[str], known_at: datetime | None
) -> dict[str, StreamState]:
    """The states of ``streams`` folded from their events (as the log held them at
    ``known_at``, if given): each stream folds on its own, as the write path folds them."""
    if not streams:
        return {}
    if known_at is not None:
        if len(streams) > _FEW:
            wanted = set(streams)
            states = fold(from_log(store.read_all(known_at=known_at)))
            return {k: v for k, v in states.items() if k in wanted}
        return fold(
            from_log(r for s in streams for r in store.read_all(known_at=known_at, stream_id=s))
        )
    with translate_db_error(), store.engine.connect() as conn:
        return fold(from_log(store.read_streams(streams, conn)))

"""What the rules may ask about the log, and an in-memory answer for tests and replays."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from tracker.domain.events.catalogue import PartyDeclared
from tracker.domain.state.envelope import Recorded
from tracker.domain.state.fold import evolve
from tracker.domain.state.state import (
    AgreementState,
    ContractState,
    JointVentureState,
    PartiesState,
    StreamState,
)
from tracker.domain.values.parties import PARTIES_STREAM
from tracker.domain.values.refs import agreement_stream, contract_stream, jv_stream


class Lookup(Protocol):
    """Read access the rules need; a service backs it with the database, tests with dicts."""

    def state(self, stream_id: str) -> StreamState | None:
        """The current state of a stream (any kind), or None if it holds nothing yet."""
        ...

    def target(self, event_id: str) -> Recorded | None:
        """The recorded event with this id (as first recorded), or None."""
        ...


def contract_of(lookup: Lookup, ref: str) -> ContractState | None:
    """The live contract ``ref``: None if never signed or if its signing was retracted."""
    state = lookup.state(contract_stream(ref))
    return state if isinstance(state, ContractState) and not state.withdrawn else None


def joint_venture_of(lookup: Lookup, ref: str) -> JointVentureState | None:
    state = lookup.state(jv_stream(ref))
    return state if isinstance(state, JointVentureState) and not state.withdrawn else None


def agreement_of(lookup: Lookup, ref: str) -> AgreementState | None:
    state = lookup.state(agreement_stream(ref))
    return state if isinstance(state, AgreementState) and not state.withdrawn else None


def declared_parties(lookup: Lookup) -> tuple[PartyDeclared, ...]:
    """Every party users declared and did not retract, in the order declared."""
    state = lookup.state(PARTIES_STREAM)
    if not isinstance(state, PartiesState):
        return ()
    return tuple(fact.event for fact in state.declared)


class MemoryLookup:
    """A Lookup over states and records held in dicts; ``add`` keeps both up to date."""

    def __init__(
        self,
        states: Mapping[str, StreamState] | None = None,
        records: Mapping[str, Recorded] | None = None,
    ) -> None:
        self.states: dict[str, StreamState] = dict(states or {})
        self.records: dict[str, Recorded] = dict(records or {})

    @classmethod
    def from_records(cls, records: Iterable[Recorded]) -> MemoryLookup:
        lookup = cls()
        for recorded in records:
            lookup.add(recorded)
        return lookup

    def add(self, recorded: Recorded) -> None:
        """Fold one more recorded event in (the caller has checked it)."""
        self.records[recorded.event_id] = recorded
        new = evolve(self.states.get(recorded.stream_id), recorded)
        if new is not None:
            self.states[recorded.stream_id] = new

    def state(self, stream_id: str) -> StreamState | None:
        return self.states.get(stream_id)

    def target(self, event_id: str) -> Recorded | None:
        return self.records.get(event_id)

"""The projections: which streams each folds, into which table, at which code version."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table

from tracker.domain.state.state import (
    AgreementState,
    ContractState,
    JointVentureState,
    StreamState,
)
from tracker.projections.tables import AgreementRow, ContractRow, JointVentureRow, TopicRow


@dataclass(frozen=True, slots=True)
class StateProjection:
    """Folds every stream whose id starts with ``prefix`` (None: any other stream)."""

    name: str
    prefix: str | None
    table: Table
    version: int

    def columns(self, state: StreamState) -> dict[str, Any]:
        """The SQL-filterable columns kept beside the state."""
        if isinstance(state, ContractState):
            c = state.contract
            return {"system": c.system, "buyer": c.buyer, "seller": c.seller}
        if isinstance(state, JointVentureState):
            return {"name": state.venture.name}
        if isinstance(state, AgreementState):
            return {"title": state.agreement.title}
        if self.name == "contracts":
            return {"system": "", "buyer": "", "seller": ""}
        if self.name == "joint_ventures":
            return {"name": ""}
        if self.name == "agreements":
            return {"title": ""}
        return {}


STATE_PROJECTIONS = (
    StateProjection("contracts", "contract:", ContractRow.__table__, 4),  # type: ignore[attr-defined]
    StateProjection("joint_ventures", "jv:", JointVentureRow.__table__, 3),  # type: ignore[attr-defined]
    StateProjection("agreements", "agreement:", AgreementRow.__table__, 1),  # type: ignore[attr-defined]
    StateProjection("topics", None, TopicRow.__table__, 1),  # type: ignore[attr-defined]
)
_PREFIXED = tuple(p for p in STATE_PROJECTIONS if p.prefix)
_OTHER = next(p for p in STATE_PROJECTIONS if p.prefix is None)

#: Every projection name and its code version. Bump a version when what a projection
#: stores changes meaning: catch-up then rebuilds it from the log. Version 2 of contracts
#: and joint ventures added their typed tables (read_tables.py).
VERSIONS: dict[str, int] = {p.name: p.version for p in STATE_PROJECTIONS}


def projection_of(stream_id: str) -> StateProjection:
    """The state projection that folds this stream."""
    for p in _PREFIXED:
        if stream_id.startswith(p.prefix or ""):
            return p
    return _OTHER


def by_name(name: str) -> StateProjection:
    return next(p for p in STATE_PROJECTIONS if p.name == name)

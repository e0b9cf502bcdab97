"""The typed rows of a folded state: what read_tables.py holds for one stream.

Pure functions of the state (no day of the question), so incremental writes, a rebuild and
the audit's fresh fold all make the same rows from the same log.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from tracker.domain.events.contract_events import SipriRecord
from tracker.domain.figures import contracts
from tracker.domain.figures.ledger import running_totals
from tracker.domain.rules.milestone_match import fulfilment
from tracker.domain.state.state import ContractState, JointVentureState, StreamState
from tracker.domain.values.date_columns import column_precision
from tracker.domain.values.dates import FuzzyDate
from tracker.domain.values.estimates import Estimate
from tracker.domain.values.opaque_refs import opaque_sipri_id
from tracker.domain.values.sources import Source
from tracker.domain.views.status import ContractStatus, contract_status
from tracker.projections.transfers import party_id, transfer_rows

Rows = dict[str, list[dict[str, Any]]]
#: A day far in the future: the static part of a status never depends on it.
_ANY_DAY = date(2000, 1, 1)


def typed_rows(state: StreamState | None) -> Rows:
    """Rows by table name for one stream's state (empty lists when it has none)."""
    if isinstance(state, ContractState):
        return contract_rows(state)
    if isinstance(state, JointVentureState):
        return {"proj_production": production_rows(state)}
    return {}


def contract_rows(state: ContractState) -> Rows:
    status = contract_status(state, None, _ANY_DAY)
    stream = state.stream_id
    ref = state.contract.reference
    # Worked out once, each used by two tables.
    steps = contracts.deliveries(state)
    cited = list(_citations(state))
    return {
        "proj_contract_status": [status_row(state, status, cited)],
        "proj_milestones": milestone_rows(state),
        "proj_deliveries": [
            {
                "stream_id": stream,
                "seq": n,
                "ref": ref,
                "event_id": s.event_id,
                **_date("occurred", s.occurred),
                "precision": column_precision(s.occurred),
                "increment": s.increment,
                "total": s.total,
                "label": s.label,
            }
            for n, s in enumerate(steps)
        ],
        "proj_figures": figure_rows(stream, ref, status),
        "proj_transfers": transfer_rows(state, steps),
        "proj_sources": [
            {"stream_id": stream, "seq": n, "ref": ref, "event_id": event_id, **_source(s)}
            for n, (event_id, s) in enumerate(cited)
        ],
    }


def status_row(
    state: ContractState,
    status: ContractStatus,
    cited: list[tuple[str, Source]] | None = None,
) -> dict[str, Any]:
    """The status row of a contract (``cited``: its ``_citations``, if worked out)."""
    c = state.contract
    if cited is None:
        cited = list(_citations(state))
    ref = c.reference
    due = status.next_milestone
    return {
        "stream_id": state.stream_id,
        "ref": ref,
        "buyer_id": party_id(c.buyer),
        "buyer": c.buyer,
        "seller_id": party_id(c.seller),
        "seller": c.seller,
        "system": c.system,
        "description": c.description,
        **_date("signed", c.occurred),
        "signed_precision": column_precision(c.occurred),
        "ordered": status.ordered,
        "ordered_min": None,
        "ordered_max": None,
        "delivered": status.delivered,
        **_estimate("delivered", status.delivered_estimate),
        "remaining": status.remaining,
        "unit": c.unit,
        "value_amount": None if status.value is None else str(status.value.amount),
        "value_currency": None if status.value is None else status.value.currency,
        "state": status.state,
        "next_due_label": due.label if due else None,
        "next_due": str(due.due) if due else None,
        "next_due_latest": due.due.latest if due else None,
        "last_delivery": _opt(status.last_delivery),
        "last_delivery_latest": status.last_delivery.latest if status.last_delivery else None,
        "cancelled": contracts.cancellation(state) is not None,
        "source_count": len({s.key for _, s in cited}),
        "sipri_id": (status.sipri and status.sipri.key) or opaque_sipri_id(ref),
        **sipri_columns(status.sipri, status.sipri_release),
        "search_text": search_text(state),
        "position": 0,  # set by the writer: the stream's last position
    }


def sipri_columns(record: SipriRecord | None, release: str | None) -> dict[str, Any]:
    """SIPRI's record as sipri_* columns (all None for a hand-logged deal)."""
    if record is None:
        return dict.fromkeys(SIPRI_COLUMNS) | {"sipri_release": release}
    # Read field by field: the same values as model_dump() (plain ones), a tenth of its time.
    out: dict[str, Any] = {col: getattr(record, k) for col, k in _SIPRI_FIELDS}
    for name in ("tiv_unit", "tiv_order", "tiv_delivered", "tiv_new_unit"):
        value = out["sipri_" + name]
        out["sipri_" + name] = None if value is None else str(value)
    out["sipri_quality"] = "\n".join(record.quality)
    return out | {"sipri_release": release}


#: The columns of a SIPRI record: SipriRecord's fields, prefixed, but its key (which has no
#: column of its own: it is the row's sipri_id).
_SIPRI_FIELDS = tuple(("sipri_" + name, name) for name in SipriRecord.model_fields if name != "key")
SIPRI_COLUMNS = tuple(column for column, _ in _SIPRI_FIELDS)


def _estimate(name: str, e: Estimate | None) -> dict[str, Any]:
    if e is None:
        return {f"{name}_low": None, f"{name}_high": None, f"{name}_as_written": None}
    return {f"{name}_low": e.low, f"{name}_high": e.high, f"{name}_as_written": e.as_written}


def milestone_rows(state: ContractState) -> list[dict[str, Any]]:
    tracks = contracts.milestones(state)
    filled = fulfilment(state)
    rows = []
    for n, t in enumerate(tracks):
        got = filled[t.label]
        rows.append(
            {
                "stream_id": state.stream_id,
                "seq": n,
                "ref": state.contract.reference,
                "label": t.label,
                "quantity": t.quantity,
                **_date("due", t.due),
                "original_due": str(t.original_due),
                "original_due_latest": t.original_due.latest,
                "delivered": _opt(got.completed),
                "delivered_latest": got.completed.latest if got.completed else None,
                "delivered_quantity": got.quantity,
            }
        )
    return rows


def figure_rows(stream: str, ref: str, status: ContractStatus) -> list[dict[str, Any]]:
    base = {"stream_id": stream, "ref": ref}
    rows = [
        {**base, "kind": "value", "amount": str(r.value.amount), "currency": r.value.currency}
        | {"quantity": None, "sources": r.sources}
        for r in status.value_reports
    ]
    rows += [
        {**base, "kind": "quantity", "amount": None, "currency": None}
        | {"quantity": r.quantity, "sources": r.sources}
        for r in status.quantity_reports
    ]
    return [{**row, "seq": n} for n, row in enumerate(rows)]


def production_rows(state: JointVentureState) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    contracts_named = dict.fromkeys(f.event.contract for f in state.production)
    for contract in contracts_named:
        steps = running_totals(f for f in state.production if f.event.contract == contract)
        rows += [
            {
                "stream_id": state.stream_id,
                "seq": len(rows) + n,
                "joint_venture": state.venture.reference,
                "contract": contract,
                "event_id": s.event_id,
                "occurred": str(s.occurred),
                "occurred_latest": s.occurred.latest,
                "increment": s.increment,
                "total": s.total,
                "total_low": s.tally.low,
                "total_high": s.tally.high,
                "total_as_written": s.tally.as_written,
            }
            for n, s in enumerate(steps)
        ]
    return rows


def search_text(state: ContractState) -> str:
    """What --search looks through: system, description, notes (SIPRI comments included)."""
    c = state.contract
    parts = [c.system, c.description or "", *(f.event.text for f in state.notes)]
    return "\n".join(p for p in parts if p)


def _citations(state: ContractState) -> Iterator[tuple[str, Source]]:
    seen: set[tuple[str, str]] = set()
    for name in ContractState._all_fact_fields():
        value = getattr(state, name)
        for fact in value if isinstance(value, tuple) else (value,):
            for source in fact.event.sources:
                if (fact.event_id, source.key) not in seen:
                    seen.add((fact.event_id, source.key))
                    yield fact.event_id, source


def _source(s: Source) -> dict[str, Any]:
    return {"publisher": s.publisher, "title": s.title, "url": s.url, "published": s.published}


def _date(name: str, d: FuzzyDate) -> dict[str, Any]:
    return {name: str(d), f"{name}_earliest": d.earliest, f"{name}_latest": d.latest}


def _opt(d: FuzzyDate | None) -> str | None:
    return None if d is None else str(d)

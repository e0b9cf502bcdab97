"""A contract's typed rows built the plain way, as the writer built them before it shared
its figures between tables (issue #14): the oracle of test_standing.py.

Each table's rows on their own, the status row from contract_status, every figure worked
out again where it is needed; dicts in the writer's key order.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from tracker.domain.figures import contracts
from tracker.domain.rules.milestone_match import fulfilment
from tracker.domain.state.state import ContractState
from tracker.domain.values.date_columns import column_precision
from tracker.domain.values.dates import FuzzyDate
from tracker.domain.values.opaque_refs import opaque_sipri_id
from tracker.domain.values.parties import party_id
from tracker.domain.views.status import contract_status
from tracker.projections.derive import SIPRI_COLUMNS
from tracker.projections.transfers import _release, _text

Rows = dict[str, list[dict[str, Any]]]


def plain_rows(state: ContractState) -> Rows:
    stream, ref = state.stream_id, state.contract.reference
    status = contract_status(state, None, date(2000, 1, 1))
    filled = fulfilment(state)
    milestones = [
        {"stream_id": stream, "seq": n, "ref": ref, "label": t.label, "quantity": t.quantity}
        | _date("due", t.due)
        | {"original_due": str(t.original_due), "original_due_latest": t.original_due.latest}
        | {"delivered": None if (got := filled[t.label].completed) is None else str(got)}
        | {"delivered_latest": got.latest if got else None}
        | {"delivered_quantity": filled[t.label].quantity}
        for n, t in enumerate(contracts.milestones(state))
    ]
    deliveries = [
        {"stream_id": stream, "seq": n, "ref": ref, "event_id": s.event_id}
        | _date("occurred", s.occurred)
        | {"precision": column_precision(s.occurred), "increment": s.increment}
        | {"total": s.total, "label": s.label}
        for n, s in enumerate(contracts.deliveries(state))
    ]
    sources = [
        {"stream_id": stream, "seq": n, "ref": ref, "event_id": event_id}
        | {"publisher": s.publisher, "title": s.title, "url": s.url, "published": s.published}
        for n, (event_id, s) in enumerate(citations(state))
    ]
    return {
        "proj_contract_status": [status_row(state, status)],
        "proj_milestones": milestones,
        "proj_deliveries": deliveries,
        "proj_figures": figure_rows(stream, ref, status),
        "proj_transfers": transfer_rows(state),
        "proj_sources": sources,
    }


def status_row(state: ContractState, status: Any) -> dict[str, Any]:
    c = state.contract
    ref = c.reference
    due = status.next_milestone
    e = status.delivered_estimate
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
        "delivered_low": e.low if e else None,
        "delivered_high": e.high if e else None,
        "delivered_as_written": e.as_written if e else None,
        "remaining": status.remaining,
        "unit": c.unit,
        "value_amount": None if status.value is None else str(status.value.amount),
        "value_currency": None if status.value is None else status.value.currency,
        "state": status.state,
        "next_due_label": due.label if due else None,
        "next_due": str(due.due) if due else None,
        "next_due_latest": due.due.latest if due else None,
        "last_delivery": None if status.last_delivery is None else str(status.last_delivery),
        "last_delivery_latest": status.last_delivery.latest if status.last_delivery else None,
        "cancelled": contracts.cancellation(state) is not None,
        "source_count": len({s.key for _, s in citations(state)}),
        "sipri_id": (status.sipri and status.sipri.key) or opaque_sipri_id(ref),
        **sipri_columns(status.sipri, status.sipri_release),
        "search_text": "\n".join(p for p in _texts(state) if p),
        "position": 0,
    }


def _texts(state: ContractState) -> list[str]:
    c = state.contract
    return [c.system, c.description or "", *(f.event.text for f in state.notes)]


def sipri_columns(record: Any, release: str | None) -> dict[str, Any]:
    if record is None:
        return dict.fromkeys(SIPRI_COLUMNS) | {"sipri_release": release}
    dumped = record.model_dump()
    out: dict[str, Any] = {"sipri_" + k: v for k, v in dumped.items() if k != "key"}
    for name in ("tiv_unit", "tiv_order", "tiv_delivered", "tiv_new_unit"):
        value = out["sipri_" + name]
        out["sipri_" + name] = None if value is None else str(value)
    out["sipri_quality"] = "\n".join(record.quality)
    return out | {"sipri_release": release}


def figure_rows(stream: str, ref: str, status: Any) -> list[dict[str, Any]]:
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


def citations(state: ContractState) -> list[tuple[str, Any]]:
    seen, found = set(), []
    for name in ContractState._all_fact_fields():
        value = getattr(state, name)
        for fact in value if isinstance(value, tuple) else (value,):
            for source in fact.event.sources:
                if (fact.event_id, source.key) not in seen:
                    seen.add((fact.event_id, source.key))
                    found.append((fact.event_id, source))
    return found


def transfer_rows(state: ContractState) -> list[dict[str, Any]]:
    if state.withdrawn:
        return []
    c, record = state.contract, state.contract.sipri
    facts = {x.event_id: x.event for x in state.deliveries}
    found: dict[tuple[int, bool], dict[str, Any]] = {}
    for step in contracts.deliveries(state):
        event = facts[step.event_id]
        release = _release(event)
        y = found.setdefault(
            (step.occurred.latest.year, release is not None),
            {"delivered": 0, "split": False, "release": None},
        )
        y["delivered"] += step.increment
        y["split"] = y["split"] or event.split_estimate
        y["release"] = y["release"] or release
    keys = sorted(found, key=lambda k: (k[0], not k[1]))
    sipri = [found[k] for k in keys if k[1]]
    base = {
        "stream_id": state.stream_id,
        "ref": c.reference,
        "supplier_id": party_id(c.seller),
        "supplier": c.seller,
        "supplier_as_written": record.supplier if record else c.seller_as_written or c.seller,
        "recipient_id": party_id(c.buyer),
        "recipient": c.buyer,
        "recipient_as_written": record.recipient if record else c.buyer_as_written or c.buyer,
        "designation": c.system,
        "category": record.category if record else None,
        "sipri_deal": record is not None,
    }
    rows = []
    for n, key in enumerate(keys):
        y = found[key]
        tiv, basis = _tiv(record, y, sipri) if key[1] else (None, None)
        rows.append(
            base
            | {"seq": n, "year": key[0], "delivered": y["delivered"] or None}
            | {"tiv": None if tiv is None else _text(tiv), "tiv_basis": basis}
            | {"estimated": basis == "split", "release": y["release"], "from_sipri": key[1]}
        )
    return rows


def _tiv(record: Any, y: dict[str, Any], years: list[dict[str, Any]]) -> tuple[Any, Any]:
    if record is None:
        return None, None
    total = sum(x["delivered"] for x in years)
    held: Decimal | None = record.tiv_delivered
    if held is not None and any(x["split"] for x in years) and len(years) > 1:
        return held / len(years), "split"
    if held is not None and total > 0 and total == record.delivered:
        return held * y["delivered"] / total, "sipri"
    if record.tiv_unit is not None and y["delivered"]:
        return record.tiv_unit * y["delivered"], "unit"
    return None, None


def _date(name: str, d: FuzzyDate) -> dict[str, Any]:
    return {name: str(d), f"{name}_earliest": d.earliest, f"{name}_latest": d.latest}

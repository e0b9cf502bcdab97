"""The typed rows of a folded state: what read_tables.py holds for one stream.

Pure functions of the state (no day of the question), so incremental writes, a rebuild and
the audit's fresh fold all make the same rows from the same log.
"""

from __future__ import annotations

from functools import lru_cache
from operator import attrgetter
from typing import Any

from tracker.domain.events.contract_events import SipriRecord
from tracker.domain.figures import contracts
from tracker.domain.figures.contracts import MilestoneTrack
from tracker.domain.figures.ledger import running_totals
from tracker.domain.rules.milestone_match import Fulfilment, fulfilment
from tracker.domain.state.state import ContractState, JointVentureState, StreamState
from tracker.domain.values.date_columns import column_precision
from tracker.domain.values.dates import FuzzyDate, Precision
from tracker.domain.values.opaque_refs import opaque_sipri_id
from tracker.domain.values.sources import Source
from tracker.domain.views.standing import Standing, standing
from tracker.domain.views.status import ContractStatus
from tracker.projections.transfers import party_id, transfer_rows

Rows = dict[str, list[dict[str, Any]]]


def typed_rows(state: StreamState | None) -> Rows:
    """Rows by table name for one stream's state (empty lists when it has none)."""
    if isinstance(state, ContractState):
        return contract_rows(state)
    if isinstance(state, JointVentureState):
        return {"proj_production": production_rows(state)}
    return {}


def contract_rows(state: ContractState) -> Rows:
    stream = state.stream_id
    ref = state.contract.reference
    # Worked out once per state, each shared by several tables: the running totals, the
    # milestones and what filled them, the citations.
    steps = contracts.deliveries(state)
    tracks = contracts.milestones(state)
    filled = fulfilment(state, steps) if tracks else {}
    status = standing(state, steps, tracks, filled)
    cited = _citations(state)
    return {
        "proj_contract_status": [status_row(state, status, cited)],
        "proj_milestones": milestone_rows(state, tracks, filled),
        "proj_deliveries": [
            {
                "stream_id": stream,
                "seq": n,
                "ref": ref,
                "event_id": s.event_id,
                "occurred": (texts := _texts(d := s.occurred))[0],
                "occurred_earliest": d.earliest,
                "occurred_latest": d.latest,
                "precision": texts[1],
                "increment": s.increment,
                "total": s.total,
                "label": s.label,
            }
            for n, s in enumerate(steps)
        ],
        "proj_figures": figure_rows(stream, ref, status),
        "proj_transfers": transfer_rows(state, steps),
        "proj_sources": [
            {"stream_id": stream, "seq": n, "ref": ref, "event_id": event_id}
            | {"publisher": s.publisher, "title": s.title, "url": s.url, "published": s.published}
            for n, (event_id, s) in enumerate(cited)
        ],
    }


def status_row(
    state: ContractState,
    status: ContractStatus | Standing,
    cited: list[tuple[str, Source]] | None = None,
) -> dict[str, Any]:
    """The status row of a contract (``cited``: its ``_citations``, if worked out)."""
    c = state.contract
    if cited is None:
        cited = _citations(state)
    ref = c.reference
    signed = c.occurred
    due = status.next_milestone
    value = status.value
    estimate = status.delivered_estimate
    last = status.last_delivery
    sipri = status.sipri
    signed_text, signed_precision = _texts(signed)
    return {
        "stream_id": state.stream_id,
        "ref": ref,
        "buyer_id": party_id(c.buyer),
        "buyer": c.buyer,
        "seller_id": party_id(c.seller),
        "seller": c.seller,
        "system": c.system,
        "description": c.description,
        "signed": signed_text,
        "signed_earliest": signed.earliest,
        "signed_latest": signed.latest,
        "signed_precision": signed_precision,
        "ordered": status.ordered,
        "ordered_min": None,
        "ordered_max": None,
        "delivered": status.delivered,
        "delivered_low": None if estimate is None else estimate.low,
        "delivered_high": None if estimate is None else estimate.high,
        "delivered_as_written": None if estimate is None else estimate.as_written,
        "remaining": status.remaining,
        "unit": c.unit,
        "value_amount": None if value is None else str(value.amount),
        "value_currency": None if value is None else value.currency,
        "state": status.state,
        "next_due_label": None if due is None else due.label,
        "next_due": None if due is None else _texts(due.due)[0],
        "next_due_latest": None if due is None else due.due.latest,
        "last_delivery": None if last is None else _texts(last)[0],
        "last_delivery_latest": None if last is None else last.latest,
        "cancelled": contracts.cancellation(state) is not None,
        "source_count": len({s.key for _, s in cited}),
        "sipri_id": (sipri and sipri.key) or opaque_sipri_id(ref),
        **sipri_columns(sipri, status.sipri_release),
        "search_text": search_text(state),
        "position": 0,  # set by the writer: the stream's last position
    }


def sipri_columns(record: SipriRecord | None, release: str | None) -> dict[str, Any]:
    """SIPRI's record as sipri_* columns (all None for a hand-logged deal)."""
    if record is None:
        return dict.fromkeys(SIPRI_COLUMNS) | {"sipri_release": release}
    # Read field by field: the same values as model_dump() (plain ones), a tenth of its time.
    out: dict[str, Any] = dict(zip(SIPRI_COLUMNS, _sipri_values(record), strict=True))
    for column in _TIV_COLUMNS:
        if (value := out[column]) is not None:
            out[column] = str(value)
    out["sipri_quality"] = "\n".join(record.quality)
    out["sipri_release"] = release
    return out


#: The columns of a SIPRI record: SipriRecord's fields, prefixed, but its key (which has no
#: column of its own: it is the row's sipri_id).
_SIPRI_FIELDS = tuple(("sipri_" + name, name) for name in SipriRecord.model_fields if name != "key")
SIPRI_COLUMNS = tuple(column for column, _ in _SIPRI_FIELDS)
_sipri_values = attrgetter(*(name for _, name in _SIPRI_FIELDS))
_TIV_COLUMNS = ("sipri_tiv_unit", "sipri_tiv_order", "sipri_tiv_delivered", "sipri_tiv_new_unit")


def milestone_rows(
    state: ContractState,
    tracks: list[MilestoneTrack] | None = None,
    filled: dict[str, Fulfilment] | None = None,
) -> list[dict[str, Any]]:
    """The milestone rows; ``tracks`` and ``filled``: its ``milestones`` and their
    ``fulfilment``, if worked out already."""
    if tracks is None:
        tracks = contracts.milestones(state)
    if filled is None:
        filled = fulfilment(state)
    rows = []
    for n, t in enumerate(tracks):
        got = filled[t.label]
        due, original, completed = t.due, t.original_due, got.completed
        rows.append(
            {
                "stream_id": state.stream_id,
                "seq": n,
                "ref": state.contract.reference,
                "label": t.label,
                "quantity": t.quantity,
                "due": _texts(due)[0],
                "due_earliest": due.earliest,
                "due_latest": due.latest,
                "original_due": _texts(original)[0],
                "original_due_latest": original.latest,
                "delivered": None if completed is None else _texts(completed)[0],
                "delivered_latest": None if completed is None else completed.latest,
                "delivered_quantity": got.quantity,
            }
        )
    return rows


def figure_rows(stream: str, ref: str, status: ContractStatus | Standing) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"stream_id": stream, "ref": ref, "kind": "value", "amount": str(r.value.amount)}
        | {"currency": r.value.currency, "quantity": None, "sources": r.sources, "seq": n}
        for n, r in enumerate(status.value_reports)
    ]
    rows += [
        {"stream_id": stream, "ref": ref, "kind": "quantity", "amount": None, "currency": None}
        | {"quantity": r.quantity, "sources": r.sources, "seq": n}
        for n, r in enumerate(status.quantity_reports, start=len(rows))
    ]
    return rows


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
    parts = [c.system, c.description or "", *[f.event.text for f in state.notes]]
    return "\n".join([p for p in parts if p])


def _citations(state: ContractState) -> list[tuple[str, Source]]:
    """Each (event, source) the contract's live facts cite, once, in fact order."""
    seen: set[tuple[str, str]] = set()
    found = []
    for name in _CONTRACT_FACTS:
        value = getattr(state, name)
        for fact in value if isinstance(value, tuple) else (value,):
            event_id = fact.event_id
            for source in fact.event.sources:
                if (cite := (event_id, source.key)) not in seen:
                    seen.add(cite)
                    found.append((event_id, source))
    return found


_CONTRACT_FACTS = ContractState._all_fact_fields()


def _texts(d: FuzzyDate) -> tuple[str, str]:
    """``str(d)`` and ``column_precision(d)``, worked out once per date value (a register's
    dates are a few hundred years, each written thousands of times)."""
    if d.precision is Precision.UNKNOWN:
        # Every undated date equals every other (see FuzzyDate): not a key for its mark.
        return str(d), column_precision(d)
    return _known_texts(d)


@lru_cache(maxsize=8192)
def _known_texts(d: FuzzyDate) -> tuple[str, str]:
    # Keyed on the date's value: FuzzyDate.__eq__ compares every field both texts read
    # (precision, earliest, inner, end, mark, after), and neither reads the note.
    return str(d), column_precision(d)

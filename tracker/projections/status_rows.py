"""Contract statuses built from the typed tables' rows, as contract_status gives them.

Only what depends on the day of the question is worked out here: overdue milestones (those
not delivered, of a contract not cancelled, due before the day) and the percent delivered.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from tracker.domain.events.contract_events import SipriRecord
from tracker.domain.values.dates import FuzzyDate
from tracker.domain.values.estimates import Estimate, Tally
from tracker.domain.values.money import Money
from tracker.domain.values.opaque_refs import opaque_sipri_id
from tracker.domain.views.status import (
    ContractStatus,
    NextMilestone,
    QuantityReport,
    ValueReport,
    _percent,
    _ranges,
)
from tracker.projections.read_tables import FIGURES, MILESTONES, PRODUCTION, STATUS

#: Contracts whose figures, production and overdue milestones are read in one query.
CHUNK = 500


def statuses(conn: Connection, rows: Sequence[Any], today: date) -> list[ContractStatus]:
    """The statuses the status rows ``rows`` hold, on the day ``today``."""
    extra = _Extras(conn, [r.ref for r in rows], today)
    keys = list(rows[0]._fields) if rows else []
    return [_status(dict(zip(keys, r, strict=True)), extra, today) for r in rows]


class _Extras:
    """Per contract: figures reported, production, overdue milestones on the day."""

    def __init__(self, conn: Connection, refs: list[str], today: date) -> None:
        self.figures: dict[str, list[Any]] = defaultdict(list)
        self.produced: dict[str, Tally] = {}
        self.overdue: dict[str, int] = {}
        for start in range(0, len(refs), CHUNK):
            self._read(conn, refs[start : start + CHUNK], today)

    def _read(self, conn: Connection, refs: list[str], today: date) -> None:
        f, p, m = FIGURES.c, PRODUCTION.c, MILESTONES.c
        for row in conn.execute(select(FIGURES).where(f.ref.in_(refs)).order_by(f.ref, f.seq)):
            self.figures[row.ref].append(row)
        last: dict[tuple[str, str], Tally] = {}
        query = select(p.stream_id, p.contract, p.total, p.total_low, p.total_high)
        query = query.add_columns(p.total_as_written).where(p.contract.in_(refs))
        for row in conn.execute(query.order_by(p.stream_id, p.seq)):
            last[(row.stream_id, row.contract)] = Tally(*row[2:])
        for (_, contract), total in last.items():
            before = self.produced.get(contract)
            self.produced[contract] = total if before is None else before.plus(total)
        late = (
            select(m.ref, func.count())
            .join(STATUS, STATUS.c.stream_id == m.stream_id)
            .where(m.ref.in_(refs), m.delivered.is_(None), m.due_latest < today)
            .where(STATUS.c.cancelled.is_(False))
            .group_by(m.ref)
        )
        self.overdue.update((ref, n) for ref, n in conn.execute(late))


def _status(row: dict[str, Any], extra: _Extras, today: date) -> ContractStatus:
    """The status a row (a dict of the status table's columns) holds, as contract_status
    gives it."""
    m = row
    ref = m["ref"]
    figures = extra.figures.get(ref, ())
    values = tuple(
        ValueReport(value=_money(f.amount, f.currency), sources=f.sources)
        for f in figures
        if f.kind == "value"
    )
    produced = extra.produced.get(ref)
    due = m["next_due_label"]
    return ContractStatus(
        **{k: m[k] for k in _PLAIN},
        signed=_date(m["signed"]),
        produced=None if produced is None else produced.best,
        percent=_percent(m["delivered"], m["ordered"]),
        value=_money(m["value_amount"], m["value_currency"]),
        value_reports=values,
        value_range=_ranges(r.value for r in values),
        quantity_reports=tuple(
            QuantityReport(quantity=f.quantity, sources=f.sources)
            for f in figures
            if f.kind == "quantity"
        ),
        last_delivery=_parsed(m["last_delivery"]),
        next_milestone=None if due is None else NextMilestone(label=due, due=_date(m["next_due"])),
        overdue_milestones=extra.overdue.get(ref, 0),
        as_of=today,
        delivered_estimate=_estimate(m, "delivered"),
        produced_estimate=None if produced is None else produced.estimate(),
        sipri=_sipri(m),
        sipri_release=m["sipri_release"],
    )


#: Status fields held as they are in a column of the same name.
_PLAIN: tuple[str, ...] = ("ref", "system", "description", "buyer", "seller", "ordered")
_PLAIN += ("delivered", "remaining", "unit", "state")
_TIVS = ("tiv_unit", "tiv_order", "tiv_delivered", "tiv_new_unit")


@lru_cache(maxsize=4096)
def _money(amount: str | None, currency: str | None) -> Money | None:
    return None if amount is None else Money(amount=Decimal(amount), currency=currency)


def _estimate(m: dict[str, Any], name: str) -> Estimate | None:
    if m[f"{name}_as_written"] is None:
        return None
    return Estimate(
        best=m[name],
        low=m[f"{name}_low"],
        high=m[f"{name}_high"],
        as_written=m[f"{name}_as_written"],
    )


def _sipri(m: dict[str, Any]) -> SipriRecord | None:
    """SIPRI's record from the sipri_* columns (derive.sipri_columns), None if it has none."""
    if m["sipri_supplier"] is None:
        return None
    fields = {name: m["sipri_" + name] for name in SipriRecord.model_fields if name != "key"}
    # The key is held as sipri_id; a contract that stores none has its ref's form there.
    fields["key"] = None if m["sipri_id"] == opaque_sipri_id(m["ref"]) else m["sipri_id"]
    fields["quality"] = tuple(fields["quality"].split("\n")) if fields["quality"] else ()
    for name in _TIVS:
        if fields[name] is not None:
            fields[name] = Decimal(fields[name])
    return SipriRecord(**fields)


def _parsed(text: str | None) -> FuzzyDate | None:
    return None if text is None else _date(text)


@lru_cache(maxsize=8192)
def _date(text: str) -> FuzzyDate:
    # Dates repeat (SIPRI's are years): parse each text once. FuzzyDate is immutable.
    return FuzzyDate.parse(text)

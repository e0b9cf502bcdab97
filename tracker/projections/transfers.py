"""Transfers as a typed table: one row per deal per delivery year, in SIPRI's volume (TIV).

Written beside the other typed tables (read_tables.py), from the same folded state, in the
same transaction, and rebuilt and audited with them. A year's TIV is worked out once, here:

* ``sipri``: the deal's delivered TIV (SIPRI's figure) shared out by the yearly numbers
  SIPRI gives; SIPRI's yearly TIV is the number times one unit value, so this gives back
  its own yearly figures (to its rounding of a hundredth) without rounding the unit value;
* ``split``: the register gives a total over several years: the delivered TIV split evenly
  over the years listed, marked ``estimated``;
* ``unit``: the unit TIV times the number, when the delivered TIV is missing or does not
  fit the numbers held;
* None: no TIV is known (a hand-logged deal, a delivery of unknown size).

``from_sipri`` says a row's deliveries were reported by a SIPRI release (they count in
SIPRI's measure); deliveries logged from other sources are kept apart, never mixed in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import Boolean, Column, Float, Index, Integer, String, cast, func, select
from sqlalchemy.engine import Engine
from sqlmodel import Field, SQLModel

from tracker.domain.events.contract_events import DeliveryRecorded, SipriRecord
from tracker.domain.figures.contracts import deliveries
from tracker.domain.figures.ledger import Step
from tracker.domain.state.state import ContractState, Fact
from tracker.domain.values.parties import party_id as _party_id
from tracker.domain.views.trends import Transfer, World
from tracker.store.errors import translate_db_error

_CENT = Decimal("0.0001")
#: A party's id (pure), worked out once per name: a register names a few hundred parties.
party_id = lru_cache(maxsize=4096)(_party_id)
_RELEASE_TITLE = "SIPRI Arms Transfers Database"


class TransferRow(SQLModel, table=True):
    """What a deal delivered in one year: parties, system, number and SIPRI TIV."""

    __tablename__ = "proj_transfers"
    __table_args__ = (
        Index("ix_proj_transfers_recipient", "recipient_id", "year"),
        Index("ix_proj_transfers_supplier", "supplier_id", "year"),
    )

    stream_id: str = Field(sa_column=Column(String(200), primary_key=True))
    seq: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    ref: str = Field(sa_column=Column(String(200), nullable=False))
    supplier_id: str = Field(sa_column=Column(String(200), nullable=False))
    supplier: str = Field(sa_column=Column(String(200), nullable=False))
    supplier_as_written: str = Field(sa_column=Column(String(200), nullable=False))
    recipient_id: str = Field(sa_column=Column(String(200), nullable=False))
    recipient: str = Field(sa_column=Column(String(200), nullable=False))
    recipient_as_written: str = Field(sa_column=Column(String(200), nullable=False))
    designation: str = Field(sa_column=Column(String(200), nullable=False))
    category: str | None = Field(sa_column=Column(String(100), nullable=True))
    year: int = Field(sa_column=Column(Integer, nullable=False))
    delivered: int | None = Field(sa_column=Column(Integer, nullable=True))
    # Exact decimal text in millions of TIV (a volume, never money); None: not known.
    tiv: str | None = Field(sa_column=Column(String(40), nullable=True))
    tiv_basis: str | None = Field(sa_column=Column(String(10), nullable=True))
    estimated: bool = Field(sa_column=Column(Boolean, nullable=False))
    release: str | None = Field(sa_column=Column(String(300), nullable=True))
    sipri_deal: bool = Field(sa_column=Column(Boolean, nullable=False))
    from_sipri: bool = Field(sa_column=Column(Boolean, nullable=False))


TRANSFERS = TransferRow.__table__  # type: ignore[attr-defined]


@dataclass(slots=True)
class _Year:
    """The deliveries of one year from one kind of source, gathered."""

    year: int
    from_sipri: bool
    delivered: int = 0
    split: bool = False
    release: str | None = None


def transfer_rows(state: ContractState, steps: list[Step] | None = None) -> list[dict[str, Any]]:
    """The rows of one contract, by year (SIPRI's deliveries before others in a year);
    ``steps``: its ``deliveries(state)``, if worked out already."""
    if state.withdrawn:
        return []
    c = state.contract
    record = c.sipri
    years = _years(state, deliveries(state) if steps is None else steps)
    if not years:
        return []
    sipri_years = [y for y in years if y.from_sipri]
    total = sum(x.delivered for x in sipri_years)
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
    for n, y in enumerate(years):
        tiv, basis = _tiv(record, y, sipri_years, total) if y.from_sipri else (None, None)
        rows.append(
            {
                **base,
                "seq": n,
                "year": y.year,
                "delivered": y.delivered or None,
                "tiv": None if tiv is None else _text(tiv),
                "tiv_basis": basis,
                "estimated": basis == "split",
                "release": y.release,
                "from_sipri": y.from_sipri,
            }
        )
    return rows


def _years(state: ContractState, steps: list[Step]) -> list[_Year]:
    if not steps:
        return []
    facts: dict[str, Fact[DeliveryRecorded]] = {f.event_id: f for f in state.deliveries}
    found: dict[tuple[int, bool], _Year] = {}
    for step in steps:
        event = facts[step.event_id].event
        release = _release(event)
        key = (step.occurred.latest.year, release is not None)
        y = found.get(key)
        if y is None:
            y = found[key] = _Year(*key)
        y.delivered += step.increment
        y.split = y.split or event.split_estimate
        y.release = y.release or release
    if len(found) == 1:
        return list(found.values())
    # SIPRI's rows first within a year: sorted on (year, not from SIPRI).
    return [found[k] for k in sorted(found, key=lambda k: (k[0], not k[1]))]


def _release(event: DeliveryRecorded) -> str | None:
    """The SIPRI release the delivery cites, if it comes from one."""
    for s in event.sources:
        if s.publisher == "SIPRI" and (s.title or "").startswith(_RELEASE_TITLE):
            return s.title
    return None


def _tiv(
    record: SipriRecord | None, y: _Year, years: list[_Year], total: int
) -> tuple[Decimal | None, str | None]:
    """A SIPRI year's TIV and its basis; ``years``: the SIPRI years, ``total``: what they
    delivered."""
    if record is None:
        return None, None
    held = record.tiv_delivered
    if held is not None and any(x.split for x in years) and len(years) > 1:
        return held / len(years), "split"
    if held is not None and total > 0 and total == record.delivered:
        return held * y.delivered / total, "sipri"
    if record.tiv_unit is not None and y.delivered:
        return record.tiv_unit * y.delivered, "unit"
    return None, None


def _text(value: Decimal) -> str:
    """Exact enough (a ten-thousandth of a million TIV) and the same text on every path."""
    return format(value.quantize(_CENT).normalize(), "f") if value else "0"


_READ = (
    *("ref", "supplier", "recipient", "supplier_id", "recipient_id", "designation"),
    *("category", "year", "delivered", "tiv", "estimated", "release", "from_sipri"),
)


def as_transfer(values: tuple[Any, ...]) -> Transfer:
    """A row's ``_READ`` columns, in that order, as the plain record trends reads."""
    (ref, supplier, recipient, supplier_id, recipient_id, designation) = values[:6]
    category, year, delivered, tiv, estimated, release, from_sipri = values[6:]
    return Transfer(
        ref,
        supplier,
        recipient,
        supplier_id,
        recipient_id,
        designation,
        category,
        year,
        delivered,
        None if tiv is None else Decimal(tiv),
        bool(estimated),
        release,
        bool(from_sipri),
    )


def folded_transfers(states: Iterable[ContractState]) -> list[Transfer]:
    """The transfers of folded states (for --known-at): the rows the table would hold."""
    return [as_transfer(tuple(r[n] for n in _READ)) for s in states for r in transfer_rows(s)]


def stored_transfers(
    engine: Engine, *, recipient_id: str | None = None, supplier_id: str | None = None
) -> list[Transfer]:
    """The rows of the table (only a recipient's or a supplier's, when named), as plain
    records, in one query of plain tuples."""
    t = TRANSFERS
    query = select(*(t.c[n] for n in _READ)).order_by(t.c.stream_id, t.c.seq)
    if recipient_id is not None:
        query = query.where(t.c.recipient_id == recipient_id)
    if supplier_id is not None:
        query = query.where(t.c.supplier_id == supplier_id)
    with translate_db_error(), engine.connect() as conn:
        return [as_transfer(tuple(r)) for r in conn.execute(query)]


def stored_world(engine: Engine, system: str | None, category: str | None) -> World:
    """The world's SIPRI volume per year, summed in SQL under --system and --category
    (their meaning as ``trends.matches``), and the last year with SIPRI deliveries.

    Summed as floats (SQLite has no exact decimal): a world total is only ever a
    denominator, and a float's error is a million times below the tenth of a percent shown.
    """
    t = TRANSFERS
    sipri = t.c.from_sipri.is_(True)
    volume = select(t.c.year, func.sum(cast(t.c.tiv, Float))).where(sipri, t.c.tiv.is_not(None))
    if system:
        volume = volume.where(func.lower(t.c.designation).contains(system.lower(), autoescape=True))
    if category:
        volume = volume.where(func.lower(t.c.category) == category.lower())
    with translate_db_error(), engine.connect() as conn:
        last = conn.execute(select(func.max(t.c.year)).where(sipri)).scalar()
        rows = conn.execute(volume.group_by(t.c.year)).all()
    return World({year: Decimal(f"{total:.4f}") for year, total in rows}, last)

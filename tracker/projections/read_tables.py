"""Read models as typed tables: one row per contract, milestone, delivery, production report,
reported figure and cited source, any SQL tool can query them.

They are written beside the folded states (tables.py) in the same transaction, from the
same states, and rebuilt with them. A fuzzy date is four columns: its canonical text
(``parse(text)`` gives it back exactly), its earliest and latest possible day and its
precision. Money amounts are exact decimal text beside an ISO 4217 currency, never floats.
What depends on the day of the question (overdue, percent done) is worked out when read.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Boolean, Column, Date, Index, Integer, String, Text
from sqlmodel import Field, SQLModel

from tracker.projections.transfers import TRANSFERS


def _text(length: int, *, null: bool = False, index: bool = False) -> Column:
    return Column(String(length), nullable=null, index=index)


def _int(*, null: bool = False) -> Column:
    return Column(Integer, nullable=null)


def _bool() -> Column:
    return Column(Boolean, nullable=True)


def _day(*, null: bool = True, index: bool = False) -> Column:
    return Column(Date, nullable=null, index=index)


class ContractStatusRow(SQLModel, table=True):
    """A contract as it stands: parties, system, signing, quantities, value, next milestone."""

    __tablename__ = "proj_contract_status"
    __table_args__ = (Index("ix_proj_contract_status_signed", "signed_earliest", "signed_latest"),)

    stream_id: str = Field(sa_column=Column(String(200), primary_key=True))
    ref: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    buyer_id: str = Field(sa_column=_text(200, index=True))
    buyer: str = Field(sa_column=_text(200))
    seller_id: str = Field(sa_column=_text(200, index=True))
    seller: str = Field(sa_column=_text(200))
    system: str = Field(sa_column=_text(200, index=True))
    description: str | None = Field(sa_column=Column(Text, nullable=True))
    signed: str = Field(sa_column=_text(100))
    signed_earliest: date | None = Field(sa_column=_day())
    signed_latest: date = Field(sa_column=_day(null=False))
    signed_precision: str = Field(sa_column=_text(30))
    ordered: int | None = Field(sa_column=_int(null=True))
    ordered_min: int | None = Field(sa_column=_int(null=True))
    ordered_max: int | None = Field(sa_column=_int(null=True))
    delivered: int = Field(sa_column=_int())
    # Bounds and printed form of delivered when a report was not exact ('~48,000'); the
    # printed form is None when delivered is exact.
    delivered_low: int | None = Field(sa_column=_int(null=True))
    delivered_high: int | None = Field(sa_column=_int(null=True))
    delivered_as_written: str | None = Field(sa_column=_text(200, null=True))
    remaining: int | None = Field(sa_column=_int(null=True))
    unit: str = Field(sa_column=_text(200))
    value_amount: str | None = Field(sa_column=_text(60, null=True))
    value_currency: str | None = Field(sa_column=_text(3, null=True))
    state: str = Field(sa_column=_text(20, index=True))
    next_due_label: str | None = Field(sa_column=_text(200, null=True))
    next_due: str | None = Field(sa_column=_text(100, null=True))
    next_due_latest: date | None = Field(sa_column=_day())
    last_delivery: str | None = Field(sa_column=_text(100, null=True))
    last_delivery_latest: date | None = Field(sa_column=_day())
    cancelled: bool = Field(sa_column=Column(Boolean, nullable=False))
    source_count: int = Field(sa_column=_int())
    sipri_id: str | None = Field(sa_column=_text(100, null=True, index=True))
    # SIPRI's record of the deal (None for a hand-logged one): its spellings, markers, TIVs
    # (exact decimal text, millions) and quality flags (one per line), and its release.
    sipri_deal_id: int | None = Field(sa_column=_int(null=True))
    sipri_supplier: str | None = Field(sa_column=_text(200, null=True))
    sipri_recipient: str | None = Field(sa_column=_text(200, null=True))
    sipri_order_year_estimate: bool | None = Field(sa_column=_bool())
    sipri_ordered_estimate: bool | None = Field(sa_column=_bool())
    sipri_delivered: int | None = Field(sa_column=_int(null=True))
    sipri_delivered_estimate: bool | None = Field(sa_column=_bool())
    sipri_status: str | None = Field(sa_column=_text(100, null=True))
    sipri_tiv_unit: str | None = Field(sa_column=_text(40, null=True))
    sipri_tiv_order: str | None = Field(sa_column=_text(40, null=True))
    sipri_tiv_delivered: str | None = Field(sa_column=_text(40, null=True))
    sipri_tiv_new_unit: str | None = Field(sa_column=_text(40, null=True))
    sipri_category: str | None = Field(sa_column=_text(100, null=True))
    sipri_local_production: bool | None = Field(sa_column=_bool())
    sipri_quality: str | None = Field(sa_column=Column(Text, nullable=True))
    sipri_release: str | None = Field(sa_column=_text(300, null=True))
    search_text: str = Field(sa_column=Column(Text, nullable=False))
    position: int = Field(sa_column=Column(BigInteger, nullable=False))


class MilestoneRow(SQLModel, table=True):
    """One milestone of a contract: the plan (current and first due date) against the actual."""

    __tablename__ = "proj_milestones"
    __table_args__ = (Index("ix_proj_milestones_due", "delivered_latest", "due_latest"),)

    stream_id: str = Field(sa_column=Column(String(200), primary_key=True))
    seq: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    ref: str = Field(sa_column=_text(200, index=True))
    label: str = Field(sa_column=_text(200))
    quantity: int = Field(sa_column=_int())
    due: str = Field(sa_column=_text(100))
    due_earliest: date | None = Field(sa_column=_day())
    due_latest: date = Field(sa_column=_day(null=False))
    original_due: str = Field(sa_column=_text(100))
    original_due_latest: date = Field(sa_column=_day(null=False))
    delivered: str | None = Field(sa_column=_text(100, null=True))
    delivered_latest: date | None = Field(sa_column=_day())
    delivered_quantity: int = Field(sa_column=_int())


class DeliveryRow(SQLModel, table=True):
    """One delivery of a contract in world order, at its corrected date, with the total after."""

    __tablename__ = "proj_deliveries"

    stream_id: str = Field(sa_column=Column(String(200), primary_key=True))
    seq: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    ref: str = Field(sa_column=_text(200, index=True))
    event_id: str = Field(sa_column=_text(36))
    occurred: str = Field(sa_column=_text(100))
    occurred_earliest: date | None = Field(sa_column=_day())
    occurred_latest: date = Field(sa_column=_day(null=False, index=True))
    precision: str = Field(sa_column=_text(30))
    increment: int = Field(sa_column=_int())
    total: int = Field(sa_column=_int())
    label: str | None = Field(sa_column=_text(200, null=True))


class ProductionRow(SQLModel, table=True):
    """One production report of a joint venture for a contract, with the running total."""

    __tablename__ = "proj_production"

    stream_id: str = Field(sa_column=Column(String(200), primary_key=True))
    seq: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    joint_venture: str = Field(sa_column=_text(200))
    contract: str = Field(sa_column=_text(200, index=True))
    event_id: str = Field(sa_column=_text(36))
    occurred: str = Field(sa_column=_text(100))
    occurred_latest: date = Field(sa_column=_day(null=False))
    increment: int = Field(sa_column=_int())
    total: int = Field(sa_column=_int())
    # The running total's bounds and printed form when a report was not exact.
    total_low: int | None = Field(sa_column=_int(null=True))
    total_high: int | None = Field(sa_column=_int(null=True))
    total_as_written: str | None = Field(sa_column=_text(200, null=True))


class FigureRow(SQLModel, table=True):
    """One distinct value or quantity sources gave for a contract, and how many gave it."""

    __tablename__ = "proj_figures"

    stream_id: str = Field(sa_column=Column(String(200), primary_key=True))
    seq: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    ref: str = Field(sa_column=_text(200, index=True))
    kind: str = Field(sa_column=_text(10))  # 'value' or 'quantity'
    amount: str | None = Field(sa_column=_text(60, null=True))
    currency: str | None = Field(sa_column=_text(3, null=True))
    quantity: int | None = Field(sa_column=_int(null=True))
    sources: int = Field(sa_column=_int())


class SourceRow(SQLModel, table=True):
    """One source cited by a live fact of a contract (each fact and source once)."""

    __tablename__ = "proj_sources"

    stream_id: str = Field(sa_column=Column(String(200), primary_key=True))
    seq: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    ref: str = Field(sa_column=_text(200, index=True))
    event_id: str = Field(sa_column=_text(36))
    publisher: str | None = Field(sa_column=Column(Text, nullable=True))
    title: str | None = Field(sa_column=Column(Text, nullable=True))
    url: str | None = Field(sa_column=Column(Text, nullable=True))
    published: date | None = Field(sa_column=_day())


STATUS = ContractStatusRow.__table__  # type: ignore[attr-defined]
MILESTONES = MilestoneRow.__table__  # type: ignore[attr-defined]
DELIVERIES = DeliveryRow.__table__  # type: ignore[attr-defined]
PRODUCTION = ProductionRow.__table__  # type: ignore[attr-defined]
FIGURES = FigureRow.__table__  # type: ignore[attr-defined]
SOURCES = SourceRow.__table__  # type: ignore[attr-defined]

#: The typed tables each state projection writes (by projection name).
TYPED_TABLES = {
    "contracts": (STATUS, MILESTONES, DELIVERIES, FIGURES, SOURCES, TRANSFERS),
    "joint_ventures": (PRODUCTION,),
}

"""The events table.

Dates and times are stored as canonical ISO text (``2021-12-06``,
``2021-12-06T10:00:00.123456Z``): identical bytes on SQLite and PostgreSQL, ordered
correctly as text, and hashed exactly as stored, so no driver can reformat a value
behind the hash chain's back.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

# Deterministic constraint names, so Alembic autogenerate sees no drift on either engine.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: The Alembic revision this code expects; checked without importing Alembic.
SCHEMA_REVISION = "0011"

# INTEGER PRIMARY KEY makes the position SQLite's rowid; BIGINT on PostgreSQL.
PositionType = BigInteger().with_variant(Integer(), "sqlite")


class EventRow(SQLModel, table=True):
    """One stored event. Written only by EventStore.append; never updated or deleted."""

    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("stream_id", "stream_version"),
        Index("ix_events_event_type", "event_type"),
    )

    position: int = Field(sa_column=Column(PositionType, primary_key=True, autoincrement=False))
    event_id: str = Field(sa_column=Column(String(36), nullable=False, unique=True))
    stream_id: str = Field(sa_column=Column(String(200), nullable=False))
    stream_version: int = Field(sa_column=Column(Integer, nullable=False))
    event_type: str = Field(sa_column=Column(String(100), nullable=False))
    schema_version: int = Field(sa_column=Column(Integer, nullable=False))
    occurred_precision: str = Field(sa_column=Column(String(16), nullable=False))
    occurred_start: str | None = Field(default=None, sa_column=Column(String(10)))
    occurred_end: str = Field(sa_column=Column(String(10), nullable=False))
    recorded_at: str = Field(sa_column=Column(String(27), nullable=False))
    payload: str = Field(sa_column=Column(Text, nullable=False))
    meta: str = Field(sa_column=Column("metadata", Text, nullable=False))
    prev_hash: str = Field(sa_column=Column(String(64), nullable=False))
    hash: str = Field(sa_column=Column(String(64), nullable=False))


events_table = EventRow.__table__  # type: ignore[attr-defined]

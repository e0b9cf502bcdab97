"""Read-model tables of the projections (registered on SQLModel.metadata).

Unlike ``events``, these tables are disposable: ``tracker projections rebuild`` empties them
and replays the log. Each projection folds the streams of one kind into their current state
(kept as JSON, with a few columns beside it), which the write path and most views read;
contracts and joint ventures are also kept as typed tables (read_tables.py) that the
status view and any SQL tool query.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Integer, String, Text
from sqlmodel import Field, SQLModel


class CheckpointRow(SQLModel, table=True):
    """How far each projection has applied the log, and which version of its code did it."""

    __tablename__ = "projection_checkpoints"

    name: str = Field(sa_column=Column(String(50), primary_key=True))
    position: int = Field(sa_column=Column(BigInteger, nullable=False))
    version: int = Field(sa_column=Column(Integer, nullable=False))
    updated_at: str = Field(sa_column=Column(String(27), nullable=False))


class ContractRow(SQLModel, table=True):
    """A contract's folded state: signing, amendments, figures, schedule, deliveries, notes."""

    __tablename__ = "proj_contracts"

    stream_id: str = Field(sa_column=Column(String(200), primary_key=True))
    system: str = Field(sa_column=Column(String(200), nullable=False))
    buyer: str = Field(sa_column=Column(String(200), nullable=False, index=True))
    seller: str = Field(sa_column=Column(String(200), nullable=False, index=True))
    position: int = Field(sa_column=Column(BigInteger, nullable=False))
    state: str = Field(sa_column=Column(Text, nullable=False))


class JointVentureRow(SQLModel, table=True):
    """A joint venture's folded state: partners, shares, production reports."""

    __tablename__ = "proj_joint_ventures"

    stream_id: str = Field(sa_column=Column(String(200), primary_key=True))
    name: str = Field(sa_column=Column(String(200), nullable=False))
    position: int = Field(sa_column=Column(BigInteger, nullable=False))
    state: str = Field(sa_column=Column(Text, nullable=False))


class AgreementRow(SQLModel, table=True):
    """An agreement's folded state: parties, validity window, extensions."""

    __tablename__ = "proj_agreements"

    stream_id: str = Field(sa_column=Column(String(200), primary_key=True))
    title: str = Field(sa_column=Column(String(500), nullable=False))
    position: int = Field(sa_column=Column(BigInteger, nullable=False))
    state: str = Field(sa_column=Column(Text, nullable=False))


class TopicRow(SQLModel, table=True):
    """Notes on a topic that is not a contract, joint venture or agreement (topic:caatsa)."""

    __tablename__ = "proj_topics"

    stream_id: str = Field(sa_column=Column(String(200), primary_key=True))
    position: int = Field(sa_column=Column(BigInteger, nullable=False))
    state: str = Field(sa_column=Column(Text, nullable=False))


# The typed read models live beside these; importing this module registers them all.
import tracker.projections.read_tables  # noqa: E402, F401

"""Transfers: one row per deal per delivery year, with SIPRI's TIV (projections/transfers.py).

The contracts projection moves to version 3 in the code, so the first catch-up after this
migration rebuilds it and fills the table from the log.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "proj_transfers",
        sa.Column("stream_id", sa.String(length=200), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("ref", sa.String(length=200), nullable=False),
        sa.Column("supplier_id", sa.String(length=200), nullable=False),
        sa.Column("supplier", sa.String(length=200), nullable=False),
        sa.Column("supplier_as_written", sa.String(length=200), nullable=False),
        sa.Column("recipient_id", sa.String(length=200), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("recipient_as_written", sa.String(length=200), nullable=False),
        sa.Column("designation", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("delivered", sa.Integer(), nullable=True),
        sa.Column("tiv", sa.String(length=40), nullable=True),
        sa.Column("tiv_basis", sa.String(length=10), nullable=True),
        sa.Column("estimated", sa.Boolean(), nullable=False),
        sa.Column("release", sa.String(length=300), nullable=True),
        sa.Column("sipri_deal", sa.Boolean(), nullable=False),
        sa.Column("from_sipri", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("stream_id", "seq", name=op.f("pk_proj_transfers")),
    )
    with op.batch_alter_table("proj_transfers", schema=None) as batch_op:
        batch_op.create_index("ix_proj_transfers_recipient", ["recipient_id", "year"], unique=False)
        batch_op.create_index("ix_proj_transfers_supplier", ["supplier_id", "year"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("proj_transfers", schema=None) as batch_op:
        batch_op.drop_index("ix_proj_transfers_supplier")
        batch_op.drop_index("ix_proj_transfers_recipient")
    op.drop_table("proj_transfers")

"""Estimates and SIPRI's record on the typed tables: delivered's bounds and printed form on
proj_contract_status, the running total's on proj_production, and the sipri_* columns.

Columns are only added (ALTER TABLE ... ADD COLUMN on both engines), so SQLite keeps the
full-text triggers of 0006 on proj_contract_status. The contracts and joint-ventures
projections move to versions 4 and 3 in the code, so the first catch-up after this
migration rebuilds them and fills the new columns from the log.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _status_columns() -> list[sa.Column]:
    def text(name: str, length: int) -> sa.Column:
        return sa.Column(name, sa.String(length=length), nullable=True)

    def integer(name: str) -> sa.Column:
        return sa.Column(name, sa.Integer(), nullable=True)

    def flag(name: str) -> sa.Column:
        return sa.Column(name, sa.Boolean(), nullable=True)

    return [
        integer("delivered_low"),
        integer("delivered_high"),
        text("delivered_as_written", 200),
        integer("sipri_deal_id"),
        text("sipri_supplier", 200),
        text("sipri_recipient", 200),
        flag("sipri_order_year_estimate"),
        flag("sipri_ordered_estimate"),
        integer("sipri_delivered"),
        flag("sipri_delivered_estimate"),
        text("sipri_status", 100),
        text("sipri_tiv_unit", 40),
        text("sipri_tiv_order", 40),
        text("sipri_tiv_delivered", 40),
        text("sipri_tiv_new_unit", 40),
        text("sipri_category", 100),
        flag("sipri_local_production"),
        sa.Column("sipri_quality", sa.Text(), nullable=True),
        text("sipri_release", 300),
    ]


def _production_columns() -> list[sa.Column]:
    return [
        sa.Column("total_low", sa.Integer(), nullable=True),
        sa.Column("total_high", sa.Integer(), nullable=True),
        sa.Column("total_as_written", sa.String(length=200), nullable=True),
    ]


def upgrade() -> None:
    for column in _status_columns():
        op.add_column("proj_contract_status", column)
    for column in _production_columns():
        op.add_column("proj_production", column)


def downgrade() -> None:
    # DROP COLUMN (SQLite 3.35+) leaves the table, and so 0006's triggers, in place.
    for column in reversed(_production_columns()):
        op.drop_column("proj_production", column.name)
    for column in reversed(_status_columns()):
        op.drop_column("proj_contract_status", column.name)

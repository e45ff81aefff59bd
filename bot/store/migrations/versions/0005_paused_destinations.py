"""Destinations remember the platform's refusals, and are paused after a few in a row.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add destinations.refusals, paused_at and paused_reason; every channel starts unpaused."""
    with op.batch_alter_table("destinations") as table:
        table.add_column(
            sa.Column("refusals", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
        table.add_column(sa.Column("paused_at", sa.DateTime(timezone=True), nullable=True))
        table.add_column(sa.Column("paused_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    """Drop the columns again."""
    with op.batch_alter_table("destinations") as table:
        table.drop_column("paused_reason")
        table.drop_column("paused_at")
        table.drop_column("refusals")

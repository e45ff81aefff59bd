"""Channels choose how scheduled digests are laid out: one message and its thread, or inline.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add destinations.layout, "thread" for existing rows (the new default)."""
    with op.batch_alter_table("destinations") as table:
        table.add_column(
            sa.Column("layout", sa.String(10), nullable=False, server_default="thread")
        )


def downgrade() -> None:
    """Drop the column again."""
    with op.batch_alter_table("destinations") as table:
        table.drop_column("layout")

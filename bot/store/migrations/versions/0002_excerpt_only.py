"""Articles remember whether they were digested from the feed's excerpt only.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add articles.excerpt_only; every existing article was read as before (false)."""
    with op.batch_alter_table("articles") as table:
        table.add_column(
            sa.Column("excerpt_only", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    """Drop the column again."""
    with op.batch_alter_table("articles") as table:
        table.drop_column("excerpt_only")

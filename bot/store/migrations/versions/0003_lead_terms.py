"""Articles keep the content words of their title and lead, for story clustering.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add articles.lead_terms; articles stored before have none (clustered on their text)."""
    with op.batch_alter_table("articles") as table:
        table.add_column(
            sa.Column("lead_terms", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )


def downgrade() -> None:
    """Drop the column again."""
    with op.batch_alter_table("articles") as table:
        table.drop_column("lead_terms")

"""Feeds may be in the operator's catalogue; a tenant's stories are read by feed and time.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add feeds.catalog (false until the bot starts with a catalogue) and the articles index."""
    with op.batch_alter_table("feeds") as table:
        table.add_column(
            sa.Column("catalog", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_index("ix_articles_feed_id_ingested_at", "articles", ["feed_id", "ingested_at"])


def downgrade() -> None:
    """Drop the index and the column again."""
    op.drop_index("ix_articles_feed_id_ingested_at", table_name="articles")
    with op.batch_alter_table("feeds") as table:
        table.drop_column("catalog")

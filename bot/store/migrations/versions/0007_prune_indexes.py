"""Indexes for the hourly prune: posts by age, deliveries by story.

Without them `Store.prune` read every post to find old ones, and every deleted story made the
database read every delivery row (the foreign key check, and the delete of its deliveries).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Index posts.created_at and deliveries.story_id."""
    op.create_index("ix_posts_created_at", "posts", ["created_at"])
    op.create_index("ix_deliveries_story_id", "deliveries", ["story_id"])


def downgrade() -> None:
    """Drop the indexes again."""
    op.drop_index("ix_deliveries_story_id", table_name="deliveries")
    op.drop_index("ix_posts_created_at", table_name="posts")

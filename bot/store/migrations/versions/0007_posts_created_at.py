"""Posts are found by age: the hourly prune deletes old ones without reading every post.

Revision ID: 0007
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Index posts.created_at (`Store.prune` selects posts created before its cut-off)."""
    op.create_index("ix_posts_created_at", "posts", ["created_at"])


def downgrade() -> None:
    """Drop the index again."""
    op.drop_index("ix_posts_created_at", table_name="posts")

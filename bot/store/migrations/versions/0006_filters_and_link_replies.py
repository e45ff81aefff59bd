"""Feed subscriptions keep an optional topic filter; channels choose link replies on or off.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add subscriptions.filter and destinations.link_replies, both NULL for existing rows.

    NULL keeps today's behaviour: every item of a feed, and the platform's default for links.
    """
    with op.batch_alter_table("subscriptions") as table:
        table.add_column(sa.Column("filter", sa.Text(), nullable=True))
    with op.batch_alter_table("destinations") as table:
        table.add_column(sa.Column("link_replies", sa.Boolean(), nullable=True))


def downgrade() -> None:
    """Drop both columns again."""
    with op.batch_alter_table("destinations") as table:
        table.drop_column("link_replies")
    with op.batch_alter_table("subscriptions") as table:
        table.drop_column("filter")

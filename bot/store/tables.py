"""SQLAlchemy 2 table models. Migrations (bot/store/migrations) must produce exactly these."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from bot.domain import utc

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and read back timezone-aware, on SQLite as on Postgres."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """UTC in; naive UTC for SQLite, whose text format has no offset."""
        if value is None:
            return None
        moment = utc(value)
        return moment.replace(tzinfo=None) if dialect.name == "sqlite" else moment

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """Aware UTC out."""
        return None if value is None else utc(value)


class Base(DeclarativeBase):
    """Declarative base with stable constraint names (so migrations can name them)."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime,
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


# The unique keys that get-or-create and insert-once operations conflict on (store/conflicts.py).
DESTINATION_KEY = ("platform", "workspace", "channel")
FEED_KEY = ("url",)
SUBSCRIPTION_KEY = ("destination_id", "kind", "target")
ARTICLE_KEY = ("feed_id", "url")


class DestinationRow(Base):
    """A channel digests are posted to, with its settings."""

    __tablename__ = "destinations"
    __table_args__ = (UniqueConstraint(*DESTINATION_KEY),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    workspace: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(200))
    digest_time: Mapped[str] = mapped_column(String(5))
    timezone: Mapped[str] = mapped_column(String(64))
    weekdays: Mapped[str] = mapped_column(String(20))
    max_stories: Mapped[int] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(String(10))
    live_limit: Mapped[int] = mapped_column(Integer)
    link_replies: Mapped[bool | None] = mapped_column(Boolean)
    layout: Mapped[str] = mapped_column(String(10), server_default="thread")
    created_at: Mapped[datetime]
    settings_changed_at: Mapped[datetime]
    refusals: Mapped[int] = mapped_column(Integer, server_default="0")
    paused_at: Mapped[datetime | None]
    paused_reason: Mapped[str | None] = mapped_column(Text)


class FeedRow(Base):
    """A polled feed with its validators, schedule and health."""

    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    title: Mapped[str | None] = mapped_column(String(500))
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    interval_s: Mapped[int] = mapped_column(Integer)
    next_poll_at: Mapped[datetime | None] = mapped_column(index=True)
    last_polled_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    articles: Mapped[int] = mapped_column(Integer, default=0)
    catalog: Mapped[bool] = mapped_column(Boolean, server_default=false())


class SubscriptionRow(Base):
    """A destination following a feed or a topic."""

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint(*SUBSCRIPTION_KEY),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    destination_id: Mapped[int] = mapped_column(
        ForeignKey("destinations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    target: Mapped[str] = mapped_column(String(2048))
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("feeds.id"), index=True)
    filter: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class StoryRow(Base):
    """One real-world event; its articles point at it."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_seen: Mapped[datetime] = mapped_column(index=True)


class ArticleRow(Base):
    """One ingested article with its digest and clustering features."""

    __tablename__ = "articles"
    __table_args__ = (
        UniqueConstraint(*ARTICLE_KEY),
        Index("ix_articles_feed_id_guid", "feed_id", "guid"),
        Index("ix_articles_feed_id_content_hash", "feed_id", "content_hash"),
        # a tenant's recent stories: the recent articles of the feeds it may see
        Index("ix_articles_feed_id_ingested_at", "feed_id", "ingested_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id"), index=True)
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("feeds.id"))
    url: Mapped[str] = mapped_column(String(2048))
    guid: Mapped[str | None] = mapped_column(String(1024))
    title: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(200))
    published: Mapped[datetime | None]
    ingested_at: Mapped[datetime] = mapped_column(index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    backfill: Mapped[bool] = mapped_column(Boolean)
    excerpt_only: Mapped[bool] = mapped_column(Boolean, server_default=false())
    summary: Mapped[list[Any]]
    actors: Mapped[list[Any]]
    dates: Mapped[list[Any]]
    terms: Mapped[dict[str, Any]]
    lead_terms: Mapped[dict[str, Any]] = mapped_column(server_default="{}")
    text: Mapped[str] = mapped_column(Text)


class PostRow(Base):
    """A message reserved before publishing and confirmed after; `key` is its idempotency key."""

    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    destination_id: Mapped[int] = mapped_column(
        ForeignKey("destinations.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), index=True)
    story_ids: Mapped[list[Any]]
    slot: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(index=True)  # Store.prune finds old posts
    sent_at: Mapped[datetime | None]


class DeliveryRow(Base):
    """A story delivered (or reserved) to a destination: at most one row per pair."""

    __tablename__ = "deliveries"

    destination_id: Mapped[int] = mapped_column(
        ForeignKey("destinations.id", ondelete="CASCADE"), primary_key=True
    )
    # indexed on its own (the key leads with the destination): deleting a story checks this
    # foreign key, and Store.prune deletes a story's deliveries by story
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id"), primary_key=True, index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)

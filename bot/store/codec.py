"""Rows to domain objects and back, for the SQLAlchemy store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time, timedelta
from typing import Any

from bot.domain import (
    Article,
    Destination,
    DestinationRecord,
    DestinationSettings,
    DigestKind,
    DigestLayout,
    DigestMode,
    FeedState,
    Platform,
    Post,
    PostState,
    Signature,
    Subscription,
    SubscriptionKind,
)
from bot.store.tables import ArticleRow, DestinationRow, FeedRow, PostRow, SubscriptionRow
from summaries import Actor, ActorKind, DateMention


def destination_record(row: DestinationRow) -> DestinationRecord:
    """A destination row as a record."""
    settings = DestinationSettings(
        digest_time=time.fromisoformat(row.digest_time),
        timezone=row.timezone,
        weekdays=frozenset(int(day) for day in row.weekdays.split(",") if day),
        max_stories=row.max_stories,
        mode=DigestMode(row.mode),
        live_limit=row.live_limit,
        link_replies=row.link_replies,
        layout=DigestLayout(row.layout),
    )
    destination = Destination(Platform(row.platform), row.workspace, row.channel)
    return DestinationRecord(
        row.id,
        destination,
        settings,
        row.created_at,
        row.settings_changed_at,
        refusals=row.refusals or 0,
        paused_at=row.paused_at,
        paused_reason=row.paused_reason,
    )


def settings_columns(settings: DestinationSettings) -> dict[str, Any]:
    """A destination's settings as column values."""
    return {
        "digest_time": settings.digest_time.strftime("%H:%M"),
        "timezone": settings.timezone,
        "weekdays": ",".join(str(day) for day in sorted(settings.weekdays)),
        "max_stories": settings.max_stories,
        "mode": settings.mode.value,
        "live_limit": settings.live_limit,
        "link_replies": settings.link_replies,
        "layout": settings.layout.value,
    }


def feed_state(row: FeedRow) -> FeedState:
    """A feed row as a FeedState."""
    return FeedState(
        id=row.id,
        url=row.url,
        title=row.title,
        etag=row.etag,
        last_modified=row.last_modified,
        interval=timedelta(seconds=row.interval_s),
        next_poll_at=row.next_poll_at,
        last_polled_at=row.last_polled_at,
        last_success_at=row.last_success_at,
        last_error=row.last_error,
        errors=row.errors,
        articles=row.articles,
        catalog=row.catalog,
    )


def feed_columns(feed: FeedState) -> dict[str, Any]:
    """A feed's mutable state as column values (not its id, url or article count)."""
    return {
        "title": feed.title,
        "etag": feed.etag,
        "last_modified": feed.last_modified,
        "interval_s": int(feed.interval.total_seconds()),
        "next_poll_at": feed.next_poll_at,
        "last_polled_at": feed.last_polled_at,
        "last_success_at": feed.last_success_at,
        "last_error": feed.last_error,
        "errors": feed.errors,
    }


def subscription(row: SubscriptionRow) -> Subscription:
    """A subscription row as a Subscription."""
    return Subscription(
        row.id,
        row.destination_id,
        SubscriptionKind(row.kind),
        row.target,
        row.created_at,
        row.feed_id,
        row.filter,
    )


def post(row: PostRow) -> Post:
    """A post row as a Post."""
    return Post(
        id=row.id,
        destination_id=row.destination_id,
        key=row.key,
        kind=DigestKind(row.kind),
        story_ids=tuple(int(story) for story in row.story_ids),
        state=PostState(row.state),
        created_at=row.created_at,
        slot=row.slot,
        sent_at=row.sent_at,
    )


def article_columns(article: Article, story_id: int) -> dict[str, Any]:
    """A new article row's columns, the article in this story."""
    return dict(
        story_id=story_id,
        feed_id=article.feed_id,
        url=article.url,
        guid=article.guid,
        title=article.title,
        source=article.source,
        published=article.published,
        ingested_at=article.ingested_at,
        content_hash=article.content_hash,
        backfill=article.backfill,
        excerpt_only=article.excerpt_only,
        summary=list(article.summary),
        actors=[_actor_json(actor) for actor in article.actors],
        dates=[[d.text, d.value, d.start, d.end] for d in article.dates],
        terms=dict(article.terms),
        lead_terms=dict(article.lead_terms),
        text=article.text,
    )


def article(row: ArticleRow) -> Article:
    """An article row as an Article."""
    return Article(
        url=row.url,
        title=row.title,
        source=row.source,
        published=row.published,
        ingested_at=row.ingested_at,
        content_hash=row.content_hash,
        summary=tuple(row.summary),
        actors=tuple(_actor(value) for value in row.actors),
        dates=tuple(DateMention(str(t), v, int(s), int(e)) for t, v, s, e in row.dates),
        terms=_counts(row.terms),
        lead_terms=_counts(row.lead_terms),
        text=row.text,
        feed_id=row.feed_id,
        guid=row.guid,
        backfill=row.backfill,
        excerpt_only=row.excerpt_only,
        id=row.id,
        story_id=row.story_id,
    )


#: The columns `digest_article` reads: what a digest shows and topics match, no clustering
#: features (`terms`, `lead_terms`) and no text unless asked for (`with_text`).
DIGEST_COLUMNS = (
    ArticleRow.id,
    ArticleRow.story_id,
    ArticleRow.feed_id,
    ArticleRow.url,
    ArticleRow.title,
    ArticleRow.source,
    ArticleRow.published,
    ArticleRow.ingested_at,
    ArticleRow.backfill,
    ArticleRow.excerpt_only,
    ArticleRow.summary,
    ArticleRow.actors,
    ArticleRow.dates,
)


def digest_article(row: Sequence[Any]) -> Article:
    """A row of DIGEST_COLUMNS (and the text, when read) as an Article without its features."""
    article_id, story_id, feed_id, url, title, source, published, ingested_at = row[:8]
    backfill, excerpt_only, summary, actors, dates = row[8:13]
    return Article(
        url=url,
        title=title,
        source=source,
        published=published,
        ingested_at=ingested_at,
        content_hash="",
        summary=tuple(summary),
        actors=tuple(_actor(value) for value in actors),
        dates=tuple(DateMention(str(t), v, int(s), int(e)) for t, v, s, e in dates),
        text=row[13] if len(row) > 13 else "",
        feed_id=feed_id,
        backfill=backfill,
        excerpt_only=excerpt_only,
        id=article_id,
        story_id=story_id,
    )


#: The columns `signature` reads: clustering features, no text or summary.
SIGNATURE_COLUMNS = (
    ArticleRow.id,
    ArticleRow.story_id,
    ArticleRow.ingested_at,
    ArticleRow.published,
    ArticleRow.actors,
    ArticleRow.dates,
    ArticleRow.terms,
    ArticleRow.lead_terms,
    ArticleRow.source,
)


def signature(row: Sequence[Any]) -> Signature:
    """A row of SIGNATURE_COLUMNS as a Signature."""
    article_id, story_id, ingested_at, published, actors, dates, terms, lead_terms, source = row
    return Signature(
        id=article_id,
        story_id=story_id,
        ingested_at=ingested_at,
        published=published,
        actors=tuple(_actor(value) for value in actors),
        dates=tuple(DateMention(str(t), v, int(s), int(e)) for t, v, s, e in dates),
        terms=_counts(terms),
        lead_terms=_counts(lead_terms),
        source=source or "",
    )


def _counts(value: dict[str, Any] | None) -> dict[str, int]:
    """A stored JSON object of word counts (None in rows stored before the column had data)."""
    return {str(term): int(count) for term, count in (value or {}).items()}


def _actor_json(actor: Actor) -> list[Any]:
    return [actor.name, actor.kind.value, actor.mentions, list(actor.aliases), actor.role]


def _actor(value: list[Any]) -> Actor:
    # Rows stored before actors had roles hold four members.
    name, kind, mentions, aliases, role = [*value, None][:5]
    return Actor(str(name), ActorKind(kind), int(mentions), tuple(map(str, aliases)), _role(role))


def _role(value: Any) -> str | None:
    return None if value is None else str(value)

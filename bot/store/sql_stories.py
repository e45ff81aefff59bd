"""The SQL store's articles and stories: their insert and reads, each a function of a session.

A tenant's stories are scoped in the query: only articles of the feeds its channels follow or of
the operator's catalogue are selected, and only the columns a digest shows (codec.DIGEST_COLUMNS).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import CTE, select, union, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import Article, Signature, Story, Tenant
from bot.store import codec
from bot.store.conflicts import DialectInsert, RowTakenError, insert_new
from bot.store.tables import (
    ARTICLE_KEY,
    ArticleRow,
    DestinationRow,
    FeedRow,
    StoryRow,
    SubscriptionRow,
)

_ID_CHUNK = 1000  # ids per IN (...) list: far below the drivers' bound-parameter limits


async def known_article(
    session: AsyncSession, feed_id: int | None, url: str, guid: str | None, content_hash: str
) -> bool:
    """Whether this feed already gave this article (same link, guid or content)."""
    same = (ArticleRow.url == url) | (ArticleRow.content_hash == content_hash)
    if guid is not None:
        same |= ArticleRow.guid == guid
    query = select(ArticleRow.id).where(ArticleRow.feed_id == feed_id).where(same).limit(1)
    return (await session.scalar(query)) is not None


async def insert_article(session: AsyncSession, insert: DialectInsert, article: Article) -> Article:
    """Insert the article (and its new story); raises RowTakenError to roll both back."""
    story_id = article.story_id or await _new_story(session, article.ingested_at)
    values = codec.article_columns(article, story_id)
    row = await insert_new(session, insert, ArticleRow, values, ARTICLE_KEY)
    if row is None:
        raise RowTakenError(ArticleRow.__tablename__, (article.feed_id, article.url))
    if article.feed_id is not None:
        count = update(FeedRow).filter_by(id=article.feed_id)
        await session.execute(count.values(articles=FeedRow.articles + 1))
    return codec.article(row)


async def _new_story(session: AsyncSession, first_seen: datetime) -> int:
    story = StoryRow(first_seen=first_seen)
    session.add(story)
    await session.flush()
    return story.id


async def recent_articles(session: AsyncSession, since: datetime) -> list[Article]:
    """Articles ingested at or after `since`, whole."""
    query = select(ArticleRow).where(ArticleRow.ingested_at >= since).order_by(ArticleRow.id)
    return [codec.article(row) for row in await session.scalars(query)]


async def recent_article_ids(session: AsyncSession, since: datetime) -> list[int]:
    """Ids of the articles ingested at or after `since`, in id order."""
    query = select(ArticleRow.id).where(ArticleRow.ingested_at >= since).order_by(ArticleRow.id)
    return list(await session.scalars(query))


async def signatures(session: AsyncSession, article_ids: Collection[int]) -> list[Signature]:
    """The clustering features of these articles, in id order (only those columns, in chunks)."""
    wanted = sorted(set(article_ids))
    found: list[Signature] = []
    for start in range(0, len(wanted), _ID_CHUNK):
        chunk = wanted[start : start + _ID_CHUNK]
        query = select(*codec.SIGNATURE_COLUMNS).where(ArticleRow.id.in_(chunk))
        found.extend(codec.signature(row) for row in await session.execute(query))
    return sorted(found, key=lambda signature: signature.id)


def visible_feeds(tenant: Tenant) -> CTE:
    """The ids (column `feed_id`) of the feeds the tenant's channels follow and the catalogue's."""
    channels = select(DestinationRow.id).filter_by(
        platform=tenant.platform.value, workspace=tenant.workspace
    )
    followed = select(SubscriptionRow.feed_id).where(
        SubscriptionRow.destination_id.in_(channels), SubscriptionRow.feed_id.is_not(None)
    )
    catalogue = select(FeedRow.id.label("feed_id")).where(FeedRow.catalog)
    return union(followed, catalogue).cte("visible_feeds")


async def tenant_stories(
    session: AsyncSession, tenant: Tenant, since: datetime, *, with_text: bool = False
) -> list[Story]:
    """The stories the tenant got a visible article of at or after `since`, as it may see them."""
    visible = visible_feeds(tenant)
    recent = select(ArticleRow.story_id).where(
        ArticleRow.ingested_at >= since, ArticleRow.feed_id.in_(select(visible.c.feed_id))
    )
    return await _stories(session, visible, ArticleRow.story_id.in_(recent), with_text)


async def stories(
    session: AsyncSession, tenant: Tenant, story_ids: Collection[int], *, with_text: bool = False
) -> list[Story]:
    """These stories as the tenant may see them, oldest first (with their texts if asked)."""
    condition = ArticleRow.story_id.in_(sorted(set(story_ids)))
    return await _stories(session, visible_feeds(tenant), condition, with_text)


async def _stories(session: AsyncSession, visible: CTE, which: Any, with_text: bool) -> list[Story]:
    """The visible articles of the chosen stories, grouped in story order."""
    columns = (*codec.DIGEST_COLUMNS, ArticleRow.text) if with_text else codec.DIGEST_COLUMNS
    query = (
        select(*columns)
        .where(which, ArticleRow.feed_id.in_(select(visible.c.feed_id)))
        .order_by(ArticleRow.story_id, ArticleRow.id)
    )
    grouped: dict[int, list[Article]] = {}
    for row in await session.execute(query):
        article = codec.digest_article(row)
        grouped.setdefault(article.story_id, []).append(article)
    return [Story(story_id, tuple(articles)) for story_id, articles in grouped.items()]

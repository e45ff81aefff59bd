"""Bounded storage on SQL: what `SqlStore.prune` deletes, in which order, in short batches.

The order follows the foreign keys and what keeps a story from being posted twice:

1. Articles ingested before the cut-off, with their text. A story that spans the cut-off keeps
   its newer articles, so it stays (and so do its delivery records).
2. Stories left without an article, each with its delivery records first (deliveries point at
   stories). A deleted story cannot come back: new articles make new stories, and clustering
   only joins stories of recent articles. The newest story is never deleted, because SQLite
   hands a deleted highest rowid out again: a new story must not take an id that old posts'
   keys (`live:{destination}:{story}`) and story lists name.
3. Posts created before the cut-off that no delivery record points at, unless pending (a crash
   left them to settle) or holding their destination's latest slot (`Store.last_slot` is how a
   daily digest knows it already fired).

Every batch is its own transaction of at most `batch` rows, so a large first prune never holds
SQLite's one write lock (or Postgres row locks) for long; other writers get their turn between
batches.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime

from sqlalchemy import delete, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.domain import PostState
from bot.store.port import Pruned
from bot.store.tables import ArticleRow, DeliveryRow, PostRow, StoryRow

Transaction = Callable[[], AbstractAsyncContextManager[AsyncSession]]


async def prune(write: Transaction, before: datetime, batch: int) -> Pruned:
    """Delete what `Store.prune` promises, each batch in a transaction of its own.

    Args:
        write: Opens one write transaction (SqlStore's, which queues SQLite writers).
        before: The cut-off: things older than this go.
        batch: Most rows deleted per transaction.
    """
    steps = (prune_articles, prune_stories, prune_posts)
    counts = [await _in_batches(write, step, before, batch) for step in steps]
    return Pruned(*counts)


async def _in_batches(
    write: Transaction,
    step: Callable[[AsyncSession, datetime, int], Awaitable[int]],
    before: datetime,
    batch: int,
) -> int:
    """Run one step batch after batch until a batch deletes fewer than `batch` rows."""
    total = 0
    while True:
        async with write() as session:
            deleted = await step(session, before, batch)
        total += deleted
        if deleted < batch:
            return total


async def prune_articles(session: AsyncSession, before: datetime, batch: int) -> int:
    """Delete up to `batch` articles ingested before `before`, oldest ids first; how many."""
    old = select(ArticleRow.id).where(ArticleRow.ingested_at < before)
    # in ingestion order, on the ingested_at index: in id order SQLite would walk the whole
    # table (every article's text) to learn that no article is old enough
    ids = list(await session.scalars(old.order_by(ArticleRow.ingested_at).limit(batch)))
    if ids:
        await session.execute(delete(ArticleRow).where(ArticleRow.id.in_(ids)))
    return len(ids)


async def prune_stories(session: AsyncSession, before: datetime, batch: int) -> int:
    """Delete up to `batch` stories first seen before `before` that have no article left.

    Their delivery records go first (they point at the story); the newest story stays.
    """
    newest = select(func.max(StoryRow.id)).scalar_subquery()
    empty = (
        select(StoryRow.id)
        .where(StoryRow.first_seen < before, StoryRow.id < newest)
        .where(~exists().where(ArticleRow.story_id == StoryRow.id))
        .order_by(StoryRow.first_seen)  # on its index (by id, SQLite walks every story)
        .limit(batch)
    )
    ids = list(await session.scalars(empty))
    if ids:
        await session.execute(delete(DeliveryRow).where(DeliveryRow.story_id.in_(ids)))
        await session.execute(delete(StoryRow).where(StoryRow.id.in_(ids)))
    return len(ids)


async def prune_posts(session: AsyncSession, before: datetime, batch: int) -> int:
    """Delete up to `batch` settled posts created before `before` that nothing needs."""
    mine = aliased(PostRow)
    latest = select(func.max(mine.slot)).where(mine.destination_id == PostRow.destination_id)
    unneeded = (
        select(PostRow.id)
        .where(PostRow.created_at < before, PostRow.state != PostState.PENDING.value)
        .where(~exists().where(DeliveryRow.post_id == PostRow.id))
        .where(or_(PostRow.slot.is_(None), PostRow.slot < latest.scalar_subquery()))
        .order_by(PostRow.created_at)  # on its index, as the other steps
        .limit(batch)
    )
    ids = list(await session.scalars(unneeded))
    if ids:
        await session.execute(delete(PostRow).where(PostRow.id.in_(ids)))
    return len(ids)

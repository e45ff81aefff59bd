"""The SQL store's feeds and subscriptions: the queries behind `SqlStore`'s feed methods.

Each function runs in the caller's session (a transaction `SqlStore` opens), so the store keeps
the one place that decides where transactions begin and which of them write.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import Integer, func, literal, select, union, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import FeedState, Platform, Subscription
from bot.store import codec
from bot.store.tables import DestinationRow, FeedRow, SubscriptionRow


async def feeds(session: AsyncSession, feed_ids: Collection[int]) -> dict[int, FeedState]:
    """The feeds with these ids, by id (missing ones left out), in one read."""
    rows = await session.scalars(select(FeedRow).where(FeedRow.id.in_(list(feed_ids))))
    return {row.id: codec.feed_state(row) for row in rows}


async def due_feeds(session: AsyncSession, now: datetime) -> list[FeedState]:
    """Subscribed or catalogue feeds whose next poll is at or before `now`."""
    subscribed = select(SubscriptionRow.feed_id).where(SubscriptionRow.feed_id.is_not(None))
    query = (
        select(FeedRow)
        .where(FeedRow.id.in_(subscribed) | FeedRow.catalog)
        .where((FeedRow.next_poll_at.is_(None)) | (FeedRow.next_poll_at <= now))
        .order_by(FeedRow.next_poll_at)
    )
    return [codec.feed_state(row) for row in await session.scalars(query)]


async def mark_catalogue(session: AsyncSession, feed_ids: Collection[int]) -> None:
    """Make exactly these feeds the operator's catalogue (only changed rows are written)."""
    chosen = sorted(set(feed_ids))
    joining = update(FeedRow).where(FeedRow.id.in_(chosen), FeedRow.catalog.is_(False))
    leaving = update(FeedRow).where(FeedRow.id.not_in(chosen), FeedRow.catalog.is_(True))
    await session.execute(joining.values(catalog=True))
    await session.execute(leaving.values(catalog=False))


async def count_catalogue(session: AsyncSession) -> int:
    """How many feeds the operator's catalogue holds."""
    query = select(func.count()).select_from(FeedRow).where(FeedRow.catalog)
    return int(await session.scalar(query) or 0)


async def subscription_of(
    session: AsyncSession, destination_id: int, subscription_id: int
) -> SubscriptionRow | None:
    """One destination's subscription row; None when the id is another destination's or none."""
    row = await session.get(SubscriptionRow, subscription_id)
    return row if row is not None and row.destination_id == destination_id else None


async def subscriptions(session: AsyncSession, destination_id: int | None) -> list[Subscription]:
    """One destination's subscriptions (or everyone's), oldest first."""
    query = select(SubscriptionRow).order_by(SubscriptionRow.id)
    if destination_id is not None:
        query = query.filter_by(destination_id=destination_id)
    return [codec.subscription(row) for row in await session.scalars(query)]


async def count_subscriptions(session: AsyncSession, destination_id: int) -> int:
    """How many feeds and topics one destination follows (counted by the database)."""
    query = (
        select(func.count()).select_from(SubscriptionRow).filter_by(destination_id=destination_id)
    )
    return int(await session.scalar(query) or 0)


async def count_feeds(
    session: AsyncSession, platform: Platform, workspace: str, including: Collection[int]
) -> int:
    """Distinct feeds the channels of one workspace follow, `including` these feed ids."""
    tenant = select(DestinationRow.id).filter_by(platform=platform.value, workspace=workspace)
    followed = select(SubscriptionRow.feed_id).where(
        SubscriptionRow.destination_id.in_(tenant), SubscriptionRow.feed_id.is_not(None)
    )
    given = [select(literal(feed_id, Integer)) for feed_id in set(including)]
    # UNION drops duplicates across the selects; a lone select needs DISTINCT of its own
    feeds = union(followed, *given) if given else followed.distinct()
    count = select(func.count()).select_from(feeds.subquery())
    return int(await session.scalar(count) or 0)

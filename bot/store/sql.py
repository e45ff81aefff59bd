"""SqlStore: the Store port on SQLAlchemy 2 async, SQLite (aiosqlite) or Postgres (asyncpg)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
)

from bot.domain import (
    Article,
    Destination,
    DestinationRecord,
    DestinationSettings,
    DigestKind,
    FeedState,
    Platform,
    Post,
    PostState,
    Signature,
    Story,
    Subscription,
    SubscriptionKind,
    Tenant,
)
from bot.store import codec, sql_destinations, sql_feeds, sql_posts, sql_retention, sql_stories
from bot.store.conflicts import RowTakenError, dialect_insert, get_or_create, insert_new
from bot.store.migrate import upgrade
from bot.store.port import AlreadyDeliveredError, DuplicateSubscriptionError, Pruned
from bot.store.sql_engine import create_engine
from bot.store.tables import (
    DESTINATION_KEY,
    FEED_KEY,
    SUBSCRIPTION_KEY,
    ArticleRow,
    DestinationRow,
    FeedRow,
    PostRow,
    SubscriptionRow,
)

log = logging.getLogger(__name__)


@asynccontextmanager
async def open_store(
    url: str, *, connect_args: dict[str, Any] | None = None
) -> AsyncIterator[SqlStore]:
    """Connect, create the SQLite folder if needed, run migrations, and yield the store.

    Args:
        url: SQLAlchemy async URL (`sqlite+aiosqlite:///path.db`, `postgresql+asyncpg://...`).
        connect_args: Driver arguments (e.g. asyncpg `server_settings` for a search_path).
    """
    engine = create_engine(url, connect_args=connect_args)
    try:
        await upgrade(engine)
        yield SqlStore(engine)
    finally:
        await engine.dispose()


class SqlStore:
    """Every Store operation as one short transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        """Use an engine whose database is migrated (see `open_store`).

        Raises:
            UnsupportedDatabaseError: The engine is neither SQLite nor Postgres.
        """
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)
        self._insert = dialect_insert(engine)
        # SQLite has one write lock per database: a writer queued here waits its turn in order,
        # where in SQLite's busy handler it would give up after busy_timeout ("database is
        # locked") while the event loop is slow to let the holder commit.
        self._writers = asyncio.Lock() if engine.dialect.name == "sqlite" else None

    def _begin(self) -> AbstractAsyncContextManager[AsyncSession]:
        return self._sessions.begin()

    @asynccontextmanager
    async def _write(self) -> AsyncIterator[AsyncSession]:
        """A transaction that writes; on SQLite, one at a time in this process."""
        async with self._writers or nullcontext(), self._begin() as session:
            yield session

    async def ensure_destination(
        self, destination: Destination, defaults: DestinationSettings, now: datetime
    ) -> DestinationRecord:
        """The stored destination, created with `defaults` when new (race-free)."""
        values = dict(
            platform=destination.platform.value,
            workspace=destination.workspace,
            channel=destination.channel,
            created_at=now,
            settings_changed_at=now,
            **codec.settings_columns(defaults),
        )
        async with self._write() as session:
            row = await get_or_create(
                session, self._insert, DestinationRow, values, DESTINATION_KEY
            )
            return codec.destination_record(row)

    async def update_settings(
        self, destination_id: int, settings: DestinationSettings, now: datetime
    ) -> DestinationRecord:
        """Replace a destination's settings."""
        async with self._write() as session:
            row = await sql_destinations.update_settings(session, destination_id, settings, now)
        return codec.destination_record(row)

    async def find_destination(self, destination: Destination) -> DestinationRecord | None:
        """The stored destination of one channel, None when it was never stored (one read)."""
        async with self._begin() as session:
            row = await sql_destinations.find(session, destination)
            return None if row is None else codec.destination_record(row)

    async def destinations(
        self, tenant: tuple[Platform, str] | None = None
    ) -> list[DestinationRecord]:
        """Every destination, oldest first; only one tenant's (platform, workspace) when given."""
        async with self._begin() as session:
            rows = await sql_destinations.destinations(session, tenant)
            return [codec.destination_record(row) for row in rows]

    async def record_refusal(
        self, destination_id: int, reason: str, now: datetime, pause_after: int
    ) -> DestinationRecord:
        """Count one more post refused for good; pause at `pause_after` (sql_destinations.py)."""
        async with self._write() as session:
            row = await sql_destinations.record_refusal(
                session, destination_id, reason, now, pause_after
            )
            return codec.destination_record(row)

    async def clear_refusals(self, destination_id: int) -> bool:
        """Start the refusal count again and unpause; True when the destination was paused."""
        async with self._write() as session:
            return await sql_destinations.clear_refusals(session, destination_id)

    async def ensure_feed(self, url: str, interval: timedelta, now: datetime) -> FeedState:
        """The stored feed, created due at `now` when new (race-free)."""
        values = dict(url=url, interval_s=int(interval.total_seconds()), next_poll_at=now)
        async with self._write() as session:
            row = await get_or_create(session, self._insert, FeedRow, values, FEED_KEY)
            return codec.feed_state(row)

    async def feed(self, feed_id: int) -> FeedState | None:
        """A feed by id."""
        async with self._begin() as session:
            row = await session.get(FeedRow, feed_id)
            return None if row is None else codec.feed_state(row)

    async def feeds(self, feed_ids: Collection[int]) -> dict[int, FeedState]:
        """The feeds with these ids, by id (missing ones left out), in one read."""
        if not feed_ids:
            return {}
        async with self._begin() as session:
            return await sql_feeds.feeds(session, feed_ids)

    async def save_feed(self, feed: FeedState) -> None:
        """Store a feed's validators, schedule and health."""
        statement = update(FeedRow).filter_by(id=feed.id).values(**codec.feed_columns(feed))
        async with self._write() as session:
            await session.execute(statement)

    async def due_feeds(self, now: datetime) -> list[FeedState]:
        """Subscribed or catalogue feeds whose next poll is at or before `now`."""
        async with self._begin() as session:
            return await sql_feeds.due_feeds(session, now)

    async def mark_catalogue(self, feed_ids: Collection[int]) -> None:
        """Make exactly these feeds the operator's catalogue (only changed rows are written)."""
        async with self._write() as session:
            await sql_feeds.mark_catalogue(session, feed_ids)

    async def count_catalogue(self) -> int:
        """How many feeds the operator's catalogue holds."""
        async with self._begin() as session:
            return await sql_feeds.count_catalogue(session)

    async def add_subscription(
        self,
        destination_id: int,
        kind: SubscriptionKind,
        target: str,
        feed_id: int | None,
        now: datetime,
        *,
        filter: str | None = None,
    ) -> Subscription:
        """Subscribe a destination (raises DuplicateSubscriptionError); `filter` for feeds."""
        values = dict(
            destination_id=destination_id,
            kind=kind.value,
            target=target,
            feed_id=feed_id,
            filter=filter,
            created_at=now,
        )
        async with self._write() as session:
            row = await insert_new(session, self._insert, SubscriptionRow, values, SUBSCRIPTION_KEY)
        if row is None:
            raise DuplicateSubscriptionError(destination_id, target)
        return codec.subscription(row)

    async def replace_filter(
        self, destination_id: int, subscription_id: int, filter: str | None, now: datetime
    ) -> Subscription | None:
        """Give a destination's subscription a new filter, counted from `now`."""
        async with self._write() as session:
            row = await sql_feeds.subscription_of(session, destination_id, subscription_id)
            if row is None:
                return None
            row.filter = filter
            row.created_at = now
        return codec.subscription(row)

    async def remove_subscription(
        self, destination_id: int, subscription_id: int
    ) -> Subscription | None:
        """Remove a destination's subscription; None when it has no such subscription."""
        async with self._write() as session:
            row = await sql_feeds.subscription_of(session, destination_id, subscription_id)
            if row is not None:
                await session.delete(row)
        return None if row is None else codec.subscription(row)

    async def subscriptions(self, destination_id: int | None = None) -> list[Subscription]:
        """One destination's subscriptions (or everyone's), oldest first."""
        async with self._begin() as session:
            return await sql_feeds.subscriptions(session, destination_id)

    async def count_subscriptions(self, destination_id: int) -> int:
        """How many feeds and topics one destination follows (counted by the database)."""
        async with self._begin() as session:
            return await sql_feeds.count_subscriptions(session, destination_id)

    async def count_feeds(
        self, platform: Platform, workspace: str, including: Collection[int] = ()
    ) -> int:
        """Distinct feeds the channels of one workspace follow, `including` these feed ids."""
        async with self._begin() as session:
            return await sql_feeds.count_feeds(session, platform, workspace, including)

    async def known_article(
        self, feed_id: int | None, url: str, guid: str | None, content_hash: str
    ) -> bool:
        """Whether this feed already gave this article (same link, guid or content)."""
        async with self._begin() as session:
            return await sql_stories.known_article(session, feed_id, url, guid, content_hash)

    async def add_article(self, article: Article) -> Article:
        """Store an article in its story (a new story when `story_id` is 0).

        An article its feed already holds under the same link (another process ingesting the
        same item at the same time) is not stored twice: the stored one is returned.
        """
        try:
            async with self._write() as session:
                return await sql_stories.insert_article(session, self._insert, article)
        except RowTakenError as taken:
            log.info("%s %s was stored meanwhile", taken.table, taken.key)
        query = select(ArticleRow).filter_by(feed_id=article.feed_id, url=article.url)
        async with self._begin() as session:
            return codec.article((await session.scalars(query)).one())

    async def recent_articles(self, since: datetime) -> list[Article]:
        """Articles ingested at or after `since`."""
        async with self._begin() as session:
            return await sql_stories.recent_articles(session, since)

    async def recent_article_ids(self, since: datetime) -> list[int]:
        """Ids of the articles ingested at or after `since`, in id order."""
        async with self._begin() as session:
            return await sql_stories.recent_article_ids(session, since)

    async def signatures(self, article_ids: Collection[int]) -> list[Signature]:
        """The clustering features of these articles (the ones that exist), in id order."""
        async with self._begin() as session:
            return await sql_stories.signatures(session, article_ids)

    async def tenant_stories(
        self, tenant: Tenant, since: datetime, *, with_text: bool = False
    ) -> list[Story]:
        """The stories one tenant may see that it got an article of at or after `since`."""
        async with self._begin() as session:
            return await sql_stories.tenant_stories(session, tenant, since, with_text=with_text)

    async def stories(
        self, tenant: Tenant, story_ids: Collection[int], *, with_text: bool = False
    ) -> list[Story]:
        """These stories as one tenant may see them, oldest first."""
        async with self._begin() as session:
            return await sql_stories.stories(session, tenant, story_ids, with_text=with_text)

    async def reserve_post(
        self,
        destination_id: int,
        key: str,
        kind: DigestKind,
        story_ids: Sequence[int],
        *,
        now: datetime,
        slot: datetime | None = None,
        state: PostState = PostState.PENDING,
    ) -> Post:
        """Record a post and its story deliveries before publishing it."""
        row = sql_posts.post_row(destination_id, key, kind, story_ids, now, slot, state)
        try:
            async with self._write() as session:
                await sql_posts.insert_post(session, row, story_ids)
        except IntegrityError as error:
            raise AlreadyDeliveredError(destination_id, key) from error
        return codec.post(row)

    async def mark_post(self, post_id: int, state: PostState, now: datetime) -> None:
        """Move a post on; FAILED releases its stories."""
        async with self._write() as session:
            await sql_posts.mark_post(session, post_id, state, now)

    async def pending_posts(self) -> list[Post]:
        """Posts reserved but never confirmed, oldest first."""
        async with self._begin() as session:
            return [codec.post(row) for row in await sql_posts.pending_posts(session)]

    async def delivered(self, destination_id: int, story_ids: Collection[int]) -> set[int]:
        """Which of these stories a destination already has (or has reserved)."""
        if not story_ids:
            return set()
        async with self._begin() as session:
            return await sql_posts.delivered(session, destination_id, story_ids)

    async def delivered_many(self, wanted: Mapping[int, Collection[int]]) -> dict[int, set[int]]:
        """`delivered` for many destinations in one read (bot/store/sql_posts.py)."""
        if not any(wanted.values()):
            return {}
        async with self._begin() as session:
            return await sql_posts.delivered_many(session, wanted)

    async def last_slots(self) -> dict[int, datetime]:
        """`last_slot` of every destination that has one, in one read."""
        async with self._begin() as session:
            return await sql_posts.last_slots(session)

    async def last_posts_at(self) -> dict[int, datetime]:
        """`last_post_at` of every destination that has such a post, in one read."""
        async with self._begin() as session:
            return await sql_posts.last_posts_at(session)

    async def last_slot(self, destination_id: int) -> datetime | None:
        """The latest scheduled slot recorded for a destination."""
        async with self._begin() as session:
            return await sql_posts.latest(session, PostRow.slot, destination_id)

    async def last_post_at(self, destination_id: int) -> datetime | None:
        """When the destination's latest post that did not fail was made."""
        async with self._begin() as session:
            return await sql_posts.latest(
                session,
                PostRow.created_at,
                destination_id,
                PostRow.state != PostState.FAILED.value,
            )

    async def posts_since(
        self, destination_id: int | None, since: datetime, kinds: Collection[DigestKind]
    ) -> list[Post]:
        """A destination's (or everyone's) posts of these kinds created at or after `since`."""
        async with self._begin() as session:
            rows = await sql_posts.posts_since(session, destination_id, since, kinds)
        return [codec.post(row) for row in rows]

    async def prune(self, before: datetime, *, batch: int = 1000) -> Pruned:
        """Delete what is older than `before` and no digest needs (bot/store/sql_retention.py)."""
        return await sql_retention.prune(self._write, before, batch)

    async def forget_channel(self, destination: Destination) -> int:
        """Delete one channel's destination with its subscriptions, schedule and posts."""
        return await self._forget(
            platform=destination.platform.value,
            workspace=destination.workspace,
            channel=destination.channel,
        )

    async def forget_tenant(self, platform: Platform, workspace: str) -> int:
        """Delete every destination of one workspace with what belongs to it."""
        return await self._forget(platform=platform.value, workspace=workspace)

    async def _forget(self, **where: str) -> int:
        """Delete the matching destinations and their rows in one transaction, children first."""
        async with self._write() as session:
            return await sql_destinations.forget(session, **where)

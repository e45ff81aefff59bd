"""SqlStore: the Store port on SQLAlchemy 2 async, SQLite (aiosqlite) or Postgres (asyncpg)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Integer, delete, event, func, literal, select, union, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
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
from bot.store import codec, sql_destinations, sql_posts, sql_retention, sql_stories
from bot.store.conflicts import RowTakenError, dialect_insert, get_or_create, insert_new
from bot.store.migrate import upgrade
from bot.store.port import AlreadyDeliveredError, DuplicateSubscriptionError, Pruned
from bot.store.tables import (
    DESTINATION_KEY,
    FEED_KEY,
    SUBSCRIPTION_KEY,
    ArticleRow,
    DeliveryRow,
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


def create_engine(url: str, *, connect_args: dict[str, Any] | None = None) -> AsyncEngine:
    """An async engine; for a SQLite file, its folder is created and foreign keys enforced."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url, connect_args=connect_args or {})
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


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
            row = await session.get_one(DestinationRow, destination_id)
            for name, value in codec.settings_columns(settings).items():
                setattr(row, name, value)
            row.settings_changed_at = now
        return codec.destination_record(row)

    async def find_destination(self, destination: Destination) -> DestinationRecord | None:
        """The stored destination of one channel, None when it was never stored (one read)."""
        query = select(DestinationRow).filter_by(
            platform=destination.platform.value,
            workspace=destination.workspace,
            channel=destination.channel,
        )
        async with self._begin() as session:
            row = (await session.scalars(query)).one_or_none()
            return None if row is None else codec.destination_record(row)

    async def destinations(
        self, tenant: tuple[Platform, str] | None = None
    ) -> list[DestinationRecord]:
        """Every destination, oldest first; only one tenant's (platform, workspace) when given."""
        query = select(DestinationRow).order_by(DestinationRow.id)
        if tenant is not None:
            query = query.filter_by(platform=tenant[0].value, workspace=tenant[1])
        async with self._begin() as session:
            return [codec.destination_record(row) for row in await session.scalars(query)]

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
            rows = await session.scalars(select(FeedRow).where(FeedRow.id.in_(list(feed_ids))))
            return {row.id: codec.feed_state(row) for row in rows}

    async def save_feed(self, feed: FeedState) -> None:
        """Store a feed's validators, schedule and health."""
        statement = update(FeedRow).filter_by(id=feed.id).values(**codec.feed_columns(feed))
        async with self._write() as session:
            await session.execute(statement)

    async def due_feeds(self, now: datetime) -> list[FeedState]:
        """Subscribed or catalogue feeds whose next poll is at or before `now`."""
        subscribed = select(SubscriptionRow.feed_id).where(SubscriptionRow.feed_id.is_not(None))
        query = (
            select(FeedRow)
            .where(FeedRow.id.in_(subscribed) | FeedRow.catalog)
            .where((FeedRow.next_poll_at.is_(None)) | (FeedRow.next_poll_at <= now))
            .order_by(FeedRow.next_poll_at)
        )
        async with self._begin() as session:
            return [codec.feed_state(row) for row in await session.scalars(query)]

    async def mark_catalogue(self, feed_ids: Collection[int]) -> None:
        """Make exactly these feeds the operator's catalogue (only changed rows are written)."""
        chosen = sorted(set(feed_ids))
        joining = update(FeedRow).where(FeedRow.id.in_(chosen), FeedRow.catalog.is_(False))
        leaving = update(FeedRow).where(FeedRow.id.not_in(chosen), FeedRow.catalog.is_(True))
        async with self._write() as session:
            await session.execute(joining.values(catalog=True))
            await session.execute(leaving.values(catalog=False))

    async def count_catalogue(self) -> int:
        """How many feeds the operator's catalogue holds."""
        query = select(func.count()).select_from(FeedRow).where(FeedRow.catalog)
        async with self._begin() as session:
            return int(await session.scalar(query) or 0)

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
            row = await session.get(SubscriptionRow, subscription_id)
            if row is None or row.destination_id != destination_id:
                return None
            row.filter = filter
            row.created_at = now
        return codec.subscription(row)

    async def remove_subscription(
        self, destination_id: int, subscription_id: int
    ) -> Subscription | None:
        """Remove a destination's subscription; None when it has no such subscription."""
        async with self._write() as session:
            row = await session.get(SubscriptionRow, subscription_id)
            if row is None or row.destination_id != destination_id:
                return None
            await session.delete(row)
            return codec.subscription(row)

    async def subscriptions(self, destination_id: int | None = None) -> list[Subscription]:
        """One destination's subscriptions (or everyone's), oldest first."""
        query = select(SubscriptionRow).order_by(SubscriptionRow.id)
        if destination_id is not None:
            query = query.filter_by(destination_id=destination_id)
        async with self._begin() as session:
            return [codec.subscription(row) for row in await session.scalars(query)]

    async def count_subscriptions(self, destination_id: int) -> int:
        """How many feeds and topics one destination follows (counted by the database)."""
        query = (
            select(func.count())
            .select_from(SubscriptionRow)
            .filter_by(destination_id=destination_id)
        )
        async with self._begin() as session:
            return int(await session.scalar(query) or 0)

    async def count_feeds(
        self, platform: Platform, workspace: str, including: Collection[int] = ()
    ) -> int:
        """Distinct feeds the channels of one workspace follow, `including` these feed ids."""
        tenant = select(DestinationRow.id).filter_by(platform=platform.value, workspace=workspace)
        followed = select(SubscriptionRow.feed_id).where(
            SubscriptionRow.destination_id.in_(tenant), SubscriptionRow.feed_id.is_not(None)
        )
        given = [select(literal(feed_id, Integer)) for feed_id in set(including)]
        # UNION drops duplicates across the selects; a lone select needs DISTINCT of its own
        feeds = union(followed, *given) if given else followed.distinct()
        async with self._begin() as session:
            count = select(func.count()).select_from(feeds.subquery())
            return int(await session.scalar(count) or 0)

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
            changed = update(PostRow).filter_by(id=post_id)
            await session.execute(changed.values(state=state.value, sent_at=now))
            if state is PostState.FAILED:
                await session.execute(delete(DeliveryRow).filter_by(post_id=post_id))

    async def pending_posts(self) -> list[Post]:
        """Posts reserved but never confirmed, oldest first."""
        query = select(PostRow).filter_by(state=PostState.PENDING.value).order_by(PostRow.id)
        async with self._begin() as session:
            return [codec.post(row) for row in await session.scalars(query)]

    async def delivered(self, destination_id: int, story_ids: Collection[int]) -> set[int]:
        """Which of these stories a destination already has (or has reserved)."""
        if not story_ids:
            return set()
        query = (
            select(DeliveryRow.story_id)
            .filter_by(destination_id=destination_id)
            .where(DeliveryRow.story_id.in_(list(story_ids)))
        )
        async with self._begin() as session:
            return set(await session.scalars(query))

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

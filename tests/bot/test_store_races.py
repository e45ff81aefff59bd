"""Concurrent writers: get-or-create and insert races, on every store (Postgres when configured).

Each SqlStore operation is its own transaction on its own pooled connection, so `asyncio.gather`
over store calls interleaves their statements as concurrent requests of the real app do.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import Connection, event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import FakeClock
from bot.commands.handlers import CommandRequest, Subscribed
from bot.domain import (
    Destination,
    DestinationRecord,
    DestinationSettings,
    DigestKind,
    Platform,
    Subscription,
    SubscriptionKind,
)
from bot.fakes import FakePublisher, MemoryFeedSource
from bot.store.migrate import upgrade
from bot.store.port import AlreadyDeliveredError, DuplicateSubscriptionError, Store
from bot.store.sql import SqlStore
from bot.store.sql_engine import create_engine
from bot.store.tables import ArticleRow, FeedRow, StoryRow
from summaries import Analyzer
from tests.bot.conftest import Database
from tests.bot.test_store_contract import article
from tests.support.samples import BRIDGE_A, CHOIR_A, entry
from tests.support.stack import Stack, build

pytestmark = pytest.mark.asyncio

NOW = datetime(2024, 5, 1, 8, 30, tzinfo=UTC)
FEED = "https://lindmoor-post.example/feed.xml"
INTERVAL = timedelta(minutes=15)
WRITERS = 50
OUTLET_FEEDS = (FEED, "https://harbour-times.example/rss", "https://esker-news.example/atom")

T = TypeVar("T")


def channel(number: int) -> Destination:
    return Destination(Platform.SLACK, "T1", f"C{number:03d}")


async def all_of(calls: Iterable[Awaitable[T]]) -> list[T | BaseException]:
    """Every call's result or exception, the calls run concurrently."""
    return await asyncio.gather(*calls, return_exceptions=True)


def failures(results: Sequence[object]) -> list[BaseException]:
    return [result for result in results if isinstance(result, BaseException)]


async def busy(store: Store) -> None:
    """Open the pool's connections, as a running app has them.

    A fresh store holds one connection; writers queueing for new ones would run one after the
    other and hide the race.
    """
    await all_of(store.destinations() for _ in range(WRITERS))


async def known_channels(store: Store) -> list[DestinationRecord]:
    """The channels of a busy workspace, known to the store before they all subscribe.

    Creating them in the race would stagger the writers (each new channel is a write of its own).
    """
    return [
        await store.ensure_destination(channel(number), DestinationSettings(), NOW)
        for number in range(WRITERS)
    ]


async def subscribe(store: Store, record: DestinationRecord) -> Subscription:
    """What `/subscribe FEED` asks of the store, for one known channel."""
    feed = await store.ensure_feed(FEED, INTERVAL, NOW)
    return await store.add_subscription(record.id, SubscriptionKind.FEED, FEED, feed.id, NOW)


async def test_fifty_channels_subscribing_to_one_feed_at_once_all_succeed(store: Store) -> None:
    records = await known_channels(store)
    await busy(store)
    results = await all_of(subscribe(store, record) for record in records)
    assert failures(results) == []
    subscriptions = await store.subscriptions()
    assert len(subscriptions) == WRITERS
    assert len({sub.destination_id for sub in subscriptions}) == WRITERS
    assert len({sub.feed_id for sub in subscriptions}) == 1
    due = await store.due_feeds(NOW + INTERVAL)
    assert [feed.url for feed in due] == [FEED]


async def test_one_feed_asked_for_fifty_times_at_once_is_one_feed(store: Store) -> None:
    await busy(store)
    results = await all_of(store.ensure_feed(FEED, INTERVAL, NOW) for _ in range(WRITERS))
    assert failures(results) == []
    assert len({feed.id for feed in results if not isinstance(feed, BaseException)}) == 1


async def test_one_channel_asked_for_fifty_times_at_once_is_one_destination(store: Store) -> None:
    defaults = DestinationSettings()
    await busy(store)
    results = await all_of(store.ensure_destination(channel(1), defaults, NOW) for _ in range(50))
    assert failures(results) == []
    assert len({r.id for r in results if not isinstance(r, BaseException)}) == 1
    assert len(await store.destinations()) == 1


async def test_the_same_subscription_fifty_times_at_once_is_stored_once(store: Store) -> None:
    record = await store.ensure_destination(channel(1), DestinationSettings(), NOW)
    feed = await store.ensure_feed(FEED, INTERVAL, NOW)
    await busy(store)
    results = await all_of(
        store.add_subscription(record.id, SubscriptionKind.FEED, FEED, feed.id, NOW)
        for _ in range(WRITERS)
    )
    refused = failures(results)
    assert len(refused) == WRITERS - 1
    assert all(isinstance(error, DuplicateSubscriptionError) for error in refused)
    assert len(await store.subscriptions(record.id)) == 1


async def test_the_same_article_stored_fifty_times_at_once_is_one_article(store: Store) -> None:
    feed = await store.ensure_feed(FEED, INTERVAL, NOW)
    same = article("https://lindmoor-post.example/bridge", feed_id=feed.id)
    await busy(store)
    results = await all_of(store.add_article(same) for _ in range(WRITERS))
    assert failures(results) == []
    stored = {(a.id, a.story_id) for a in results if not isinstance(a, BaseException)}
    assert len(stored) == 1
    assert await store.recent_article_ids(NOW) == [stored.pop()[0]]
    assert (await store.feed(feed.id)).articles == 1  # type: ignore[union-attr]


async def test_fifty_posts_of_one_story_at_once_reserve_it_once(store: Store) -> None:
    record = await store.ensure_destination(channel(1), DestinationSettings(), NOW)
    story = (await store.add_article(article("https://a.example/1", feed_id=None))).story_id
    await busy(store)
    results = await all_of(
        store.reserve_post(record.id, f"live-{n}", DigestKind.LIVE, [story], now=NOW)
        for n in range(WRITERS)
    )
    refused = failures(results)
    assert len(refused) == WRITERS - 1
    assert all(isinstance(error, AlreadyDeliveredError) for error in refused)
    assert len(await store.pending_posts()) == 1


@dataclass
class WriteWatch:
    """Which connections are inside a write transaction now, and the most there ever were."""

    writing: set[int] = field(default_factory=set)
    most: int = 0

    def watch(self, engine: AsyncEngine) -> None:
        event.listen(engine.sync_engine, "before_cursor_execute", self._statement)
        for ended in ("commit", "rollback"):
            event.listen(engine.sync_engine, ended, self._ended)

    def _statement(self, connection: Connection, *args: object) -> None:
        if str(args[1]).lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            self.writing.add(id(connection))
            self.most = max(self.most, len(self.writing))

    def _ended(self, connection: Connection) -> None:
        self.writing.discard(id(connection))


async def test_sqlite_writers_of_one_process_take_turns(tmp_path: Path) -> None:
    """Writers queue in the store, not in SQLite's busy handler (which gives up: "locked")."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/bot.db")
    watch = WriteWatch()
    try:
        await upgrade(engine)
        watch.watch(engine)
        store = SqlStore(engine)
        records = await known_channels(store)
        await busy(store)
        results = await all_of(subscribe(store, record) for record in records)
        assert failures(results) == []
    finally:
        await engine.dispose()
    assert watch.most == 1


async def count(database: Database, row: type[FeedRow | StoryRow | ArticleRow]) -> int:
    engine = create_engine(database.url, connect_args=database.connect_args)
    try:
        async with engine.connect() as connection:
            return int(await connection.scalar(select(func.count()).select_from(row)) or 0)
    finally:
        await engine.dispose()


async def test_racing_writers_leave_no_extra_rows(database: Database) -> None:
    async with database.open() as store:
        records = await known_channels(store)
        await busy(store)
        await all_of(subscribe(store, record) for record in records)
        feed = await store.ensure_feed(FEED, INTERVAL, NOW)
        same = article("https://lindmoor-post.example/bridge", feed_id=feed.id)
        await all_of(store.add_article(same) for _ in range(WRITERS))
    assert await count(database, FeedRow) == 1
    assert await count(database, ArticleRow) == 1
    assert await count(database, StoryRow) == 1  # no story left behind by a refused article


async def subscribe_all(stack: Stack, url: str) -> list[Subscribed]:
    """`/subscribe url` typed in every channel at once; the replies that are Subscribed."""
    requests = [CommandRequest(channel(n), f"/subscribe {url}") for n in range(WRITERS)]
    replies = await all_of(stack.commands.handle(request) for request in requests)
    assert failures(replies) == []
    return [reply for reply in replies if isinstance(reply, Subscribed)]


async def test_fifty_channels_subscribe_to_one_feed_through_the_commands(
    store: Store, analyzer: Analyzer, clock: FakeClock, publisher: FakePublisher
) -> None:
    source = MemoryFeedSource()
    stack = build(store, source, analyzer, clock, publisher)
    records = await known_channels(store)
    await busy(store)
    # three feeds in turn, each a fresh race (one race may happen to run its writers in order)
    for number, url in enumerate(OUTLET_FEEDS):
        host = url.split("/")[2]
        articles = [entry("bridge", BRIDGE_A, clock.now(), host=host)]
        source.put(url, [*articles, entry("choir", CHOIR_A, clock.now(), host=host)])
        subscribed = await subscribe_all(stack, url)
        assert len(subscribed) == WRITERS
        assert sum(reply.new_articles for reply in subscribed) == 2  # the feed ingested once
        assert len({reply.subscription.feed_id for reply in subscribed}) == 1
        assert len(await store.recent_article_ids(clock.now() - timedelta(days=1))) == 2 * (
            number + 1
        )
    for record in records:
        assert [sub.target for sub in await store.subscriptions(record.id)] == list(OUTLET_FEEDS)

"""Restarts on SQLite and Postgres: nothing is lost, and nothing is ever posted twice.

A crash is a BaseException raised inside the delivery steps, which nothing in the bot catches;
the "restarted" bot is a new stack on a newly opened store over the same database.
"""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest

from bot.adapters.console import ConsolePublisher
from bot.clock import FakeClock
from bot.domain import DestinationSettings, PostState, SubscriptionKind
from bot.fakes import FakePublisher, MemoryFeedSource
from bot.ports import Publisher
from bot.store.port import Store
from summaries import Analyzer
from tests.bot.conftest import Database
from tests.support.samples import BRIDGE_A, CHOIR_A, MARKET_A, entry
from tests.support.stack import Stack, build

pytestmark = pytest.mark.asyncio

FEED = "https://lindmoor-post.example/feed.xml"
MONDAY_6 = datetime(2024, 6, 3, 6, 0, tzinfo=UTC)
NINE = datetime(2024, 6, 3, 9, 0, tzinfo=UTC)
DAILY_9 = DestinationSettings(digest_time=time(9, 0))


class Crash(BaseException):
    """The process dies here."""


class CrashingStore:
    """A store that dies when told to, at one method."""

    def __init__(self, inner: Store, method: str, when: Callable[..., bool]) -> None:
        self._inner, self._method, self._when = inner, method, when

    def __getattr__(self, name: str) -> Any:
        real = getattr(self._inner, name)
        if name != self._method:
            return real

        async def dying(*args: Any, **kwargs: Any) -> Any:
            if self._when(*args, **kwargs):
                raise Crash(name)
            return await real(*args, **kwargs)

        return dying


class CrashingPublisher:
    """A platform connection that dies before the post leaves."""

    def __init__(self, inner: Publisher) -> None:
        self.inner = inner

    async def publish(self, *args: Any) -> None:
        raise Crash("publish")

    async def lookup(self, *args: Any) -> bool | None:
        return await self.inner.lookup(*args)


async def prepare(stack: Stack, source: MemoryFeedSource, clock: FakeClock) -> int:
    """A channel subscribed at 06:00 and one new story read at 08:00, digest due at 09:00."""
    source.put(FEED, [entry("old", MARKET_A, MONDAY_6)])
    record = await stack.channel()
    await stack.store.update_settings(record.id, DAILY_9, clock.now())
    await stack.engine.subscribe_feed(record, FEED)
    source.put(FEED, [entry("old", MARKET_A, MONDAY_6), entry("bridge", BRIDGE_A, MONDAY_6)])
    clock.set(NINE - timedelta(hours=1))
    await stack.scheduler.tick()
    clock.set(NINE)
    return record.id


def sent_dying(state: PostState) -> Callable[..., bool]:
    return lambda post_id, new_state, now: new_state is state


async def run_until_crash(tick: Awaitable[Any]) -> None:
    with pytest.raises(Crash):
        await tick


async def crash_before_the_post_left(
    database: Database,
    analyzer: Analyzer,
    source: MemoryFeedSource,
    clock: FakeClock,
    platform: FakePublisher,
) -> int:
    """A bot that dies in its 09:00 digest before the post leaves; returns the channel's id."""
    async with database.open() as store:
        stack = build(store, source, analyzer, clock, CrashingPublisher(platform))
        channel = await prepare(stack, source, clock)
        await run_until_crash(stack.scheduler.tick())
    return channel


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY_6)


async def test_killed_between_posted_and_recorded_does_not_post_twice(
    database: Database, analyzer: Analyzer, source: MemoryFeedSource, clock: FakeClock
) -> None:
    platform = FakePublisher()  # the platform outlives the bot's process
    async with database.open() as store:
        dying = CrashingStore(store, "mark_post", sent_dying(PostState.SENT))
        stack = build(dying, source, analyzer, clock, platform)
        await prepare(stack, source, clock)
        await run_until_crash(stack.scheduler.tick())
    assert len(platform.posts) == 1  # posted, never recorded as sent
    async with database.open() as store:
        assert [post.state for post in await store.pending_posts()] == [PostState.PENDING]
        restarted = build(store, source, analyzer, clock, platform)
        report = await restarted.scheduler.tick()
        assert report.republished == () and report.posts == ()
        clock.set(NINE + timedelta(days=1))
        await restarted.scheduler.tick()
        assert await store.pending_posts() == []
    assert len(platform.attempts) == 1
    assert len(platform.story_ids()) == 1


async def test_killed_before_the_post_left_posts_it_once_after_restart(
    database: Database, analyzer: Analyzer, source: MemoryFeedSource, clock: FakeClock
) -> None:
    platform = FakePublisher()
    channel = await crash_before_the_post_left(database, analyzer, source, clock, platform)
    assert platform.posts == {}
    async with database.open() as store:
        report = await build(store, source, analyzer, clock, platform).scheduler.tick()
        assert [post.key for post in report.republished] == [f"digest:{channel}:2024-06-03T09:00Z"]
        assert await store.pending_posts() == []
    assert list(platform.posts) == [f"digest:{channel}:2024-06-03T09:00Z"]
    assert len(platform.story_ids()) == 1


async def test_a_post_left_pending_for_a_channel_paused_since_is_not_retried_until_resumed(
    database: Database, analyzer: Analyzer, source: MemoryFeedSource, clock: FakeClock
) -> None:
    platform = FakePublisher()
    channel = await crash_before_the_post_left(database, analyzer, source, clock, platform)
    async with database.open() as store:
        for _ in range(3):  # the platform refused the channel for good meanwhile
            await store.record_refusal(channel, "channel_not_found", clock.now(), 3)
        restarted = build(store, source, analyzer, clock, platform)
        report = await restarted.scheduler.tick()
        assert report.republished == () and platform.attempts == []
        assert await store.pending_posts() == []  # released, not left to retry
        await restarted.engine.resume(await restarted.channel())
        clock.set(NINE + timedelta(days=1))  # the next digest, as after any failed post
        await restarted.scheduler.tick()
    assert len(platform.story_ids()) == 1  # the story waited and went out once


async def test_console_killed_between_posted_and_recorded_never_shows_it_again(
    database: Database, analyzer: Analyzer, source: MemoryFeedSource, clock: FakeClock
) -> None:
    terminal = io.StringIO()
    async with database.open() as store:
        dying = CrashingStore(store, "mark_post", sent_dying(PostState.SENT))
        stack = build(dying, source, analyzer, clock, ConsolePublisher(terminal))
        await prepare(stack, source, clock)
        await run_until_crash(stack.scheduler.tick())
    bridge, choir = "lindmoor-post.example/bridge", "lindmoor-post.example/choir"
    assert terminal.getvalue().count(bridge) == 1
    async with database.open() as store:
        restarted = build(store, source, analyzer, clock, ConsolePublisher(terminal))
        await restarted.scheduler.tick()
        clock.set(NINE + timedelta(days=1))
        source.put(FEED, [entry("choir", CHOIR_A, clock.now())])
        await restarted.scheduler.tick()
        assert await store.pending_posts() == []
    shown = terminal.getvalue()
    assert shown.count(bridge) == 1  # the bridge story, once
    assert shown.count(choir) == 1  # and the next day's news still comes


async def test_subscriptions_and_history_survive_a_restart(
    database: Database,
    analyzer: Analyzer,
    source: MemoryFeedSource,
    clock: FakeClock,
    publisher: FakePublisher,
) -> None:
    async with database.open() as store:
        stack = build(store, source, analyzer, clock, publisher)
        channel = await prepare(stack, source, clock)
        record = await stack.channel()
        await stack.commands.subscribe(record, 'actor:"Hanna Vogt" OR ceasefire')
        await stack.scheduler.tick()
        before = (
            await store.subscriptions(channel),
            await store.tenant_stories(record.destination.tenant, MONDAY_6),
            await store.due_feeds(NINE + timedelta(days=1)),
        )
    async with database.open() as store:
        after = (
            await store.subscriptions(channel),
            await store.tenant_stories(record.destination.tenant, MONDAY_6),
            await store.due_feeds(NINE + timedelta(days=1)),
        )
        assert after == before
        subscriptions, stories, feeds = after
        assert [s.kind for s in subscriptions] == [SubscriptionKind.FEED, SubscriptionKind.TOPIC]
        assert len(stories) == 2 and feeds[0].last_success_at is not None
        assert await store.delivered(channel, [s.id for s in stories]) == {publisher.story_ids()[0]}
        assert (await store.ensure_destination(record.destination, DAILY_9, NINE)).settings == (
            DAILY_9
        )
        restarted = build(store, source, analyzer, clock, publisher)
        assert (await restarted.scheduler.tick()).posts == ()
    assert len(publisher.posts) == 1

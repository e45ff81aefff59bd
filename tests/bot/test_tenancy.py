"""Workspaces are tenants: a channel sees only its workspace's feeds and the operator's catalogue.

Two Slack workspaces with the same channel id follow different feeds (A's on a private intranet
host); B's topics, `/digest <topic>` and live posts never show A's stories, a story clustered
across both shows each its own outlet, and a topic-only channel gets catalogue stories in its
scheduled digest through the real scheduler on the fake clock. Memory, SQLite and Postgres.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.clock import FakeClock
from bot.commands.handlers import CommandRequest
from bot.domain import (
    Destination,
    DestinationRecord,
    DestinationSettings,
    Digest,
    DigestEntry,
    DigestKind,
    DigestMode,
    Platform,
)
from bot.fakes import FakePublisher, MemoryFeedSource
from bot.render.text import render_text
from bot.store.port import Store
from summaries import Analyzer
from tests.support.samples import BRIDGE_A, BRIDGE_B, CHOIR_A, MARKET_A, entry
from tests.support.stack import Stack, build

pytestmark = pytest.mark.asyncio

MONDAY_6 = datetime(2024, 6, 3, 6, 0, tzinfo=UTC)
A_CHANNEL = Destination(Platform.SLACK, "T-A", "C1")
B_CHANNEL = Destination(Platform.SLACK, "T-B", "C1")  # the same channel id, another workspace
TOPIC_ONLY = Destination(Platform.DISCORD, "G-C", "C7")
A_FEED = "https://intranet.a.example/feed.xml"
B_FEED = "https://b-news.example/feed.xml"
WIRE = "https://wire.example/feed.xml"
DAILY_9 = DestinationSettings(digest_time=time(9, 0))
LIVE = replace(DAILY_9, mode=DigestMode.LIVE, live_limit=5)


@pytest.fixture
def stack(
    store: Store,
    analyzer: Analyzer,
    source: MemoryFeedSource,
    clock: FakeClock,
    publisher: FakePublisher,
) -> Stack:
    clock.set(MONDAY_6)
    for url in (A_FEED, B_FEED, WIRE):
        source.put(url, [entry("history", MARKET_A, MONDAY_6 - timedelta(days=3), host=host(url))])
    return build(store, source, analyzer, clock, publisher)


def host(url: str) -> str:
    return url.split("/")[2]


def publish(source: MemoryFeedSource, url: str, slug: str, text: str, when: datetime) -> str:
    """Add one item to a feed; its link."""
    item = entry(slug, text, when, host=host(url))
    source.put(url, [*source.feeds[url].entries, item])
    return item.url


async def channel(
    stack: Stack, where: Destination, settings: DestinationSettings, *follows: str
) -> DestinationRecord:
    """A channel with these settings following these feeds and topics (words)."""
    record = await stack.channel(where)
    await stack.store.update_settings(record.id, settings, stack.engine.now())
    for target in follows:
        await stack.commands.subscribe(record, target)
    return await stack.channel(where)


async def command(stack: Stack, where: Destination, line: str) -> str:
    return render_text(await stack.commands.handle(CommandRequest(where, line)))


def links(digest: Digest) -> set[str]:
    return {source.url for e in digest.entries for source in e.sources}


async def tick_at(stack: Stack, clock: FakeClock, moment: datetime) -> None:
    clock.set(moment)
    await stack.scheduler.tick()


async def test_a_topic_never_draws_on_another_workspaces_feed(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock
) -> None:
    a = await channel(stack, A_CHANNEL, DAILY_9, A_FEED, "bridge")
    b = await channel(stack, B_CHANNEL, DAILY_9, B_FEED, "bridge")
    secret = publish(source, A_FEED, "bridge", BRIDGE_A, clock.now())
    await tick_at(stack, clock, MONDAY_6 + timedelta(hours=1))
    window = timedelta(days=1)
    assert secret in links(await stack.engine.on_demand(a, None, window))
    assert secret not in links(await stack.engine.on_demand(b, None, window))
    topic = (await stack.commands.digest(b, "bridge")).digest
    assert topic.entries == () and secret in links(
        (await stack.commands.digest(a, "bridge")).digest
    )
    assert await stack.engine.undelivered(b, MONDAY_6) == []
    assert [s.id for s in await stack.engine.undelivered(a, MONDAY_6)] != []


async def test_live_mode_never_posts_another_workspaces_story(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock, publisher: FakePublisher
) -> None:
    await channel(stack, A_CHANNEL, LIVE, A_FEED)
    await channel(stack, B_CHANNEL, LIVE, B_FEED, "bridge OR choir")
    await tick_at(stack, clock, MONDAY_6 + timedelta(minutes=1))
    publish(source, A_FEED, "bridge", BRIDGE_A, clock.now())
    publish(source, B_FEED, "choir", CHOIR_A, clock.now())
    await tick_at(stack, clock, MONDAY_6 + timedelta(minutes=30))
    posted: dict[Destination, set[str]] = {}
    for where, digest in publisher.posts.values():
        posted.setdefault(where, set()).update(links(digest))
    assert posted == {
        A_CHANNEL: {f"https://{host(A_FEED)}/bridge"},
        B_CHANNEL: {f"https://{host(B_FEED)}/choir"},
    }


async def test_a_story_told_in_both_workspaces_shows_each_its_own_outlet(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock
) -> None:
    a = await channel(stack, A_CHANNEL, DAILY_9, A_FEED)
    b = await channel(stack, B_CHANNEL, DAILY_9, B_FEED)
    publish(source, A_FEED, "bridge", BRIDGE_A, clock.now())
    publish(source, A_FEED, "choir", CHOIR_A, clock.now())  # the window needs a background
    await tick_at(stack, clock, MONDAY_6 + timedelta(minutes=30))
    publish(source, B_FEED, "bridge", BRIDGE_B, clock.now())
    await tick_at(stack, clock, MONDAY_6 + timedelta(hours=1))
    a_link = f"https://{host(A_FEED)}/bridge"
    b_link = f"https://{host(B_FEED)}/bridge"
    [seen_by_a] = await bridge_entries(stack, a, {a_link, b_link})
    [seen_by_b] = await bridge_entries(stack, b, {a_link, b_link})
    assert seen_by_a.story_id == seen_by_b.story_id  # one story, clustered across tenants
    assert [s.url for s in seen_by_a.sources] == [a_link]
    assert [s.url for s in seen_by_b.sources] == [b_link]


async def bridge_entries(
    stack: Stack, record: DestinationRecord, urls: set[str]
) -> list[DigestEntry]:
    digest = await stack.engine.on_demand(record, None, timedelta(days=1))
    return [e for e in digest.entries if {s.url for s in e.sources} & urls]


async def test_a_topic_only_channel_gets_catalogue_stories_in_its_scheduled_digest(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock, publisher: FakePublisher
) -> None:
    await stack.engine.set_catalogue([WIRE])
    topics = await channel(stack, TOPIC_ONLY, DAILY_9, "choir")
    feeds = await channel(stack, B_CHANNEL, DAILY_9, B_FEED)  # no topic: no catalogue story
    await tick_at(stack, clock, MONDAY_6 + timedelta(minutes=1))  # the wire's history is read
    story = publish(source, WIRE, "choir", CHOIR_A, clock.now())
    await tick_at(stack, clock, MONDAY_6 + timedelta(minutes=30))
    await tick_at(stack, clock, datetime(2024, 6, 3, 9, 0, tzinfo=UTC))
    digest = publisher.posts[f"digest:{topics.id}:2024-06-03T09:00Z"][1]
    assert digest.kind is DigestKind.SCHEDULED and links(digest) == {story}
    assert all(where != B_CHANNEL for where, _ in publisher.posts.values())
    assert story not in links(await stack.engine.on_demand(feeds, None, timedelta(days=1)))
    assert story in links((await stack.commands.digest(feeds, "choir")).digest)
    listing = await command(stack, TOPIC_ONLY, "/subscriptions")
    assert "Topics also draw on the operator's catalogue of 1 feed." in listing
    assert "catalogue" not in await command(stack, B_CHANNEL, "/subscriptions")


async def test_a_feed_taken_out_of_the_catalogue_is_neither_polled_nor_shown(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock
) -> None:
    await stack.engine.set_catalogue([WIRE])
    topics = await channel(stack, TOPIC_ONLY, DAILY_9, "choir")
    await tick_at(stack, clock, MONDAY_6 + timedelta(minutes=1))
    story = publish(source, WIRE, "choir", CHOIR_A, clock.now())
    await tick_at(stack, clock, MONDAY_6 + timedelta(minutes=30))
    assert story in links(await stack.engine.on_demand(topics, None, timedelta(days=1)))
    await stack.engine.set_catalogue([])
    assert (await stack.engine.on_demand(topics, None, timedelta(days=1))).entries == ()
    assert WIRE not in {feed.url for feed in await stack.engine.due_feeds()}
    assert await stack.engine.catalogue_size() == 0

"""A tick's deliveries read once for every destination post exactly what one-by-one delivery posts.

Two identical bots on one fake clock and one set of feeds: one ticks as the single process does
(`Scheduler.deliver_all`, reads batched), the other delivers each destination with its own reads
(`Scheduler.deliver`, as a worker of scaled mode does). Two tenants; live channels with feeds, a
topic and a filter, a quiet one with a daily digest, a burst held back by the live limit, and a
feed that fails for a day and a half (an alert) and then recovers (one line).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.delivery.scheduler import Scheduler
from bot.domain import (
    Destination,
    DestinationSettings,
    DigestKind,
    DigestMode,
    Platform,
    Post,
    SubscriptionKind,
    outlet_name,
)
from bot.fakes import FakePublisher, MemoryFeedSource
from bot.ports import FeedError
from bot.store.memory import MemoryStore
from summaries import Analyzer
from tests.bot.test_tenancy import channel, publish
from tests.support.samples import (
    BRIDGE_A,
    BRIDGE_B,
    CHOIR_A,
    CHOIR_B,
    FERRY_A,
    FERRY_B,
    MARKET_A,
    QUAKE_NORTH,
    QUAKE_SOUTH,
    WEEKLY_CLAIMS_A,
    WEEKLY_CLAIMS_B,
    entry,
)
from tests.support.stack import Stack, build

pytestmark = pytest.mark.asyncio

POST = "https://lindmoor-post.example/feed.xml"
WIRE = "https://wire.example/feed.xml"
HALDEN = "https://halden.example/feed.xml"
LIVE = DestinationSettings(mode=DigestMode.LIVE)
LIVE_2 = DestinationSettings(mode=DigestMode.LIVE, live_limit=2)
QUIET = DestinationSettings()  # a daily digest at 09:00 UTC
SLACK, DISCORD = Platform.SLACK, Platform.DISCORD
STEP = timedelta(minutes=30)
HOURS = 60


class OneByOne(Scheduler):
    """Step 3 one destination at a time, each with its own reads (scaled mode's `deliver`)."""

    async def deliver_all(self) -> list[Post]:
        posts: list[Post] = []
        for record in await self.engine.destinations():
            posts += await self.deliver(record)
        return posts


@dataclass
class World:
    stack: Stack
    scheduler: Scheduler
    publisher: FakePublisher


async def world(
    analyzer: Analyzer, source: MemoryFeedSource, clock: FakeClock, batched: bool
) -> World:
    publisher = FakePublisher()
    stack = build(MemoryStore(), source, analyzer, clock, publisher)
    scheduler = stack.scheduler
    if not batched:
        scheduler = OneByOne(stack.engine, stack.deliverer, clock, scheduler.options)
    await channel(stack, Destination(SLACK, "T1", "C1"), LIVE, POST, WIRE)
    await channel(stack, Destination(SLACK, "T1", "C2"), QUIET, POST)
    await channel(stack, Destination(SLACK, "T1", "C3"), LIVE, "teachers")  # a word of the text
    await channel(stack, Destination(SLACK, "T1", "C4"), LIVE, f"{WIRE} only:coffee")
    await channel(stack, Destination(SLACK, "T1", "C5"), LIVE, f"{WIRE} only:minimum")  # text
    await channel(stack, Destination(DISCORD, "G1", "C9"), LIVE_2, HALDEN, WIRE)
    await channel(stack, Destination(DISCORD, "G1", "C8"), QUIET)  # follows nothing
    muting = await channel(stack, Destination(SLACK, "T1", "C6"), LIVE, POST, WIRE)
    await stack.store.add_subscription(  # "Mute <outlet>": the wire's articles never shown
        muting.id, SubscriptionKind.MUTE, outlet_name(WIRE), None, clock.now()
    )
    return World(stack, scheduler, publisher)


def news(source: MemoryFeedSource, clock: FakeClock, hour: int) -> None:
    """What the feeds publish (and when the Halden feed fails) at this hour of the run."""
    now = clock.now()
    items = {
        1: [(POST, "bridge", BRIDGE_A), (WIRE, "bridge-wire", BRIDGE_B)],
        2: [(WIRE, "choir", CHOIR_A), (WIRE, "coffee", MARKET_A)],
        3: [(HALDEN, "ferry", FERRY_A), (HALDEN, "quake-n", QUAKE_NORTH)],
        20: [(POST, "ferry", FERRY_B), (WIRE, "claims", WEEKLY_CLAIMS_B)],
        30: [(POST, "quake", QUAKE_NORTH)],
        40: [(HALDEN, "choir", CHOIR_B), (HALDEN, "claims", WEEKLY_CLAIMS_A)],
    }
    if hour == 3:  # more than the live limit at once: held back, then one burst digest
        items[3] += [(HALDEN, "quake-s", QUAKE_SOUTH), (HALDEN, "market", MARKET_A)]
    for url, slug, text in items.get(hour, []):
        publish(source, url, slug, text, now)
    if hour == 5:
        source.failures[HALDEN] = FeedError(HALDEN, "HTTP 503")
    if hour == 40:
        source.failures.pop(HALDEN)


async def to_live(stack: Stack, where: Destination) -> None:
    record = await stack.channel(where)
    await stack.engine.change_settings(record, LIVE)


def shown(post: Post) -> tuple[str, DigestKind, tuple[int, ...]]:
    return post.key, post.kind, post.story_ids


async def test_the_batched_tick_posts_what_one_by_one_delivery_posts(
    analyzer: Analyzer, clock: FakeClock
) -> None:
    source = MemoryFeedSource()
    for url, text in ((POST, CHOIR_B), (WIRE, FERRY_A), (HALDEN, BRIDGE_A)):  # history
        source.put(url, [entry("old", text, clock.now() - timedelta(days=2), host=url[8:])])
    batched = await world(analyzer, source, clock, batched=True)
    single = await world(analyzer, source, clock, batched=False)
    start, kinds = clock.now(), set()
    while clock.now() < start + timedelta(hours=HOURS):
        clock.advance(STEP)
        hour = int((clock.now() - start) / timedelta(hours=1))
        if clock.now().minute == 0:
            news(source, clock, hour)
        if hour == 20 and clock.now().minute == 30:  # C2 goes live, a story waiting for 09:00
            for bot in (batched, single):
                await to_live(bot.stack, Destination(SLACK, "T1", "C2"))
        ours = (await batched.scheduler.tick()).posts
        theirs = (await single.scheduler.tick()).posts
        assert [shown(p) for p in ours] == [shown(p) for p in theirs], clock.now()
        kinds |= {post.kind for post in ours}
    assert batched.publisher.posts == single.publisher.posts  # the same digests, word for word
    assert {DigestKind.LIVE, DigestKind.BURST, DigestKind.SCHEDULED} <= kinds
    assert {DigestKind.ALERT, DigestKind.RECOVERED} <= kinds
    channels = {destination.channel for destination, _ in batched.publisher.posts.values()}
    assert channels == {"C1", "C2", "C3", "C4", "C6", "C9"}  # C5's word is in no summary or title
    muted = [
        source.url
        for destination, digest in batched.publisher.posts.values()
        if destination.channel == "C6"
        for entry_ in digest.entries
        for source in entry_.sources
    ]
    assert muted and not [url for url in muted if url.startswith(WIRE.rsplit("/", 1)[0])]
    c2 = [
        key.split(":")[0] for key, (at, _) in batched.publisher.posts.items() if at.channel == "C2"
    ]
    assert c2 == ["digest", "live"]  # the story it waited for came in its digest, the next live

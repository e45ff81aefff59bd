"""The scheduler on a fake clock: DST-correct digests, catch-up, no back-posting, live mode."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.clock import FakeClock
from bot.delivery.scheduler import TickReport
from bot.domain import DestinationSettings, DigestKind, DigestLayout, DigestMode
from bot.fakes import FakePublisher, MemoryFeedSource
from bot.ports import FeedEntry
from bot.render.titles import digest_title
from bot.store.memory import MemoryStore
from summaries import Analyzer
from tests.support.samples import BRIDGE_A, CHOIR_A, MARKET_A, entry
from tests.support.stack import CHANNEL, Stack, build

pytestmark = pytest.mark.asyncio

FEED = "https://lindmoor-post.example/feed.xml"
BERLIN_9 = DestinationSettings(digest_time=time(9, 0), timezone="Europe/Berlin")
TEXTS = [BRIDGE_A, CHOIR_A, MARKET_A]


class Newsroom:
    """A feed that gains one new item whenever asked."""

    def __init__(self, source: MemoryFeedSource, clock: FakeClock) -> None:
        self.source, self.clock = source, clock
        self.items: list[FeedEntry] = [entry("old-news", MARKET_A, clock.now())]
        source.put(FEED, self.items)

    def publish(self, text: str, slug: str) -> None:
        self.items.append(entry(slug, text, self.clock.now()))
        self.source.put(FEED, list(self.items))


@pytest.fixture
def stack(
    analyzer: Analyzer, source: MemoryFeedSource, clock: FakeClock, publisher: FakePublisher
) -> Stack:
    return build(MemoryStore(), source, analyzer, clock, publisher)


async def subscribed(stack: Stack, settings: DestinationSettings) -> int:
    record = await stack.channel()
    await stack.store.update_settings(record.id, settings, stack.engine.clock.now())
    await stack.engine.subscribe_feed(record, FEED)
    return record.id


async def tick_at(stack: Stack, clock: FakeClock, moment: datetime) -> list[str]:
    clock.set(moment)
    return [post.key for post in (await stack.scheduler.tick()).posts]


async def test_nine_in_berlin_fires_at_the_right_utc_instant_across_the_spring_change(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock
) -> None:
    clock.set(datetime(2024, 3, 29, 12, 0, tzinfo=UTC))
    room = Newsroom(source, clock)
    channel = await subscribed(stack, BERLIN_9)
    clock.set(datetime(2024, 3, 29, 20, 0, tzinfo=UTC))
    room.publish(BRIDGE_A, "bridge")
    assert await tick_at(stack, clock, datetime(2024, 3, 30, 7, 59, tzinfo=UTC)) == []
    assert await tick_at(stack, clock, datetime(2024, 3, 30, 8, 0, tzinfo=UTC)) == [
        f"digest:{channel}:2024-03-30T08:00Z"  # 09:00 CET
    ]
    room.publish(CHOIR_A, "choir")
    assert await tick_at(stack, clock, datetime(2024, 3, 31, 6, 59, tzinfo=UTC)) == []
    assert await tick_at(stack, clock, datetime(2024, 3, 31, 7, 0, tzinfo=UTC)) == [
        f"digest:{channel}:2024-03-31T07:00Z"  # 09:00 CEST, the day the clocks went forward
    ]


async def test_and_across_the_autumn_change(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock, publisher: FakePublisher
) -> None:
    clock.set(datetime(2024, 10, 25, 12, 0, tzinfo=UTC))
    room = Newsroom(source, clock)
    channel = await subscribed(stack, BERLIN_9)
    room.publish(BRIDGE_A, "bridge")
    assert await tick_at(stack, clock, datetime(2024, 10, 26, 7, 0, tzinfo=UTC)) == [
        f"digest:{channel}:2024-10-26T07:00Z"  # 09:00 CEST
    ]
    room.publish(CHOIR_A, "choir")
    assert await tick_at(stack, clock, datetime(2024, 10, 27, 7, 0, tzinfo=UTC)) == []
    assert await tick_at(stack, clock, datetime(2024, 10, 27, 8, 0, tzinfo=UTC)) == [
        f"digest:{channel}:2024-10-27T08:00Z"  # 09:00 CET, the day the clocks went back
    ]
    digest = publisher.posts[f"digest:{channel}:2024-10-27T08:00Z"][1]
    assert digest.kind is DigestKind.SCHEDULED
    assert digest_title(digest) == "Daily digest, Sun 27 Oct 2024"


async def test_a_new_subscription_never_back_posts_the_feed_history(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock, publisher: FakePublisher
) -> None:
    Newsroom(source, clock)
    record = await stack.channel()
    result = await stack.engine.subscribe_feed(record, FEED)
    assert result.poll is not None and len(result.poll.articles) == 1  # fetched at once
    await tick_at(stack, clock, clock.now() + timedelta(days=1, hours=1))
    assert publisher.posts == {}
    on_demand = await stack.engine.stories.on_demand(record, None, timedelta(days=2))
    assert len(on_demand.entries) == 1  # but /digest shows it


async def test_after_downtime_one_catch_up_digest_never_a_flood(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock, publisher: FakePublisher
) -> None:
    clock.set(datetime(2024, 6, 3, 6, 0, tzinfo=UTC))  # Monday
    room = Newsroom(source, clock)
    channel = await subscribed(stack, DestinationSettings(digest_time=time(9, 0)))
    room.publish(BRIDGE_A, "bridge")
    await tick_at(stack, clock, datetime(2024, 6, 3, 8, 0, tzinfo=UTC))  # read, not yet due
    room.publish(CHOIR_A, "choir")  # while the bot is down for three days
    keys = await tick_at(stack, clock, datetime(2024, 6, 6, 15, 0, tzinfo=UTC))
    assert keys == [f"digest:{channel}:2024-06-06T09:00Z"]
    assert await tick_at(stack, clock, datetime(2024, 6, 6, 15, 1, tzinfo=UTC)) == []
    digest = publisher.posts[keys[0]][1]
    assert digest.kind is DigestKind.CATCH_UP and digest.layout is DigestLayout.THREAD
    assert len(digest.entries) == 2 and len(set(publisher.story_ids())) == 2


async def test_scheduled_digests_come_in_the_channels_layout_and_live_posts_inline(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock, publisher: FakePublisher
) -> None:
    clock.set(datetime(2024, 6, 3, 6, 0, tzinfo=UTC))
    room = Newsroom(source, clock)
    inline = DestinationSettings(digest_time=time(9, 0), layout=DigestLayout.INLINE)
    channel = await subscribed(stack, inline)
    room.publish(BRIDGE_A, "bridge")
    [key] = await tick_at(stack, clock, datetime(2024, 6, 3, 9, 0, tzinfo=UTC))
    assert publisher.posts[key][1].layout is DigestLayout.INLINE
    record = await stack.channel()
    threaded = replace(inline, layout=DigestLayout.THREAD)
    await stack.store.update_settings(channel, threaded, clock.now())
    room.publish(CHOIR_A, "choir")
    [key] = await tick_at(stack, clock, datetime(2024, 6, 4, 9, 0, tzinfo=UTC))
    assert publisher.posts[key][1].layout is DigestLayout.THREAD
    live = replace(threaded, mode=DigestMode.LIVE)
    await stack.store.update_settings(record.id, live, clock.now())
    room.publish(MARKET_A.replace("coffee", "cocoa"), "market")
    [key] = await tick_at(stack, clock, clock.now() + timedelta(minutes=20))
    assert key.startswith("live:") and publisher.posts[key][1].layout is DigestLayout.INLINE


async def test_changing_the_schedule_does_not_fire_a_slot_already_past(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock, publisher: FakePublisher
) -> None:
    clock.set(datetime(2024, 6, 3, 10, 0, tzinfo=UTC))
    room = Newsroom(source, clock)
    await subscribed(stack, DestinationSettings(digest_time=time(9, 0)))
    room.publish(BRIDGE_A, "bridge")
    assert await tick_at(stack, clock, datetime(2024, 6, 3, 10, 30, tzinfo=UTC)) == []


async def test_live_mode_posts_each_story_then_switches_to_a_digest_when_busy(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock, publisher: FakePublisher
) -> None:
    clock.set(datetime(2024, 6, 3, 10, 0, tzinfo=UTC))
    room = Newsroom(source, clock)
    live = replace(BERLIN_9, mode=DigestMode.LIVE, live_limit=2)
    channel = await subscribed(stack, live)
    room.publish(BRIDGE_A, "bridge")
    [key] = await tick_at(stack, clock, clock.now() + timedelta(minutes=20))
    assert key.startswith(f"live:{channel}:")
    for number, text in enumerate([CHOIR_A, MARKET_A.replace("coffee", "cocoa")]):
        room.publish(text, f"busy-{number}")
    # one live post this hour + two new stories > 2: held for a digest
    assert await tick_at(stack, clock, clock.now() + timedelta(minutes=20)) == []
    assert await tick_at(stack, clock, clock.now() + timedelta(minutes=30)) == []
    [burst] = await tick_at(stack, clock, clock.now() + timedelta(minutes=30))
    digest = publisher.posts[burst][1]
    assert digest.kind is DigestKind.BURST and len(digest.entries) == 2
    assert digest.layout is DigestLayout.THREAD
    assert len(publisher.story_ids()) == len(set(publisher.story_ids())) == 3


async def test_a_refused_post_releases_its_stories_for_the_next_digest(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock, publisher: FakePublisher
) -> None:
    clock.set(datetime(2024, 6, 3, 6, 0, tzinfo=UTC))
    room = Newsroom(source, clock)
    channel = await subscribed(stack, DestinationSettings(digest_time=time(9, 0)))
    room.publish(BRIDGE_A, "bridge")
    publisher.refuse.add(f"digest:{channel}:2024-06-03T09:00Z")
    assert await tick_at(stack, clock, datetime(2024, 6, 3, 9, 0, tzinfo=UTC)) == []
    assert await tick_at(stack, clock, datetime(2024, 6, 4, 9, 0, tzinfo=UTC)) == [
        f"digest:{channel}:2024-06-04T09:00Z"
    ]
    assert len(publisher.story_ids()) == 1


async def test_the_run_loop_ticks_on_the_fake_clock(
    stack: Stack, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    ticks: list[datetime] = []
    original = stack.scheduler.tick

    async def counting() -> TickReport:
        ticks.append(clock.now())
        return await original()

    monkeypatch.setattr(stack.scheduler, "tick", counting)
    task = asyncio.create_task(stack.scheduler.run())
    for _ in range(3):
        await asyncio.sleep(0)
        clock.advance(timedelta(seconds=30))
        for _ in range(5):
            await asyncio.sleep(0)
    task.cancel()
    assert len(ticks) == 3
    assert CHANNEL.platform == "slack"

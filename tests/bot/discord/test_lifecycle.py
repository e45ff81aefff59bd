"""Discord's lifecycle events through the gateway stand-in: the bot removed from a server, or a
channel deleted, forgets its destinations and subscriptions, and their feeds stop being polled."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.domain import Destination, Platform
from bot.news.topics import parse_topic
from tests.bot.discord.conftest import CHANNEL, LiveDiscord
from tests.bot.discord.standin import CHANNEL_ID, GUILD_ID
from tests.support.waiting import wait_until

pytestmark = pytest.mark.asyncio

FEED = "https://lindmoor-post.example/feed.xml"
THREAD = Destination(Platform.DISCORD, str(GUILD_ID), "800000000000000009")
ELSEWHERE = Destination(Platform.DISCORD, "800000000000000077", "800000000000000078")


async def follow(live: LiveDiscord) -> None:
    """The server's channel follows FEED; a thread of it and another server follow a topic."""
    live.source.put(FEED, [])
    await live.stack.engine.subscribe_feed(await live.stack.channel(CHANNEL), FEED)
    for destination in (THREAD, ELSEWHERE):
        record = await live.stack.channel(destination)
        await live.stack.engine.subscribe_topic(record, parse_topic("Vogt"))
    assert await polled(live) == [FEED]


async def polled(live: LiveDiscord) -> list[str]:
    """The feeds the engine polls a day later (Engine.due_feeds, and what a tick fetches)."""
    clock = live.stack.engine.clock
    assert isinstance(clock, FakeClock)
    clock.advance(timedelta(days=1))
    due = [feed.url for feed in await live.stack.engine.due_feeds()]
    report = await live.stack.scheduler.tick()
    assert sorted(poll.feed.url for poll in report.polls) == sorted(due)
    return due


async def channels(live: LiveDiscord) -> set[Destination]:
    """The destinations still stored."""
    return {record.destination for record in await live.stack.store.destinations()}


async def forgotten(live: LiveDiscord, destination: Destination) -> None:
    """Wait until the client has handled the event and forgotten `destination`."""

    async def gone() -> bool:
        return destination not in await channels(live)

    await wait_until(gone, f"{destination} to be forgotten")


async def test_the_bot_removed_from_a_server_forgets_all_its_channels(
    live_discord: LiveDiscord,
) -> None:
    await follow(live_discord)
    await live_discord.standin.dispatch("GUILD_DELETE", {"id": str(GUILD_ID)})
    await forgotten(live_discord, CHANNEL)
    assert await channels(live_discord) == {ELSEWHERE}
    assert [s.destination_id for s in await live_discord.stack.store.subscriptions()] == [
        (await live_discord.stack.channel(ELSEWHERE)).id
    ]
    assert await polled(live_discord) == []


async def test_an_outage_is_not_a_removal(live_discord: LiveDiscord) -> None:
    await follow(live_discord)
    outage = {"id": str(GUILD_ID), "unavailable": True}
    await live_discord.standin.dispatch("GUILD_DELETE", outage)
    gone = {
        "id": THREAD.channel,
        "guild_id": str(GUILD_ID),
        "parent_id": str(CHANNEL_ID),
        "type": 11,
    }
    await live_discord.standin.dispatch("THREAD_DELETE", gone)
    await forgotten(live_discord, THREAD)  # the later event, so the outage was handled before
    assert await channels(live_discord) == {CHANNEL, ELSEWHERE}
    assert await polled(live_discord) == [FEED]


async def test_a_deleted_channel_is_forgotten_and_its_feed_stops(live_discord: LiveDiscord) -> None:
    await follow(live_discord)
    deleted = {"id": str(CHANNEL_ID), "guild_id": str(GUILD_ID), "type": 0, "name": "news"}
    await live_discord.standin.dispatch("CHANNEL_DELETE", deleted)
    await forgotten(live_discord, CHANNEL)
    assert await channels(live_discord) == {THREAD, ELSEWHERE}
    assert await polled(live_discord) == []

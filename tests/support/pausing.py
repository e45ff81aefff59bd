"""A channel whose posts the platform refuses for good is paused; the others keep receiving.

One scenario through the real scheduler on a fake clock, run by the Slack and Discord tests with
their stand-ins: `attempts(channel)` counts the posts the stand-in refused in a channel and
`shown(channel)` the messages it accepted there.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import FakeClock
from bot.commands.handlers import CommandRequest
from bot.domain import Destination
from bot.fakes import MemoryFeedSource
from bot.render.text import render_text
from tests.support.samples import BRIDGE_A, CHOIR_A, MARKET_A, entry
from tests.support.stack import Stack

FEED = "https://lindmoor-post.example/feed.xml"
DAY_1 = datetime(2024, 3, 29, 9, 0, tzinfo=UTC)  # the default digest time is 09:00 UTC
PAUSED_LOG = "paused posting to"

Count = Callable[[str], int]


class Room:
    """The stack, its feed and clock, and the two channels."""

    def __init__(self, stack: Stack, source: MemoryFeedSource, clock: FakeClock) -> None:
        self.stack, self.source, self.clock = stack, source, clock
        self.items = [entry("old-news", MARKET_A, clock.now())]
        source.put(FEED, list(self.items))

    async def follow(self, *channels: Destination) -> None:
        for channel in channels:
            await self.stack.engine.subscribe_feed(await self.stack.channel(channel), FEED)

    def publish(self, text: str, slug: str) -> None:
        self.items.append(entry(slug, text, self.clock.now()))
        self.source.put(FEED, list(self.items))

    async def day(self, number: int) -> None:
        """Tick at 09:00 UTC of day `number` (the feed is polled, digests go out)."""
        self.clock.set(DAY_1 + timedelta(days=number - 1))
        await self.stack.scheduler.tick()

    async def listing(self, channel: Destination) -> str:
        return render_text(await self.command(channel, "subscriptions"))

    async def command(self, channel: Destination, text: str) -> object:
        return await self.stack.commands.handle(CommandRequest(channel, text))


async def refused_channel_is_paused(
    room: Room,
    refused: Destination,
    fine: Destination,
    counts: tuple[Count, Count],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Three refusals in a row pause `refused` (logged once); `fine` keeps receiving."""
    attempts, shown = counts
    await room.follow(refused, fine)
    room.publish(BRIDGE_A, "bridge")
    for number in (1, 2, 3):
        await room.day(number)
        assert attempts(refused.channel) == number  # the released stories are tried each day
    assert shown(fine.channel) >= 1
    before = shown(fine.channel)
    room.publish(CHOIR_A, "choir")
    await room.day(4)
    await room.day(5)
    assert attempts(refused.channel) == 3, "a paused channel is not tried again"
    assert shown(fine.channel) > before, "the other channel keeps receiving"
    assert len([r for r in caplog.records if PAUSED_LOG in r.getMessage()]) == 1
    listing = await room.listing(refused)
    assert listing.startswith("Paused: ") and "since 2024-03-31 09:00 UTC" in listing
    assert "Paused" not in await room.listing(fine)


async def a_managing_command_resumes(room: Room, refused: Destination, count: Count) -> None:
    """After the bot is let back in, a managing command resumes posting there."""
    await room.command(refused, "schedule 09:00")
    assert "Paused" not in await room.listing(refused)
    await room.day(6)
    assert count(refused.channel) >= 1, "the stories held back while paused are posted"
    record = await room.stack.channel(refused)
    assert (record.refusals, record.paused_at) == (0, None)

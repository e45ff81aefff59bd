"""A Discord channel that keeps refusing posts (50001, 10003) is paused; others keep receiving."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot.adapters.discord import DiscordPublisher, open_discord_client
from bot.clock import FakeClock
from bot.domain import Destination, Platform
from bot.fakes import MemoryFeedSource
from bot.ports import PublishError
from bot.store.memory import MemoryStore
from summaries import Analyzer
from tests.bot.discord.conftest import options_for
from tests.bot.discord.standin import CHANNEL_ID, GUILD_ID, DiscordStandIn, discord_standin
from tests.support.digests import digest_of
from tests.support.pausing import Room, a_managing_command_resumes, refused_channel_is_paused
from tests.support.stack import build

pytestmark = pytest.mark.asyncio

GENERAL = Destination(Platform.DISCORD, str(GUILD_ID), str(CHANNEL_ID))
NEWS = Destination(Platform.DISCORD, str(GUILD_ID), "800000000000000099")
MISSING_ACCESS = (403, 50001, "Missing Access")
UNKNOWN_CHANNEL = (404, 10003, "Unknown Channel")


@pytest_asyncio.fixture
async def discord_room(
    analyzer: Analyzer, source: MemoryFeedSource, clock: FakeClock
) -> AsyncIterator[tuple[Room, DiscordStandIn, DiscordPublisher]]:
    async with discord_standin() as standin, open_discord_client(options_for(standin)) as client:
        publisher = DiscordPublisher(client)
        stack = build(MemoryStore(), source, analyzer, clock, publisher)
        yield Room(stack, source, clock), standin, publisher


async def test_a_channel_refusing_posts_three_times_is_paused_until_managed_again(
    discord_room: tuple[Room, DiscordStandIn, DiscordPublisher],
    caplog: pytest.LogCaptureFixture,
) -> None:
    room, standin, _ = discord_room
    standin.refuse_channels[NEWS.channel] = MISSING_ACCESS
    caplog.set_level(logging.INFO)

    def refused(channel: str) -> int:
        return len([c for c in standin.refused if c.path == f"/channels/{channel}/messages"])

    def shown(channel: str) -> int:
        return len(standin.messages(channel))

    await refused_channel_is_paused(room, NEWS, GENERAL, (refused, shown), caplog)
    assert "Paused: Discord refused the post: 403 Missing Access since" in await room.listing(NEWS)
    del standin.refuse_channels[NEWS.channel]  # access given back
    await a_managing_command_resumes(room, NEWS, shown)


@pytest.mark.parametrize("refusal", [MISSING_ACCESS, UNKNOWN_CHANNEL])
async def test_missing_access_and_unknown_channel_are_refusals_for_good(
    discord_room: tuple[Room, DiscordStandIn, DiscordPublisher], refusal: tuple[int, int, str]
) -> None:
    _, standin, publisher = discord_room
    standin.refuse_channels[NEWS.channel] = refusal
    with pytest.raises(PublishError) as refused:
        await publisher.publish(NEWS, digest_of(1), "k")
    assert refused.value.gone and str(refusal[0]) in refused.value.reason


async def test_other_http_refusals_are_not_for_good(
    discord_room: tuple[Room, DiscordStandIn, DiscordPublisher],
) -> None:
    _, standin, publisher = discord_room
    standin.refuse_channels[NEWS.channel] = (400, 50035, "Invalid Form Body")
    with pytest.raises(PublishError) as refused:
        await publisher.publish(NEWS, digest_of(1), "k")
    assert not refused.value.gone

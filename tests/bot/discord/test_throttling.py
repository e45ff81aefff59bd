"""Discord throttles and fails: 30% of posts get 429 with Retry-After, some 500; nothing is lost.

discord.py waits out a 429 by its buckets (Retry-After from the stand-in, a hundredth of a
second) and retries a 500 itself after 1 + 2n seconds on the wall clock; the test gives
discord.py's HTTP module a clock whose sleeps are capped at 10 ms, and the publisher a fake sleep.
"""

from __future__ import annotations

import asyncio
import random
from types import SimpleNamespace

import discord.http
import pytest

from bot.adapters.discord import DiscordPublisher, open_discord_client
from bot.domain import Destination, Digest, Platform
from tests.bot.discord.conftest import options_for
from tests.bot.discord.standin import GUILD_ID, discord_standin
from tests.support.digests import digest_of, label_title, labelled

pytestmark = pytest.mark.asyncio

CHANNELS = [Destination(Platform.DISCORD, str(GUILD_ID), str(900 + n)) for n in range(3)]
DIGESTS_PER_CHANNEL = 12
_real_sleep = asyncio.sleep


async def capped_sleep(seconds: float, *args: object) -> None:
    await _real_sleep(min(seconds, 0.01))


async def no_wait(_seconds: float) -> None:
    await _real_sleep(0)


async def test_every_digest_arrives_once_and_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    fast_asyncio = SimpleNamespace(**{**vars(asyncio), "sleep": capped_sleep})
    monkeypatch.setattr(discord.http, "asyncio", fast_asyncio)
    async with discord_standin() as standin:
        standin.chaos = random.Random(20261125)
        standin.throttle_share, standin.fail_share = 0.3, 0.1
        async with open_discord_client(options_for(standin)) as client:
            publisher = DiscordPublisher(client, sleep=no_wait)
            await asyncio.gather(
                *(
                    publisher.publish(channel, numbered(n, stories=1 + n % 3), f"{channel}#{n}")
                    for n in range(DIGESTS_PER_CHANNEL)
                    for channel in CHANNELS
                )
            )
    attempts = len(standin.made("POST", "/channels/")) + standin.throttled + standin.failed
    assert standin.throttled >= 0.2 * attempts and standin.failed >= 0.05 * attempts
    for channel in CHANNELS:
        shown = [message.get("content") for message in standin.messages(channel.channel)]
        titles = [content.split(" (")[0] for content in shown if content]
        assert titles == [label_title(f"Digest {n}") for n in range(DIGESTS_PER_CHANNEL)], channel


def numbered(number: int, stories: int) -> Digest:
    return labelled(digest_of(stories), f"Digest {number}")

"""DiscordPublisher over discord.py's REST client: embeds, nonces, order, 429s, refusals."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from bot.adapters.discord import DiscordPublisher, open_discord_client
from bot.adapters.discord.publisher import RetryPolicy, nonce
from bot.domain import Destination, Digest, Platform
from bot.ports import PublishError
from tests.bot.discord.conftest import options_for
from tests.bot.discord.standin import CHANNEL_ID, GUILD_ID, DiscordStandIn, discord_standin
from tests.bot.test_render_embeds import assert_within_limits as assert_payload_within_limits
from tests.support.digests import digest_of, label_title, labelled

pytestmark = pytest.mark.asyncio

CHANNEL = Destination(Platform.DISCORD, str(GUILD_ID), str(CHANNEL_ID))
OTHER = Destination(Platform.DISCORD, str(GUILD_ID), "800000000000000099")


def assert_within_limits(message: dict[str, Any]) -> None:
    """A posted message (discord.py sends no content key when there is none) within limits."""
    assert_payload_within_limits({**message, "content": message.get("content") or ""})


def titled(title: str) -> Digest:
    return labelled(digest_of(1), title)


@pytest_asyncio.fixture
async def publishing() -> AsyncIterator[tuple[DiscordPublisher, DiscordStandIn]]:
    async with (
        discord_standin() as standin,
        open_discord_client(options_for(standin)) as client,
    ):
        yield DiscordPublisher(client), standin


async def test_a_digest_goes_out_as_embeds_with_a_nonce_per_message(
    publishing: tuple[DiscordPublisher, DiscordStandIn],
) -> None:
    publisher, standin = publishing
    await publisher.publish(CHANNEL, digest_of(40), "daily:1:2024-01-05")
    messages = standin.messages(CHANNEL_ID)
    assert len(messages) >= 4, "40 stories do not fit one message"
    for part, message in enumerate(messages):
        assert_within_limits(message)
        assert message["nonce"] == nonce("daily:1:2024-01-05", part)
        assert message["enforce_nonce"] is True
    shown = " ".join(str(message["embeds"]) for message in messages)
    assert all(f"Story {n}: budget passes" in shown for n in range(40))


async def test_mentions_in_article_text_stay_inert(
    publishing: tuple[DiscordPublisher, DiscordStandIn],
) -> None:
    publisher, standin = publishing
    await publisher.publish(CHANNEL, digest_of(2, text="@everyone look <@123> and @here"), "k")
    (message,) = standin.messages(CHANNEL_ID)
    assert message["allowed_mentions"] == {"parse": []}
    assert "@everyone" not in str(message) and "<@123>" not in str(message)


async def test_429s_are_waited_out_and_order_is_kept_per_channel(
    publishing: tuple[DiscordPublisher, DiscordStandIn],
) -> None:
    publisher, standin = publishing
    standin.throttle_next = 3
    digests = [titled(f"Digest {n}") for n in range(4)]
    await asyncio.gather(
        *(publisher.publish(CHANNEL, digest, f"key-{n}") for n, digest in enumerate(digests)),
        publisher.publish(OTHER, titled("Elsewhere"), "other"),
    )
    assert standin.throttled == 3
    titles = [message["content"] for message in standin.messages(CHANNEL_ID)]
    assert [title.split(" (")[0] for title in titles] == [
        label_title(f"Digest {n}") for n in range(4)
    ]
    assert len(standin.messages(OTHER.channel)) == 1


async def test_a_refusal_is_a_publish_error_in_one_line(
    publishing: tuple[DiscordPublisher, DiscordStandIn],
) -> None:
    publisher, _ = publishing
    with pytest.raises(PublishError) as refused:
        await publisher.publish(Destination(Platform.DISCORD, "1", "general"), digest_of(1), "k")
    assert "'general' is not a Discord channel id" in refused.value.reason


async def test_posting_a_key_again_shows_nothing_twice(
    publishing: tuple[DiscordPublisher, DiscordStandIn],
) -> None:
    publisher, standin = publishing
    await publisher.publish(CHANNEL, digest_of(12), "daily:1:2024-01-05")
    shown = len(standin.messages(CHANNEL_ID))
    assert await publisher.lookup(CHANNEL, "daily:1:2024-01-05") is False, "post it again"
    await publisher.publish(CHANNEL, digest_of(12), "daily:1:2024-01-05")
    assert len(standin.made("POST", f"/channels/{CHANNEL_ID}/messages")) == 2 * shown
    assert len(standin.messages(CHANNEL_ID)) == shown, "Discord dropped the repeated nonces"


async def test_server_errors_are_tried_again_under_the_same_nonce() -> None:
    waits: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)

    async with (
        discord_standin() as standin,
        open_discord_client(options_for(standin)) as client,
    ):
        publisher = DiscordPublisher(client, RetryPolicy(attempts=4, backoff=2.0), fake_sleep)
        standin.fail_status, standin.fail_next = 503, 2
        await publisher.publish(CHANNEL, digest_of(1), "k")
        assert waits == [2.0, 4.0] and len(standin.messages(CHANNEL_ID)) == 1
        standin.fail_next = 4
        with pytest.raises(PublishError) as failed:
            await publisher.publish(CHANNEL, digest_of(1), "k2")
        assert failed.value.reason == "Discord refused the post: 503 503: Server Error"
        assert waits[2:] == [2.0, 4.0, 8.0] and standin.failed == 6

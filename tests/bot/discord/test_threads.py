"""A scheduled digest in the thread layout on Discord: a parent message and its thread, or a forum
post, through discord.py's REST client against the Discord stand-in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
import pytest_asyncio

from bot.adapters.discord import DiscordPublisher, open_discord_client
from bot.adapters.discord.publisher import RetryPolicy, nonce
from bot.domain import Destination, Digest, DigestLayout, Platform
from bot.ports import PublishError
from tests.bot.discord.conftest import options_for
from tests.bot.discord.standin import CHANNEL_ID, GUILD_ID, DiscordStandIn, discord_standin
from tests.bot.discord.test_publisher import assert_within_limits
from tests.support.digests import digest_of

pytestmark = pytest.mark.asyncio

CHANNEL = Destination(Platform.DISCORD, str(GUILD_ID), str(CHANNEL_ID))
FORUM_ID = "800000000000000077"
FORUM = Destination(Platform.DISCORD, str(GUILD_ID), FORUM_ID)
KEY = "digest:1:2024-01-05T09:00Z"


def threaded(count: int) -> Digest:
    return replace(digest_of(count), layout=DigestLayout.THREAD)


def titles(messages: list[dict[str, Any]]) -> list[str]:
    return [embed["title"] for message in messages for embed in message["embeds"]]


@pytest_asyncio.fixture
async def standin() -> AsyncIterator[DiscordStandIn]:
    async with discord_standin() as server:
        server.channel_types[FORUM_ID] = 15
        yield server


async def publisher(standin: DiscordStandIn) -> AsyncIterator[DiscordPublisher]:
    async with open_discord_client(options_for(standin)) as client:
        yield DiscordPublisher(client, RetryPolicy(attempts=1))


async def test_twelve_stories_are_a_parent_message_and_a_thread_of_twelve(
    standin: DiscordStandIn,
) -> None:
    async for discord in publisher(standin):
        await discord.publish(CHANNEL, threaded(12), KEY)
    (parent,) = standin.shown(CHANNEL_ID)
    assert parent["content"].startswith("Daily digest, Fri 5 Jan 2024 (12 stories)")
    index = parent["embeds"][0]["description"].split("\n")
    assert index[0].startswith("1. [Story 0: budget passes](https://a.example/0)")
    assert len(index) == 12 and index[11].startswith("12. [Story 11")
    (thread,) = standin.threads.values()
    assert thread["id"] == parent["id"] and thread["name"] == "Daily digest, Fri 5 Jan 2024"
    stories = standin.shown(thread["id"])
    assert titles(stories) == [f"Story {n}: budget passes" for n in range(12)]
    sent = standin.messages(thread["id"])
    assert [m["nonce"] for m in sent] == [nonce(KEY, part) for part in range(1, 13)]
    for message in [standin.messages(CHANNEL_ID)[0], *sent]:
        assert_within_limits(message)
        assert message["allowed_mentions"] == {"parse": []}


async def test_a_forum_channel_gets_a_forum_post_with_one_message_per_story(
    standin: DiscordStandIn,
) -> None:
    async for discord in publisher(standin):
        await discord.publish(FORUM, threaded(12), KEY)
    assert standin.shown(FORUM_ID) == [], "nothing is posted in the forum itself"
    (post,) = standin.threads.values()
    assert post["parent_id"] == FORUM_ID and post["name"] == "Daily digest, Fri 5 Jan 2024"
    first, *stories = standin.shown(post["id"])
    assert first["id"] == post["id"] and "(12 stories)" in first["content"]
    assert titles(stories) == [f"Story {n}: budget passes" for n in range(12)]
    (made,) = standin.made("POST", f"/channels/{FORUM_ID}/threads")
    assert_within_limits(made.body["message"])
    gets = standin.made("GET", f"/channels/{FORUM_ID}")
    assert len(gets) == 1, "the channel's type is asked once"


async def test_the_inline_layout_posts_in_the_channel_as_before(standin: DiscordStandIn) -> None:
    async for discord in publisher(standin):
        await discord.publish(CHANNEL, replace(threaded(12), layout=DigestLayout.INLINE), KEY)
    # inline as before: stored stories carry an actions row each, five rows to a message
    assert standin.threads == {} and len(standin.shown(CHANNEL_ID)) == 3
    assert standin.made("GET", "/channels/") == [], "no need to know the channel's type"


async def test_a_thread_channel_gets_the_digest_inline(standin: DiscordStandIn) -> None:
    standin.channel_types["800000000000000055"] = 11
    inside = Destination(Platform.DISCORD, str(GUILD_ID), "800000000000000055")
    async for discord in publisher(standin):
        await discord.publish(inside, threaded(3), KEY)
    assert (
        standin.threads == {}
        and titles(standin.shown(inside.channel))[0] == "Story 0: budget passes"
    )


@pytest.mark.parametrize("where", [CHANNEL, FORUM], ids=["channel", "forum"])
async def test_a_crash_after_the_parent_and_five_stories_posts_only_the_rest(
    standin: DiscordStandIn, where: Destination
) -> None:
    standin.posts_left = 6  # the parent and five stories get through, then the process dies
    async for discord in publisher(standin):
        with pytest.raises(PublishError):
            await discord.publish(where, threaded(12), KEY)
    standin.posts_left = None
    standin.by_nonce.clear()  # long after: beyond Discord's nonce window
    async for restarted in publisher(standin):
        assert await restarted.lookup(where, KEY) is False
        await restarted.publish(where, threaded(12), KEY)
    (thread,) = standin.threads.values()
    shown = standin.shown(thread["id"])
    stories = shown if where == CHANNEL else shown[1:]  # a forum post's first is the parent
    assert titles(stories) == [f"Story {n}: budget passes" for n in range(12)], "each once"
    assert len(standin.shown(CHANNEL_ID)) == (1 if where == CHANNEL else 0)


async def test_a_repeat_within_the_nonce_window_shows_nothing_twice(
    standin: DiscordStandIn,
) -> None:
    standin.posts_left = 3
    async for discord in publisher(standin):
        with pytest.raises(PublishError):
            await discord.publish(CHANNEL, threaded(12), KEY)
        standin.posts_left = None
        await discord.publish(CHANNEL, threaded(12), KEY)  # tried again without a restart
    (thread,) = standin.threads.values()
    assert len(standin.shown(CHANNEL_ID)) == 1, "the parent's nonce found the parent"
    assert titles(standin.shown(thread["id"])) == [f"Story {n}: budget passes" for n in range(12)]

"""A scheduled digest in the thread layout on Slack: one parent message, the stories in its thread.

The real slack_sdk client against the Slack stand-in, which keeps each message's `ts` and answers
conversations.history (top-level messages) and conversations.replies (a thread) from them.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
import pytest_asyncio

from bot.adapters.slack.publisher import SlackClientOptions, SlackPublisher, web_client
from bot.domain import Destination, Digest, DigestLayout, Platform
from bot.ports import PublishError
from bot.render.blocks import render_digest_blocks
from tests.bot.slack.standin import TOKEN, SlackStandIn, slack_standin
from tests.bot.test_render_blocks import assert_within_limits
from tests.support.digests import digest_of

pytestmark = pytest.mark.asyncio

NEWS = Destination(Platform.SLACK, "T1", "C-news")
KEY = "digest:1:2024-01-05T09:00Z"


def threaded(count: int) -> Digest:
    return replace(digest_of(count), layout=DigestLayout.THREAD)


def publisher(standin: SlackStandIn) -> SlackPublisher:
    """A publisher of its own (a process started afresh remembers nothing)."""
    return SlackPublisher(web_client(SlackClientOptions(TOKEN, api_url=standin.url)))


def part(message: dict[str, Any]) -> int:
    return int(message["metadata"]["event_payload"]["part"])


@pytest_asyncio.fixture
async def standin() -> AsyncIterator[SlackStandIn]:
    async with slack_standin() as server:
        yield server


async def test_twelve_stories_are_one_parent_and_twelve_replies_in_its_thread(
    standin: SlackStandIn,
) -> None:
    await publisher(standin).publish(NEWS, threaded(12), KEY)
    parent, *replies = standin.posted
    assert "thread_ts" not in parent and part(parent) == 0
    assert parent["metadata"]["event_payload"] == {"key": KEY, "part": 0, "parts": 13}
    assert len(replies) == 12 and all(reply["thread_ts"] == parent["ts"] for reply in replies)
    assert [part(reply) for reply in replies] == list(range(1, 13))
    for message in standin.posted:
        assert_within_limits(message)
    lines = json.dumps(parent["blocks"])
    assert lines.index("1. <https://a.example/0|Story 0") < lines.index(
        "12. <https://a.example/11|"
    )
    assert "(2 sources)" in lines and "Daily digest" in parent["blocks"][0]["text"]["text"]
    assert "|Story 4: budget passes>" in json.dumps(replies[4]["blocks"])
    assert all(reply["text"].startswith("Story ") for reply in replies)


async def test_fifty_long_stories_keep_every_message_within_slacks_limits(
    standin: SlackStandIn,
) -> None:
    long = "A sentence that goes on and on. " * 200
    digest = replace(digest_of(50, text=long), layout=DigestLayout.THREAD)
    digest = replace(digest, entries=tuple(replace(e, headline=long) for e in digest.entries))
    await publisher(standin).publish(NEWS, digest, KEY)
    assert len(standin.posted) == 51
    for message in standin.posted:
        assert_within_limits(message)


async def test_the_inline_layout_posts_as_before(standin: SlackStandIn) -> None:
    inline = replace(threaded(12), layout=DigestLayout.INLINE)
    await publisher(standin).publish(NEWS, inline, KEY)
    assert all("thread_ts" not in message for message in standin.posted)
    assert [m["blocks"] for m in standin.posted] == [
        m["blocks"] for m in render_digest_blocks(inline)
    ]
    assert all(m["metadata"]["event_payload"] == {"key": KEY} for m in standin.posted)


async def test_a_crash_after_the_parent_and_five_stories_posts_only_the_rest(
    standin: SlackStandIn,
) -> None:
    standin.posts_left = 6  # the parent and five stories get through, then the process dies
    with pytest.raises(PublishError):
        await publisher(standin).publish(NEWS, threaded(12), KEY)
    assert len(standin.posted) == 6
    standin.posts_left = None
    restarted = publisher(standin)
    assert await restarted.lookup(NEWS, KEY) is False, "stories are missing: post again"
    await restarted.publish(NEWS, threaded(12), KEY)
    (parent,) = [m for m in standin.posted if "thread_ts" not in m]
    replies = standin.thread(parent["ts"])
    assert [part(reply) for reply in replies] == list(range(1, 13)), "each story once, in order"
    assert await publisher(standin).lookup(NEWS, KEY) is True


async def test_a_whole_thread_is_found_and_a_cut_one_is_not(standin: SlackStandIn) -> None:
    slack = publisher(standin)
    assert await slack.lookup(NEWS, KEY) is False
    await slack.publish(NEWS, threaded(3), KEY)
    assert await slack.lookup(NEWS, KEY) is True
    standin.posted.pop()  # the last story never made it
    assert await publisher(standin).lookup(NEWS, KEY) is False


async def test_a_lookup_slack_refuses_cannot_tell(standin: SlackStandIn) -> None:
    slack = publisher(standin)
    await slack.publish(NEWS, threaded(2), KEY)
    standin.refuse["conversations.replies"] = "ratelimited"
    assert await slack.lookup(NEWS, KEY) is None

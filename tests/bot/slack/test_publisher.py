"""SlackPublisher: the real slack_sdk client against the Slack stand-in on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
import pytest_asyncio

from bot.adapters.slack.publisher import SlackClientOptions, SlackPublisher, web_client
from bot.domain import (
    Destination,
    Digest,
    DigestEntry,
    DigestKind,
    EntryDate,
    Heading,
    Platform,
    SourceLink,
)
from bot.ports import PublishError
from tests.bot.slack.standin import TOKEN, SlackStandIn, slack_standin

pytestmark = pytest.mark.asyncio

WHEN = datetime(2024, 1, 5, tzinfo=UTC)
GENERAL = Destination(Platform.SLACK, "T1", "C-general")
NEWS = Destination(Platform.SLACK, "T1", "C-news")


def digest(count: int, sentence: str = "The council approved the budget.") -> Digest:
    entries = tuple(
        DigestEntry(
            story_id=n,
            headline=f"Story {n}",
            summary=(sentence,),
            actors=("Ilse Brandt",),
            dates=(EntryDate("Thursday", "2024-01-04"),),
            sources=(SourceLink("a.example", None, f"https://a.example/{n}"),),
            published=WHEN,
        )
        for n in range(1, count + 1)
    )
    return Digest(DigestKind.SCHEDULED, Heading(moment=WHEN), WHEN, WHEN, entries)


@pytest_asyncio.fixture
async def standin() -> AsyncIterator[SlackStandIn]:
    async with slack_standin() as server:
        yield server


def publisher(standin: SlackStandIn) -> SlackPublisher:
    return SlackPublisher(web_client(SlackClientOptions(TOKEN, api_url=standin.url)))


async def test_a_digest_arrives_with_blocks_and_its_key(standin: SlackStandIn) -> None:
    await publisher(standin).publish(GENERAL, digest(2), "digest:1:2024-01-05T09:00Z")
    (post,) = standin.posts()
    assert post["channel"] == "C-general" and post["text"]
    assert [block["type"] for block in post["blocks"]][:2] == ["header", "section"]
    assert post["metadata"]["event_payload"] == {"key": "digest:1:2024-01-05T09:00Z"}
    assert post["unfurl_links"] is False


async def test_lookup_finds_a_post_that_got_through(standin: SlackStandIn) -> None:
    slack = publisher(standin)
    assert await slack.lookup(GENERAL, "k1") is False
    await slack.publish(GENERAL, digest(1), "k1")
    assert await slack.lookup(GENERAL, "k1") is True
    assert await slack.lookup(NEWS, "k1") is False


async def test_a_429_storm_loses_nothing_and_keeps_order(standin: SlackStandIn) -> None:
    slack = publisher(standin)
    standin.throttle_next = 3
    await asyncio.wait_for(
        asyncio.gather(*(slack.publish(GENERAL, digest(1), f"k{n}") for n in range(4))), 30
    )
    keys = [post["metadata"]["event_payload"]["key"] for post in standin.posts()]
    assert keys == ["k0", "k1", "k2", "k3"]


async def test_a_40_story_digest_is_posted_as_several_messages_in_order(
    standin: SlackStandIn,
) -> None:
    await publisher(standin).publish(NEWS, digest(40), "big")
    posts = standin.posts()
    assert len(posts) > 1 and all(len(post["blocks"]) <= 50 for post in posts)
    shown = json.dumps([post["blocks"] for post in posts])
    assert shown.index("|Story 1>") < shown.index("|Story 20>") < shown.index("|Story 40>")


async def test_a_refusal_is_a_one_line_publish_error(standin: SlackStandIn) -> None:
    standin.refuse_with = "channel_not_found"
    with pytest.raises(PublishError) as refused:
        await publisher(standin).publish(GENERAL, digest(1), "k")
    assert refused.value.reason == "Slack refused the post: channel_not_found"


async def test_hostile_article_text_reaches_slack_inert(standin: SlackStandIn) -> None:
    await publisher(standin).publish(GENERAL, digest(1, "Alert <!channel> and @here now"), "k")
    payload = json.dumps(standin.posts())
    assert "<!channel>" not in payload and "@here" not in payload


async def test_a_reply_goes_to_its_thread_without_a_key(standin: SlackStandIn) -> None:
    await publisher(standin).post(GENERAL, digest(1), thread_ts="5.5")
    (post,) = standin.posts()
    assert post["thread_ts"] == "5.5" and "metadata" not in post


async def test_a_channels_posts_keep_their_order_through_a_storm(standin: SlackStandIn) -> None:
    slack = publisher(standin)
    standin.throttle_next = 5
    await asyncio.wait_for(
        asyncio.gather(
            slack.publish(GENERAL, digest(40), "big"),
            slack.post(GENERAL, digest(1, "A later reply."), thread_ts="1.0"),
            slack.publish(NEWS, digest(1), "news"),
        ),
        10,
    )
    general = [post for post in standin.posts() if post["channel"] == "C-general"]
    assert len(general) >= 3 and standin.throttled == 5
    assert [post.get("thread_ts") for post in general][-1] == "1.0"
    assert all("thread_ts" not in post for post in general[:-1])
    assert len(standin.posts()) == len(general) + 1

"""A Slack channel that keeps refusing posts (not_in_channel) is paused; others keep receiving."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot.adapters.slack.publisher import SlackClientOptions, SlackPublisher, web_client
from bot.clock import FakeClock
from bot.domain import Destination, Platform
from bot.fakes import MemoryFeedSource
from bot.store.memory import MemoryStore
from summaries import Analyzer
from tests.bot.slack.conftest import NOW, HttpSlack
from tests.bot.slack.signing import slash
from tests.bot.slack.standin import TOKEN, SlackStandIn, slack_standin
from tests.support.pausing import FEED, Room, a_managing_command_resumes, refused_channel_is_paused
from tests.support.samples import BRIDGE_A, entry
from tests.support.stack import build
from tests.support.waiting import wait_until

pytestmark = pytest.mark.asyncio

NEWS = Destination(Platform.SLACK, "T1", "C-news")
GENERAL = Destination(Platform.SLACK, "T1", "C-general")


@pytest_asyncio.fixture
async def slack_room(
    analyzer: Analyzer, source: MemoryFeedSource, clock: FakeClock
) -> AsyncIterator[tuple[Room, SlackStandIn]]:
    async with slack_standin() as standin:
        publisher = SlackPublisher(web_client(SlackClientOptions(TOKEN, api_url=standin.url)))
        stack = build(MemoryStore(), source, analyzer, clock, publisher)
        yield Room(stack, source, clock), standin


def refused_in(standin: SlackStandIn, channel: str) -> int:
    return len([post for post in standin.refused if post["channel"] == channel])


def shown_in(standin: SlackStandIn, channel: str) -> int:
    return len([post for post in standin.posts() if post["channel"] == channel])


async def test_a_channel_refusing_posts_three_times_is_paused_until_managed_again(
    slack_room: tuple[Room, SlackStandIn], caplog: pytest.LogCaptureFixture
) -> None:
    room, standin = slack_room
    standin.refuse_channels["C-news"] = "not_in_channel"
    caplog.set_level(logging.INFO)
    counts = (lambda c: refused_in(standin, c), lambda c: shown_in(standin, c))
    await refused_channel_is_paused(room, NEWS, GENERAL, counts, caplog)
    listing = await room.listing(NEWS)
    assert "Paused: Slack refused the post: not_in_channel since" in listing
    del standin.refuse_channels["C-news"]  # invited back
    await a_managing_command_resumes(room, NEWS, lambda c: shown_in(standin, c))


async def test_transient_refusals_never_pause(slack_room: tuple[Room, SlackStandIn]) -> None:
    room, standin = slack_room
    standin.refuse_channels["C-news"] = "internal_error"
    await room.follow(NEWS)
    room.publish(BRIDGE_A, "bridge")
    for number in range(1, 6):
        await room.day(number)
    assert refused_in(standin, "C-news") == 5, "tried every day"
    record = await room.stack.channel(NEWS)
    assert (record.refusals, record.paused_at) == (0, None)


async def test_a_digest_posted_on_demand_resumes_a_paused_channel(
    http_slack_public: HttpSlack,
) -> None:
    http_slack = http_slack_public  # /digest posted in the channel: the post proves access
    http_slack.source.put(FEED, [entry("bridge", BRIDGE_A, NOW)])
    await http_slack.send(slash(f"subscribe {FEED}"))
    await http_slack.standin.called("chat.postEphemeral")
    stack = http_slack.stack
    record = await stack.channel()
    for _ in range(3):
        await stack.store.record_refusal(record.id, "not_in_channel", NOW, 3)
    assert (await stack.channel()).paused_at is not None
    await http_slack.send(slash(""))
    await http_slack.standin.called("chat.postMessage")

    async def resumed() -> bool:
        return (await stack.channel()).paused_at is None

    await wait_until(resumed, "the channel resumed after its digest got through")

"""Slack's lifecycle events: an uninstall or a deleted channel forgets what the bot held there."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.clock import FakeClock
from bot.domain import Destination, Platform
from bot.news.topics import parse_topic
from tests.bot.slack.conftest import HttpSlack
from tests.bot.slack.signing import event_body, slash
from tests.support.waiting import wait_until

pytestmark = pytest.mark.asyncio

FEED = "https://lindmoor-post.example/feed.xml"
HERE = Destination(Platform.SLACK, "T1", "C1")
NEXT_DOOR = Destination(Platform.SLACK, "T1", "C2")
OTHER_TEAM = Destination(Platform.SLACK, "T2", "C5")


async def follow(http_slack: HttpSlack) -> None:
    """C1 of T1 follows FEED (through /digest) and a topic; C2 of T1 and C5 of T2 a topic each."""
    http_slack.source.put(FEED, [])
    assert await http_slack.send(slash(f"subscribe {FEED}")) == 200
    await http_slack.standin.called("chat.postEphemeral")
    for destination in (HERE, NEXT_DOOR, OTHER_TEAM):
        record = await http_slack.stack.channel(destination)
        await http_slack.stack.engine.subscribe_topic(record, parse_topic("Vogt"))
    assert await polled(http_slack) == [FEED]


async def polled(http_slack: HttpSlack) -> list[str]:
    """The feeds the engine polls a day later (Engine.due_feeds, and what a tick fetches)."""
    clock = http_slack.stack.engine.clock
    assert isinstance(clock, FakeClock)
    clock.advance(timedelta(days=1))
    due = [feed.url for feed in await http_slack.stack.engine.due_feeds()]
    report = await http_slack.stack.scheduler.tick()
    assert sorted(poll.feed.url for poll in report.polls) == sorted(due)
    return due


async def channels(http_slack: HttpSlack) -> set[Destination]:
    """The destinations still stored."""
    return {r.destination for r in await http_slack.stack.store.destinations()}


async def forgotten(http_slack: HttpSlack) -> None:
    """Wait until C1 is forgotten (Bolt runs event listeners after its ack)."""

    async def gone() -> bool:
        return HERE not in await channels(http_slack)

    await wait_until(gone, "channel C1 to be forgotten")


@pytest.mark.parametrize(
    ("event", "left"),
    [
        ({"type": "app_uninstalled"}, {OTHER_TEAM}),
        ({"type": "tokens_revoked", "tokens": {"bot": ["B1"]}}, {OTHER_TEAM}),
        ({"type": "channel_deleted", "channel": "C1"}, {NEXT_DOOR, OTHER_TEAM}),
        ({"type": "channel_archive", "channel": "C1", "user": "U1"}, {NEXT_DOOR, OTHER_TEAM}),
        ({"type": "group_deleted", "channel": "C1"}, {NEXT_DOOR, OTHER_TEAM}),
    ],
)
async def test_an_uninstall_or_a_gone_channel_forgets_it_and_its_feeds_stop(
    http_slack: HttpSlack, event: dict[str, Any], left: set[Destination]
) -> None:
    await follow(http_slack)
    assert await http_slack.send(event_body(event)) == 200
    await forgotten(http_slack)
    assert await channels(http_slack) == left
    subscriptions = await http_slack.stack.store.subscriptions()
    assert [s.target for s in subscriptions] == ["Vogt"] * len(left)
    assert await polled(http_slack) == []  # no one follows FEED any more


async def test_user_tokens_and_unknown_channels_forget_nothing_else(http_slack: HttpSlack) -> None:
    await follow(http_slack)
    revoked = {"type": "tokens_revoked", "tokens": {"oauth": ["U1"]}}
    assert await http_slack.send(event_body(revoked)) == 200
    assert await http_slack.send(event_body({"type": "channel_deleted", "channel": "C9"}, "Ev2"))
    assert await http_slack.send(event_body({"type": "channel_archive", "channel": "C1"}, "Ev3"))
    await forgotten(http_slack)  # the last event, so the ones before it have run
    assert await channels(http_slack) == {NEXT_DOOR, OTHER_TEAM}

"""The Home tab: the workspace's channels and subscriptions, published with views.publish."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.clock import FakeClock
from bot.domain import (
    ChannelOverview,
    Destination,
    DestinationRecord,
    DestinationSettings,
    Platform,
    Subscription,
    SubscriptionKind,
    SubscriptionView,
)
from bot.fakes import FakePublisher, MemoryFeedSource
from bot.render.slack_home import HOME_BLOCKS, render_home_view
from bot.store.memory import MemoryStore
from summaries import Analyzer
from tests.bot.slack.conftest import NOW, HttpSlack
from tests.bot.slack.signing import event_body, slash
from tests.support.samples import BRIDGE_A, entry
from tests.support.stack import build

pytestmark = pytest.mark.asyncio

FEED = "https://lindmoor-post.example/feed.xml"
WHEN = datetime(2024, 1, 5, tzinfo=UTC)


def home_opened(tab: str = "home") -> str:
    return event_body({"type": "app_home_opened", "user": "U7", "channel": "D1", "tab": tab})


async def test_opening_home_shows_the_workspaces_subscriptions(http_slack: HttpSlack) -> None:
    http_slack.source.put(FEED, [entry("bridge", BRIDGE_A, NOW)])
    await http_slack.send(slash(f"subscribe {FEED} only:bridge"))
    await http_slack.send(slash("subscribe Vogt <!here>"))
    await http_slack.send(slash("links off"))
    await http_slack.standin.called("chat.postEphemeral", 3)
    assert await http_slack.send(home_opened("messages")) == 200
    assert await http_slack.send(home_opened()) == 200
    await http_slack.standin.called("views.publish")
    (published,) = http_slack.standin.posts("views.publish")
    assert published["user_id"] == "U7" and published["view"]["type"] == "home"
    shown = json.dumps(published["view"]["blocks"])
    assert "*<#C1>*: digest at 09:00 UTC, daily, mode quiet, link replies off" in shown
    assert f"feed: {FEED} only: bridge (ok, 1 articles" in shown
    assert "topic: Vogt" in shown and "<!here>" not in shown


async def test_an_empty_workspace_says_so() -> None:
    view = render_home_view(())
    assert view["blocks"][-1]["text"]["text"] == "No channel follows anything yet."
    assert "/digest subscribe" in json.dumps(view)


async def test_a_large_workspace_stays_within_the_view_limit() -> None:
    channels = tuple(channel(n) for n in range(80))
    blocks = render_home_view(channels)["blocks"]
    assert len(blocks) <= HOME_BLOCKS
    assert blocks[-1]["elements"][0]["text"].startswith("…and ")
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")


async def test_the_overview_keeps_to_one_workspace_and_to_channels_that_follow_something(
    analyzer: Analyzer,
) -> None:
    store = MemoryStore()
    engine = build(store, MemoryFeedSource(), analyzer, FakeClock(WHEN), FakePublisher()).engine
    mine = await store.ensure_destination(place("T1", "C1"), DestinationSettings(), WHEN)
    await store.ensure_destination(place("T1", "C2"), DestinationSettings(), WHEN)
    other = await store.ensure_destination(place("T2", "C3"), DestinationSettings(), WHEN)
    for record in (mine, other):
        await store.add_subscription(record.id, SubscriptionKind.TOPIC, "Vogt", None, WHEN)
    (only,) = await engine.overview(Platform.SLACK, "T1")
    assert only.record.destination.channel == "C1" and len(only.subscriptions) == 1


def place(workspace: str, channel_id: str) -> Destination:
    return Destination(Platform.SLACK, workspace, channel_id)


def channel(number: int) -> ChannelOverview:
    record = DestinationRecord(
        number, place("T1", f"C{number:04d}"), DestinationSettings(), WHEN, WHEN
    )
    topic = Subscription(number, number, SubscriptionKind.TOPIC, "word " * 400, WHEN)
    return ChannelOverview(record, (SubscriptionView(topic, None),) * 3)

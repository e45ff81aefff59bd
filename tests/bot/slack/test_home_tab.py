"""The Home tab: the workspace's channels and subscriptions, published with views.publish."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

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
from bot.render.slack_home import HOME_BLOCKS, NOTHING_FOLLOWED, render_home_view
from bot.store.memory import MemoryStore
from summaries import Analyzer
from tests.bot.slack.conftest import NOW, HttpSlack
from tests.bot.slack.signing import event_body, slash
from tests.support.samples import BRIDGE_A, entry
from tests.support.stack import build

pytestmark = pytest.mark.asyncio

FEED = "https://lindmoor-post.example/feed.xml"
WHEN = datetime(2024, 1, 5, tzinfo=UTC)


def home_opened(tab: str = "home", user: str = "U7", event_id: str = "Ev1") -> str:
    event = {"type": "app_home_opened", "user": user, "channel": "D1", "tab": tab}
    return event_body(event, event_id)


async def open_home(slack: HttpSlack, user: str, opened: int) -> str:
    """Open `user`'s Home tab (the `opened`-th opening in all); the published blocks as JSON."""
    assert await slack.send(home_opened(user=user, event_id=f"Ev{opened}")) == 200
    await slack.standin.called("views.publish", opened)
    published = slack.standin.posts("views.publish")[opened - 1]
    assert published["user_id"] == user
    return json.dumps(published["view"]["blocks"])


async def follow(slack: HttpSlack, channel_id: str, topic: str) -> None:
    record = await slack.stack.channel(place("T1", channel_id))
    await slack.stack.store.add_subscription(record.id, SubscriptionKind.TOPIC, topic, None, NOW)


async def test_opening_home_shows_the_workspaces_subscriptions(http_slack: HttpSlack) -> None:
    http_slack.standin.memberships["U7"] = ["C1"]
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
    assert (
        "*<#C1>*: digest at 09:00 UTC, daily, mode quiet, layout thread, link replies off" in shown
    )
    assert f"feed: {FEED} only: bridge (ok, 1 articles" in shown
    assert "topic: Vogt" in shown and "<!here>" not in shown


async def test_each_viewer_sees_only_the_channels_they_are_a_member_of(
    http_slack: HttpSlack,
) -> None:
    await follow(http_slack, "C1PUBLIC", "Lindmoor bridge")
    await follow(http_slack, "G2SECRET", "Merger talks")
    # a member of both (three pages of two channels), a member of the public one only
    http_slack.standin.memberships["U7"] = ["C9", "C8", "G2SECRET", "C7", "C1PUBLIC"]
    http_slack.standin.memberships["U8"] = ["C1PUBLIC"]
    member = await open_home(http_slack, "U7", 1)
    assert "<#C1PUBLIC>" in member and "Lindmoor bridge" in member
    assert "<#G2SECRET>" in member and "Merger talks" in member
    outsider = await open_home(http_slack, "U8", 2)
    assert "<#C1PUBLIC>" in outsider and "Lindmoor bridge" in outsider
    assert "G2SECRET" not in outsider and "Merger" not in outsider
    stranger = await open_home(http_slack, "U9", 3)
    assert "C1PUBLIC" not in stranger and "Lindmoor" not in stranger
    assert NOTHING_FOLLOWED in stranger
    asked = http_slack.standin.posts("users.conversations")
    assert [call["user"] for call in asked] == ["U7", "U7", "U7", "U8", "U9"]


async def test_memberships_are_asked_again_only_after_a_minute(http_slack: HttpSlack) -> None:
    await follow(http_slack, "G2SECRET", "Merger talks")
    http_slack.standin.memberships["U7"] = ["G2SECRET"]
    assert "Merger talks" in await open_home(http_slack, "U7", 1)
    http_slack.standin.memberships["U7"] = []  # removed from the channel
    clock = http_slack.stack.engine.clock
    assert isinstance(clock, FakeClock)
    clock.advance(timedelta(seconds=59))
    assert "Merger talks" in await open_home(http_slack, "U7", 2)
    clock.advance(timedelta(seconds=2))
    assert "Merger talks" not in await open_home(http_slack, "U7", 3)
    assert len(http_slack.standin.posts("users.conversations")) == 2


async def test_when_slack_cannot_tell_the_memberships_nothing_is_listed(
    http_slack: HttpSlack,
) -> None:
    await follow(http_slack, "G2SECRET", "Merger talks")
    http_slack.standin.memberships["U7"] = ["G2SECRET"]
    http_slack.standin.refuse["users.conversations"] = "missing_scope"
    shown = await open_home(http_slack, "U7", 1)
    assert "G2SECRET" not in shown and "Merger" not in shown
    assert "could not check which channels you are a member of" in shown
    del http_slack.standin.refuse["users.conversations"]  # a failure is not remembered
    assert "Merger talks" in await open_home(http_slack, "U7", 2)


async def test_an_empty_workspace_says_so() -> None:
    view = render_home_view(())
    assert view["blocks"][-1]["text"]["text"] == NOTHING_FOLLOWED
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
    (only,) = await engine.overview(Platform.SLACK, "T1", {"C1", "C2", "C3"})
    assert only.record.destination.channel == "C1" and len(only.subscriptions) == 1
    assert await engine.overview(Platform.SLACK, "T1", {"C2", "C3"}) == ()


def place(workspace: str, channel_id: str) -> Destination:
    return Destination(Platform.SLACK, workspace, channel_id)


def channel(number: int) -> ChannelOverview:
    record = DestinationRecord(
        number, place("T1", f"C{number:04d}"), DestinationSettings(), WHEN, WHEN
    )
    topic = Subscription(number, number, SubscriptionKind.TOPIC, "word " * 400, WHEN)
    return ChannelOverview(record, (SubscriptionView(topic, None),) * 3)

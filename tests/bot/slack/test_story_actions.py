"""Clicks on a digest's buttons (signed `block_actions` in HTTP mode) against the Slack stand-in."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.adapters.slack.translate import slack_commands
from bot.commands.actions import NEEDS_MANAGE, STORY_GONE, SUBSCRIPTION_GONE
from bot.domain import Destination, Platform, SubscriptionKind
from tests.bot.slack.conftest import NOW, HttpSlack
from tests.bot.slack.signing import slash
from tests.support.samples import BRIDGE_A, entry
from tests.support.waiting import wait_until

pytestmark = pytest.mark.asyncio

FEED = "https://lindmoor-post.example/feed.xml"
CHANNEL = Destination(Platform.SLACK, "T1", "C1")


def block_actions(
    value: str, response_url: str, *, team: str = "T1", user: str = "U1", channel: str = "C1"
) -> str:
    """A signed-ready `block_actions` body: a click on one of the bot's buttons (in C1)."""
    payload = {
        "type": "block_actions",
        "team": {"id": team, "domain": "test"},
        "user": {"id": user, "team_id": team},
        "channel": {"id": channel, "name": "news"},
        "api_app_id": "A1",
        "token": "unused",
        "trigger_id": "1.2.3",
        "response_url": response_url,
        "container": {"type": "message", "is_ephemeral": True},
        "actions": [
            {"type": "button", "action_id": "newsdigest.x", "block_id": "b", "value": value}
        ],
    }
    return urlencode({"payload": json.dumps(payload)})


async def private_digest(slack: HttpSlack) -> list[dict[str, Any]]:
    slack.source.put(FEED, [entry("bridge", BRIDGE_A, NOW)])
    assert await slack.send(slash(f"subscribe {FEED}")) == 200
    await slack.standin.called("chat.postEphemeral")
    assert await slack.send(slash("")) == 200
    await slack.standin.called("chat.postEphemeral", 2)
    digest = slack.standin.posts("chat.postEphemeral")[-1]
    assert not slack.standin.posts("chat.postMessage"), "an asked-for digest is private"
    blocks: list[dict[str, Any]] = digest["blocks"]
    return blocks


def values(blocks: list[dict[str, Any]]) -> list[str]:
    found = []
    for block in blocks:
        for element in block.get("elements", []):
            found += [element.get("value")] + [o["value"] for o in element.get("options", [])]
    return [value for value in found if value]


async def click(slack: HttpSlack, value: str, **who: str) -> dict[str, Any]:
    before = len(slack.standin.responses)
    assert await slack.send(block_actions(value, slack.standin.response_url, **who)) == 200
    await wait_until(lambda: len(slack.standin.responses) > before, "the ephemeral answer")
    answer: dict[str, Any] = slack.standin.responses[-1]
    return answer


async def test_actions_answer_privately_and_mute_needs_a_full_member(http_slack: HttpSlack) -> None:
    offered = values(await private_digest(http_slack))
    why = next(v for v in offered if v.startswith("why:"))
    answer = await click(http_slack, why)
    assert answer["response_type"] == "ephemeral" and "Chosen:" in answer["text"]
    assert any(v.startswith("share:") for v in offered), "a Share in channel button"
    mute = next(v for v in offered if v.startswith("mute:"))
    http_slack.standin.guests.add("U9")
    answer = await click(http_slack, mute, user="U9")
    assert answer["text"] == NEEDS_MANAGE.replace("/subscribe", "/digest subscribe")
    answer = await click(http_slack, mute)
    assert answer["text"].startswith("Muted lindmoor-post.example here")
    record = await http_slack.stack.channel(CHANNEL)
    kinds = [s.kind for s in await http_slack.stack.store.subscriptions(record.id)]
    assert SubscriptionKind.MUTE in kinds


async def test_another_workspaces_story_is_not_found(http_slack: HttpSlack) -> None:
    offered = values(await private_digest(http_slack))
    why = next(v for v in offered if v.startswith("why:"))
    answer = await click(http_slack, why, team="T2")
    assert answer["text"] == STORY_GONE


async def test_share_posts_publicly(http_slack: HttpSlack) -> None:
    offered = values(await private_digest(http_slack))
    share = next(v for v in offered if v.startswith("share:"))
    answer = await click(http_slack, share)
    assert answer["replace_original"] is True
    await http_slack.standin.called("chat.postMessage")
    assert "Esker River" in str(http_slack.standin.posts("chat.postMessage")[-1]["blocks"])


def undo_value(answer: dict[str, Any]) -> str:
    """The Undo button's value under a mute or follow answer."""
    (undo,) = [v for v in values(answer["blocks"]) if v.startswith("undo:")]
    return undo


async def kinds_here(slack: HttpSlack) -> list[tuple[str, str]]:
    record = await slack.stack.channel(CHANNEL)
    return [(s.kind, s.target) for s in await slack.stack.store.subscriptions(record.id)]


async def test_follow_subscribes_the_actor_and_undo_removes_it_then_is_refused(
    http_slack: HttpSlack,
) -> None:
    offered = values(await private_digest(http_slack))
    follow = next(v for v in offered if v.startswith("follow:"))
    actor = follow.split(":", 2)[2]
    answer = await click(http_slack, follow)
    assert answer["text"].startswith("Now following actor:") and actor in answer["text"]
    assert ("topic", f'actor:"{actor}"') in await kinds_here(http_slack)
    undo = undo_value(answer)
    answer = await click(http_slack, undo)
    assert answer["text"].startswith("Removed #")
    assert ("topic", f'actor:"{actor}"') not in await kinds_here(http_slack)
    answer = await click(http_slack, undo)
    assert answer["text"] == slack_commands(SUBSCRIPTION_GONE)


async def test_undo_of_a_mute_and_after_unsubscribe(http_slack: HttpSlack) -> None:
    offered = values(await private_digest(http_slack))
    mute = next(v for v in offered if v.startswith("mute:"))
    undo = undo_value(await click(http_slack, mute))
    answer = await click(http_slack, undo)
    assert answer["text"] == f"Removed #{undo.removeprefix('undo:')} (lindmoor-post.example)."
    assert ("mute", "lindmoor-post.example") not in await kinds_here(http_slack)
    undo = undo_value(await click(http_slack, mute))
    number = undo.removeprefix("undo:")
    said = len(http_slack.standin.posts("chat.postEphemeral"))
    assert await http_slack.send(slash(f"unsubscribe {number}")) == 200
    await http_slack.standin.called("chat.postEphemeral", said + 1)
    assert ("mute", "lindmoor-post.example") not in await kinds_here(http_slack)
    answer = await click(http_slack, undo)
    assert answer["text"] == slack_commands(SUBSCRIPTION_GONE)
    http_slack.standin.guests.add("U9")
    guest = await click(http_slack, undo, user="U9")
    assert guest["text"] == NEEDS_MANAGE.replace("/subscribe", "/digest subscribe")


async def test_all_sources_and_why_answer_privately(http_slack: HttpSlack) -> None:
    offered = values(await private_digest(http_slack))
    sources = next(v for v in offered if v.startswith("sources:"))
    answer = await click(http_slack, sources)
    assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False
    assert "All sources of" in answer["text"]
    assert "<https://lindmoor-post.example/bridge|" in answer["text"]
    why = sources.replace("sources:", "why:")
    answer = await click(http_slack, why)
    assert "Why this summary" in answer["text"] and "score" in answer["text"]
    assert not http_slack.standin.posts("chat.postMessage"), "nothing public"


async def test_a_deleted_story_and_forged_values_change_nothing(http_slack: HttpSlack) -> None:
    offered = values(await private_digest(http_slack))
    before = await kinds_here(http_slack)
    for forged in ("why:999999", "mute:999999:lindmoor-post.example", "follow:1", "nonsense"):
        assert (await click(http_slack, forged))["text"] == STORY_GONE, forged
    mute = next(v for v in offered if v.startswith("mute:"))
    story = mute.split(":")[1]
    answer = await click(http_slack, f"mute:{story}:evil.example")
    assert "does not name evil.example" in answer["text"]
    answer = await click(http_slack, mute, team="T2")
    assert answer["text"] == STORY_GONE, "another workspace cannot name this story"
    await http_slack.stack.store.prune(NOW + timedelta(days=365))
    for value in (mute, f"why:{story}", f"sources:{story}"):
        assert (await click(http_slack, value))["text"] == STORY_GONE, value
    assert await kinds_here(http_slack) == before


async def test_a_mute_applies_to_the_channel_clicked_in_only(http_slack: HttpSlack) -> None:
    offered = values(await private_digest(http_slack))
    mute = next(v for v in offered if v.startswith("mute:"))
    before = await kinds_here(http_slack)
    answer = await click(http_slack, mute, channel="C2")
    assert answer["text"].startswith("Muted lindmoor-post.example here")
    assert await kinds_here(http_slack) == before, "the digest's channel is unchanged"
    other = await http_slack.stack.channel(Destination(Platform.SLACK, "T1", "C2"))
    kinds = [s.kind for s in await http_slack.stack.store.subscriptions(other.id)]
    assert kinds == [SubscriptionKind.MUTE]

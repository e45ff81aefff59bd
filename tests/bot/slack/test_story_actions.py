"""Clicks on a digest's buttons (signed `block_actions` in HTTP mode) against the Slack stand-in."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.commands.actions import NEEDS_MANAGE, STORY_GONE
from bot.domain import Destination, Platform, SubscriptionKind
from tests.bot.slack.conftest import NOW, HttpSlack
from tests.bot.slack.signing import slash
from tests.support.samples import BRIDGE_A, entry
from tests.support.waiting import wait_until

pytestmark = pytest.mark.asyncio

FEED = "https://lindmoor-post.example/feed.xml"
CHANNEL = Destination(Platform.SLACK, "T1", "C1")


def block_actions(value: str, response_url: str, *, team: str = "T1", user: str = "U1") -> str:
    """A signed-ready `block_actions` body: a click on one of the bot's buttons in C1."""
    payload = {
        "type": "block_actions",
        "team": {"id": team, "domain": "test"},
        "user": {"id": user, "team_id": team},
        "channel": {"id": "C1", "name": "news"},
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

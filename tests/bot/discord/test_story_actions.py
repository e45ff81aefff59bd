"""Clicks on a digest's components through the gateway stand-in: each action, its refusals."""

from __future__ import annotations

from typing import Any

import pytest

from bot.commands.actions import NEEDS_MANAGE, STORY_GONE, SUBSCRIPTION_GONE
from bot.domain import SubscriptionKind
from tests.bot.discord.conftest import CHANNEL, LiveDiscord, slash_payload
from tests.bot.discord.standin import (
    CHANNEL_ID,
    EVERYONE_PERMISSIONS,
    GUILD_ID,
    MANAGE_CHANNELS,
)
from tests.bot.discord.test_gateway_flows import EPHEMERAL, run_command, subscribe

pytestmark = pytest.mark.asyncio


def click(
    custom_id: str,
    values: list[str] | None = None,
    *,
    permissions: int = EVERYONE_PERMISSIONS | MANAGE_CHANNELS,
    guild: int | None = None,
) -> dict[str, Any]:
    """A component interaction (type 3): a select's chosen value or a button's custom_id."""
    payload = slash_payload(
        "digest", permissions=permissions, kind=3, guild=GUILD_ID if guild is None else guild
    )
    data: dict[str, Any] = {"custom_id": custom_id, "component_type": 3 if values else 2}
    if values is not None:
        data["values"] = values
    payload["data"] = data
    return payload


async def private_digest(live: LiveDiscord) -> dict[str, Any]:
    """Subscribe, ask for /digest; its (ephemeral) follow-up."""
    await subscribe(live)
    await run_command(live, slash_payload("digest"))
    body: dict[str, Any] = live.standin.made("POST", "/webhooks/")[-1].body
    return body


def story_select(message: dict[str, Any]) -> dict[str, Any]:
    select: dict[str, Any] = message["components"][0]["components"][0]
    return select


async def answer(live: LiveDiscord, payload: dict[str, Any], answers: int = 1) -> dict[str, Any]:
    await run_command(live, payload, answers)
    body: dict[str, Any] = live.standin.made("POST", "/webhooks/")[-1].body
    assert body["flags"] & EPHEMERAL, "only the clicker sees the answer"
    assert body["allowed_mentions"] == {"parse": []}
    return body


async def test_each_story_has_its_actions_and_why_and_sources_answer_privately(
    live_discord: LiveDiscord,
) -> None:
    message = await private_digest(live_discord)
    select = story_select(message)
    values = {option["value"].split(":")[0] for option in select["options"]}
    assert {"why", "sources", "mute"} <= values
    why = next(o["value"] for o in select["options"] if o["value"].startswith("why:"))
    body = await answer(live_discord, click(select["custom_id"], [why]))
    assert "Why this summary" in body["content"] and "Chosen:" in body["content"]
    assert "score" in body["content"] and "position" in body["content"]
    sources = why.replace("why:", "sources:")
    body = await answer(live_discord, click(select["custom_id"], [sources]))
    assert "All sources" in body["content"] and "https://lindmoor-post.example/bridge" in str(body)


async def test_mute_needs_manage_channels_then_filters_the_outlet_and_can_be_undone(
    live_discord: LiveDiscord,
) -> None:
    select = story_select(await private_digest(live_discord))
    mute = next(o["value"] for o in select["options"] if o["value"].startswith("mute:"))
    refused = click(select["custom_id"], [mute], permissions=EVERYONE_PERMISSIONS)
    body = await answer(live_discord, refused)
    assert body["content"] == NEEDS_MANAGE.replace("*", "\\*")
    stack = live_discord.stack
    record = await stack.channel(CHANNEL)
    assert not [s for s in await stack.store.subscriptions(record.id) if s.kind == "mute"]
    body = await answer(live_discord, click(select["custom_id"], [mute]))
    assert body["content"].startswith("Muted lindmoor-post.example here (#")
    (muted,) = [s for s in await stack.store.subscriptions(record.id) if s.kind == "mute"]
    assert muted.kind is SubscriptionKind.MUTE and muted.target == "lindmoor-post.example"
    undo = body["components"][0]["components"][0]["custom_id"]
    assert undo == f"newsdigest:undo:{muted.id}"
    await run_command(live_discord, slash_payload("digest"))
    after = live_discord.standin.made("POST", "/webhooks/")[-1].body
    assert "Esker River" not in str(after["embeds"]), "the muted outlet's story is gone"
    await run_command(live_discord, slash_payload("subscriptions"))
    listed = live_discord.standin.made("POST", "/webhooks/")[-1].body["content"]
    assert f"#{muted.id} muted outlet: lindmoor-post.example" in listed
    body = await answer(live_discord, click(undo))
    assert body["content"].startswith(f"Removed #{muted.id}")
    body = await answer(live_discord, click(undo))
    assert body["content"] == SUBSCRIPTION_GONE, "an undo of a deleted subscription"


async def test_forged_and_other_servers_story_ids_change_nothing(
    live_discord: LiveDiscord,
) -> None:
    select = story_select(await private_digest(live_discord))
    story = select["custom_id"].rsplit(":", 1)[1]
    stack = live_discord.stack
    record = await stack.channel(CHANNEL)
    before = await stack.store.subscriptions(record.id)
    for value in ("mute:999999:lindmoor-post.example", "why:abc", "follow:1"):
        body = await answer(live_discord, click(select["custom_id"], [value]))
        assert body["content"] == STORY_GONE
    elsewhere = click(select["custom_id"], [f"mute:{story}:lindmoor-post.example"], guild=77)
    body = await answer(live_discord, elsewhere)
    assert body["content"] == STORY_GONE, "another server's click cannot name this story"
    forged_outlet = click(select["custom_id"], [f"mute:{story}:evil.example"])
    body = await answer(live_discord, forged_outlet)
    assert "does not name evil.example" in body["content"]
    assert await stack.store.subscriptions(record.id) == before


async def test_share_posts_the_private_digest_in_the_channel(live_discord: LiveDiscord) -> None:
    message = await private_digest(live_discord)
    share = message["components"][-1]["components"][0]
    assert share["type"] == 2 and share["label"] == "Share in channel"
    await run_command(live_discord, click(share["custom_id"]), answers=2)
    posted = live_discord.standin.messages(CHANNEL_ID)
    assert posted and "Esker River" in str(posted[-1]["embeds"])
    assert not posted[-1].get("flags"), "shared for everyone"
    last = live_discord.standin.made("POST", "/webhooks/")[-1].body
    assert last["content"] == "Shared in the channel." and last["flags"] & EPHEMERAL


async def test_follow_subscribes_the_actor_and_needs_manage_channels(
    live_discord: LiveDiscord,
) -> None:
    select = story_select(await private_digest(live_discord))
    follow = next(o["value"] for o in select["options"] if o["value"].startswith("follow:"))
    actor = follow.split(":", 2)[2]
    refused = click(select["custom_id"], [follow], permissions=EVERYONE_PERMISSIONS)
    assert (await answer(live_discord, refused))["content"] == NEEDS_MANAGE.replace("*", "\\*")
    body = await answer(live_discord, click(select["custom_id"], [follow]))
    assert body["content"].startswith("Now following actor:"), body
    record = await live_discord.stack.channel(CHANNEL)
    topics = [s.target for s in await live_discord.stack.store.subscriptions(record.id)]
    assert f'actor:"{actor}"' in topics

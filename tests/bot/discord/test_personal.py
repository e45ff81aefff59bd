"""Personal digests on Discord: slash commands in a person's DM with the bot (no server).

The commands are registered for servers and the bot's DMs, for server and user installs. A DM
interaction carries no guild: the destination is the DM channel in the person's own tenant
("user:<id>"), managed without Manage Channels, and the scheduled digest is posted into the DM
(inline: a DM cannot have threads) at the scheduled time. Real discord.py through the gateway
and REST stand-in; time is a fake clock the test moves.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.adapters.discord.services import personal_destination
from bot.clock import FakeClock
from bot.domain import Destination, Platform
from bot.ports import FeedEntry
from tests.bot.discord.conftest import NOW, LiveDiscord, option, slash_payload
from tests.bot.discord.standin import CHANNEL_ID, GUILD_ID, PERSON_ID, user
from tests.bot.discord.test_gateway_flows import FEED, run_command
from tests.support.samples import BRIDGE_A, CHOIR_A, entry

pytestmark = pytest.mark.asyncio

DM_ID = 800000000000000300
BOT_DM, PRIVATE_CHANNEL = 1, 2  # an interaction's context


def dm_payload(
    name: str, options: list[dict[str, Any]] | None = None, *, context: int = BOT_DM
) -> dict[str, Any]:
    """A slash command typed in the person's DM with the bot: no guild, no member, a user."""
    payload = slash_payload(name, options, permissions=0)
    for key in ("guild_id", "member"):
        payload.pop(key)
    payload["user"] = user(PERSON_ID, "reader")
    payload["channel"] = {"id": str(DM_ID), "type": 1, "recipients": [user(PERSON_ID, "reader")]}
    payload["channel_id"] = str(DM_ID)
    payload["context"] = context
    payload["authorizing_integration_owners"] = {"1": str(PERSON_ID)}
    return payload


def answered(live: LiveDiscord) -> str:
    """The last answer: a follow-up, or an immediate reply (a refusal)."""
    calls = [c for c in live.standin.calls if c.path.startswith(("/webhooks/", "/interactions/"))]
    return str(calls[-1].body)


async def test_commands_are_offered_in_dms_and_to_user_installs(live_discord: LiveDiscord) -> None:
    (synced,) = live_discord.standin.made("PUT", "/applications/")
    for command in synced.body:
        assert sorted(command["contexts"]) == [0, 1], command["name"]  # guild, bot DM
        assert sorted(command["integration_types"]) == [0, 1], command["name"]


async def test_a_personal_digest_is_delivered_in_the_dm_at_the_scheduled_time(
    live_discord: LiveDiscord,
) -> None:
    live = live_discord
    live.standin.channel_types[str(DM_ID)] = 1
    items: list[FeedEntry] = [entry("old-news", CHOIR_A, NOW)]
    live.source.put(FEED, items)
    await run_command(live, dm_payload("subscribe", [option("target", FEED)]))
    assert "Subscribed (#" in answered(live)
    await run_command(live, dm_payload("schedule", [option("time", "07:30")]))
    assert "07:30" in answered(live)
    mine = Destination(Platform.DISCORD, f"user:{PERSON_ID}", str(DM_ID))
    assert personal_destination(PERSON_ID, DM_ID) == mine
    record = await live.stack.engine.destination(mine)
    assert record.settings.timezone == "UTC", "Discord gives no profile timezone"
    items.append(entry("bridge", BRIDGE_A, NOW))
    live.source.put(FEED, list(items))
    clock = live.stack.engine.clock
    assert isinstance(clock, FakeClock)
    clock.set(datetime(2024, 1, 6, 7, 29, tzinfo=UTC))
    assert (await live.stack.scheduler.tick()).posts == ()
    clock.set(datetime(2024, 1, 6, 7, 30, tzinfo=UTC))
    (post,) = (await live.stack.scheduler.tick()).posts
    assert post.key == f"digest:{record.id}:2024-01-06T07:30Z"
    shown = live.standin.shown(DM_ID)
    assert shown and "Bridge" in str(shown) and "Daily digest" in str(shown)
    assert live.standin.threads == {}, "a DM cannot have threads: the digest is inline"
    assert live.standin.made("POST", f"/channels/{CHANNEL_ID}/") == [], "posted in a server"
    assert live.standin.made("POST", f"/channels/{DM_ID}/messages")


async def test_a_dm_sees_only_its_own_tenants_feeds(live_discord: LiveDiscord) -> None:
    live = live_discord
    live.source.put(FEED, [entry("bridge", BRIDGE_A, NOW)])
    await run_command(live, slash_payload("subscribe", [option("target", FEED)]))
    await run_command(live, dm_payload("subscriptions"))
    assert FEED not in answered(live), "the server's feed listed in a personal DM"
    server = await live.stack.engine.destination(
        Destination(Platform.DISCORD, str(GUILD_ID), str(CHANNEL_ID))
    )
    assert len(await live.stack.engine.subscriptions(server)) == 1


async def test_a_dm_between_people_is_refused(live_discord: LiveDiscord) -> None:
    live = live_discord
    await run_command(live, dm_payload("subscriptions", context=PRIVATE_CHANNEL), answers=0)
    assert "direct messages with me" in answered(live)
    stored = await live.stack.engine.destinations()
    assert all(not record.destination.workspace.startswith("user:") for record in stored)

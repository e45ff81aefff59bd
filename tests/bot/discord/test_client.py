"""Starting up on Discord: login, gateway, intents, shards, command sync, clear start errors."""

from __future__ import annotations

import discord
import pytest

from bot.adapters.discord import (
    DiscordPublisher,
    DiscordStartError,
    open_discord,
    open_discord_client,
)
from bot.clock import FakeClock
from bot.commands.spec import on
from bot.domain import Platform
from bot.fakes import MemoryFeedSource
from bot.store.memory import MemoryStore
from summaries import Analyzer
from tests.bot.discord.conftest import NOW, option, options_for, slash_payload
from tests.bot.discord.standin import APP_ID, GUILD_ID, discord_standin
from tests.support.stack import build
from tests.support.waiting import wait_until

pytestmark = pytest.mark.asyncio

MESSAGE_CONTENT = 1 << 15
GUILD_MESSAGES = 1 << 9


async def test_link_watching_off_asks_for_no_message_intents(analyzer: Analyzer) -> None:
    async with discord_standin() as standin:
        options = options_for(standin, dev_guild=GUILD_ID)
        async with open_discord_client(options) as client:
            publisher = DiscordPublisher(client)
            stack = build(MemoryStore(), MemoryFeedSource(), analyzer, FakeClock(NOW), publisher)
            async with open_discord(client, stack.commands, publisher, options):
                (identify,) = standin.identified
                assert identify["intents"] & (MESSAGE_CONTENT | GUILD_MESSAGES) == 0
                assert identify["intents"] & 1, "servers and channels"
                (synced,) = standin.made("PUT", "/applications/")
                assert synced.path == f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands"
                assert len(synced.body) == len(on(Platform.DISCORD))
                await standin.dispatch(
                    "INTERACTION_CREATE", slash_payload("links", [option("state", "on")])
                )
                await wait_until(lambda: standin.made("POST", "/webhooks/"), "the answer")
                answer = standin.made("POST", "/webhooks/")[-1].body["content"]
                assert "link replies on" in answer and "does not read messages" in answer


async def no_identify_spacing(self: discord.Client, shard_id: int | None, *, initial: bool) -> None:
    """discord.py waits 5 s on the wall clock between shards' IDENTIFYs (Discord's rule)."""


async def test_shards_follow_the_gateways_recommendation(
    analyzer: Analyzer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(discord.AutoShardedClient, "before_identify_hook", no_identify_spacing)
    async with discord_standin() as standin:
        standin.shards = 2
        options = options_for(standin)
        async with open_discord_client(options) as client:
            assert isinstance(client, discord.AutoShardedClient)
            publisher = DiscordPublisher(client)
            stack = build(MemoryStore(), MemoryFeedSource(), analyzer, FakeClock(NOW), publisher)
            async with open_discord(client, stack.commands, publisher, options):
                shards = sorted(tuple(identify["shard"]) for identify in standin.identified)
                assert shards == [(0, 2), (1, 2)]
                assert [guild.id for guild in client.guilds] == [GUILD_ID]


async def test_discord_shards_setting_wins() -> None:
    async with (
        discord_standin() as standin,
        open_discord_client(options_for(standin, shards=3)) as client,
    ):
        assert isinstance(client, discord.AutoShardedClient)
        assert client.shard_count == 3


async def test_a_refused_token_is_one_clear_error() -> None:
    async with discord_standin() as standin:
        with pytest.raises(DiscordStartError) as refused:
            async with open_discord_client(options_for(standin, token="wrong")):
                pass
    assert refused.value.reason == (
        "Discord refused DISCORD_TOKEN: copy it from the Bot page of the Developer Portal"
    )
    assert "wrong" not in str(refused.value)

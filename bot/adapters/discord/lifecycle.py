"""Discord's lifecycle events: the bot removed from a server, or a channel deleted, is forgotten.

`GUILD_DELETE` for a server that is not merely unavailable (discord.py's `on_guild_remove`)
forgets every channel of that server; `CHANNEL_DELETE` and `THREAD_DELETE` forget one channel or
thread. Subscriptions, schedules and posts go with them, and feeds no one follows any more stop
being polled.
"""

from __future__ import annotations

import logging

import discord

from bot.adapters.discord.services import destination
from bot.domain import Platform
from bot.engine import Engine

log = logging.getLogger(__name__)


def register_lifecycle(client: discord.Client, engine: Engine) -> None:
    """Forget servers the bot leaves and channels (or threads) that are deleted."""

    async def on_guild_remove(guild: discord.Guild) -> None:
        await engine.forget_tenant(Platform.DISCORD, str(guild.id))

    async def on_guild_channel_delete(channel: discord.abc.GuildChannel) -> None:
        await engine.forget_channel(destination(channel.guild.id, channel.id))

    async def on_raw_thread_delete(payload: discord.RawThreadDeleteEvent) -> None:
        await engine.forget_channel(destination(payload.guild_id, payload.thread_id))

    for listener in (on_guild_remove, on_guild_channel_delete, on_raw_thread_delete):
        client.event(listener)

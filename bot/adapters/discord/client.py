"""The discord.py client: minimal intents, the configured API, sharding when asked for.

`open_discord_client` logs in over REST (so a wrong token is one clear error at start), asks
`GET /gateway/bot` at the configured base for the gateway address and the recommended shard
count, and yields a client that the DiscordPublisher can post through. Connecting to the gateway
and serving the slash commands is `open_discord`'s job (bot/adapters/discord/runner.py).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aiohttp
import discord

from bot.adapters.discord.endpoints import (
    DEFAULT_API_URL,
    GatewayInfo,
    ask_gateway,
    discord_endpoints,
    use_gateway,
)

log = logging.getLogger(__name__)

#: Exactly what the bot uses: read and post in channels and threads, embeds, threads for link
#: replies, and message history for replying to a message where no thread can be made.
BOT_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    embed_links=True,
    read_message_history=True,
)
SCOPES = ("bot", "applications.commands")


@dataclass(frozen=True)
class DiscordOptions:
    """How the bot meets Discord (DISCORD_* settings).

    Attributes:
        token: The bot token, from the Bot page of the Developer Portal.
        api_url: The REST base; the gateway address comes from its `GET /gateway/bot`.
        dev_guild: A server id whose commands are synced at once (development); else global.
        shards: Run this many shards with AutoShardedClient; None: as Discord recommends.
        watch_links: Reply to links posted in channels (needs the Message Content intent).
        ready_timeout: Seconds to wait for the gateway's READY at start.
        guild_ready_timeout: Seconds discord.py waits for more servers after the last one.
        on_demand_private: `/digest` answers only its asker (NEWSDIGEST_ON_DEMAND=private).
    """

    token: str
    api_url: str = DEFAULT_API_URL
    dev_guild: int | None = None
    shards: int | None = None
    watch_links: bool = False
    ready_timeout: float = 60.0
    guild_ready_timeout: float = 2.0
    on_demand_private: bool = True


class DiscordStartError(Exception):
    """Discord cannot be served: a token, intent or server Discord refuses, or no connection.

    Attributes:
        reason: What is wrong and what to do, in one line.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def bot_intents(watch_links: bool) -> discord.Intents:
    """Servers and channels only; messages and their content only for link watching."""
    intents = discord.Intents.none()
    intents.guilds = True
    if watch_links:
        intents.guild_messages = True
        intents.message_content = True
        log.info(
            "Discord link watching is on: asking for the privileged Message Content intent "
            "(enable it on the Bot page of the Developer Portal)"
        )
    else:
        log.info("Discord link watching is off: the Message Content intent is not requested")
    return intents


def new_client(options: DiscordOptions, shards: int | None) -> discord.Client:
    """A Client, or an AutoShardedClient running `shards` shards when given."""
    # the bot never joins voice: no start-up warning that voice libraries are missing
    discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
    kind = discord.Client
    if shards is not None:
        log.info("Discord: AutoShardedClient with %d shard(s)", shards)
        kind = discord.AutoShardedClient
    return kind(
        intents=bot_intents(options.watch_links),
        allowed_mentions=discord.AllowedMentions.none(),
        max_messages=None,
        guild_ready_timeout=options.guild_ready_timeout,
        shard_count=shards,
    )


def invite_url(application_id: int) -> str:
    """The link that adds the bot to a server with exactly BOT_PERMISSIONS."""
    return discord.utils.oauth_url(application_id, permissions=BOT_PERMISSIONS, scopes=SCOPES)


@asynccontextmanager
async def open_discord_client(options: DiscordOptions) -> AsyncIterator[discord.Client]:
    """A logged-in client on the configured API and gateway, closed when the block exits.

    Raises:
        DiscordStartError: Discord refuses the token or cannot be reached.
    """
    with discord_endpoints(options.api_url):
        client = await _ready_client(options)
        try:
            yield client
        finally:
            await client.close()


async def _ready_client(options: DiscordOptions) -> discord.Client:
    client = await _login(new_client(options, options.shards), options)
    gateway = await _gateway(client, options)
    use_gateway(gateway.url)
    if options.shards is None and gateway.shards > 1:
        log.info("Discord recommends %d shards", gateway.shards)
        await client.close()
        client = await _login(new_client(options, gateway.shards), options)
    return client


async def _login(client: discord.Client, options: DiscordOptions) -> discord.Client:
    try:
        await client.login(options.token)
    except discord.LoginFailure:
        await client.close()
        raise DiscordStartError(
            "Discord refused DISCORD_TOKEN: copy it from the Bot page of the Developer Portal"
        ) from None
    except (discord.HTTPException, aiohttp.ClientError, OSError) as error:
        await client.close()
        raise DiscordStartError(
            f"Discord cannot be reached at {options.api_url}: {error}"
        ) from None
    log.info("Discord: logged in as %s (application %s)", client.user, client.application_id)
    return client


async def _gateway(client: discord.Client, options: DiscordOptions) -> GatewayInfo:
    try:
        return await ask_gateway(client.http)
    except (discord.GatewayNotFound, aiohttp.ClientError, OSError) as error:
        await client.close()
        raise DiscordStartError(
            f"Discord did not name a gateway at {options.api_url}/gateway/bot: {error}"
        ) from None

"""Serving Discord: the slash commands synced, link watching, the gateway connection.

Usage (bot/app/ wires it):

    async with open_discord_client(options) as client:
        publisher = DiscordPublisher(client)
        async with (
            open_bot(settings, publisher) as bot,
            open_discord(client, bot.commands, publisher, options) as discord_bot,
        ):
            await discord_bot.serve(bot.scheduler.run())

Commands are synced to DISCORD_DEV_GUILD at once when it is set (development), else globally.
`open_discord` returns once the gateway is READY, so a refused intent is one clear error at start.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import discord

from bot.adapters.discord.actions import story_actions_route
from bot.adapters.discord.client import DiscordOptions, DiscordStartError, invite_url
from bot.adapters.discord.interactions import route_interactions
from bot.adapters.discord.lifecycle import register_lifecycle
from bot.adapters.discord.publisher import DiscordPublisher
from bot.adapters.discord.schedule import schedule_form_route
from bot.adapters.discord.services import DiscordServices
from bot.adapters.discord.slash import Tree, build_command_tree
from bot.adapters.discord.watch import register_link_replies
from bot.commands.handlers import Commands
from bot.commands.links import LinkReader

log = logging.getLogger(__name__)

INTENT_REFUSED = (
    "Discord refused the Message Content intent: enable it on the Bot page of the Developer "
    "Portal, or set DISCORD_WATCH_LINKS=false"
)


@dataclass(frozen=True)
class DiscordRunning:
    """A client connected to the gateway, serving the slash commands.

    Attributes:
        client: The discord.py client.
        tree: Its slash commands.
        connection: The task reading the gateway; it ends when the connection is lost for good.
    """

    client: discord.Client
    tree: Tree
    connection: asyncio.Task[None]

    async def serve(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` (the scheduler) until it ends or the gateway connection ends for good.

        Raises:
            DiscordStartError: The gateway connection ended with an error.
        """
        task = asyncio.create_task(work, name="discord-work")
        try:
            await asyncio.wait({task, self.connection}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            await _stopped(task)
        if task.done() and not task.cancelled():
            task.result()  # the work's own error, if any
        if self.connection.done():
            _raise_if_failed(self.connection)


@asynccontextmanager
async def open_discord(
    client: discord.Client, commands: Commands, publisher: DiscordPublisher, options: DiscordOptions
) -> AsyncIterator[DiscordRunning]:
    """Sync the commands, connect to the gateway and serve until the block exits.

    Raises:
        DiscordStartError: Discord refuses the commands or the intents, or never gets ready.
    """
    services = DiscordServices(
        commands,
        publisher,
        LinkReader(commands.engine),
        watching_links=options.watch_links,
        on_demand_private=options.on_demand_private,
    )
    tree = build_command_tree(client, services)
    route_interactions(client, [story_actions_route(services), schedule_form_route(services)])
    if options.watch_links:
        register_link_replies(client, services)
    register_lifecycle(client, commands.engine)
    await sync_commands(tree, options.dev_guild)
    log.info("Discord invite link: %s", invite_url(client.application_id or 0))
    connection = asyncio.create_task(client.connect(reconnect=True), name="discord-gateway")
    try:
        await _until_ready(client, connection, options.ready_timeout)
        yield DiscordRunning(client, tree, connection)
    finally:
        await client.close()
        await _cancelled(connection)


async def sync_commands(tree: Tree, dev_guild: int | None) -> None:
    """Register the commands: in one server at once (development), else globally.

    Raises:
        DiscordStartError: Discord refused them (the bot is not in DISCORD_DEV_GUILD, say).
    """
    guild = discord.Object(id=dev_guild) if dev_guild else None
    if guild is not None:
        tree.copy_global_to(guild=guild)
    try:
        synced = await tree.sync(guild=guild)
    except discord.HTTPException as error:
        where = f"server {dev_guild} (DISCORD_DEV_GUILD)" if dev_guild else "all servers"
        raise DiscordStartError(
            f"Discord refused the slash commands for {where}: {error.status} {error.text}; "
            "is the bot invited there with the applications.commands scope?"
        ) from None
    log.info("Discord: %d slash commands synced to %s", len(synced), dev_guild or "all servers")


async def _until_ready(
    client: discord.Client, connection: asyncio.Task[None], timeout: float
) -> None:
    ready = asyncio.create_task(client.wait_until_ready(), name="discord-ready")
    try:
        await asyncio.wait(
            {ready, connection}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
        )
    finally:
        await _cancelled(ready)
    if connection.done():
        _raise_if_failed(connection)
        raise DiscordStartError("the Discord gateway closed the connection at start")
    if not client.is_ready():
        raise DiscordStartError(f"the Discord gateway was not ready within {timeout:g} s")
    log.info("Discord: connected as %s to %d server(s)", client.user, len(client.guilds))


def _raise_if_failed(connection: asyncio.Task[None]) -> None:
    error = None if connection.cancelled() else connection.exception()
    if isinstance(error, discord.PrivilegedIntentsRequired):
        raise DiscordStartError(INTENT_REFUSED) from None
    if error is not None:
        raise DiscordStartError(f"the Discord gateway connection failed: {error}") from error


async def _cancelled(task: asyncio.Task[Any]) -> None:
    """Cancel and await a helper task whose outcome was already read (or does not matter)."""
    if not task.done():
        task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task


async def _stopped(task: asyncio.Task[Any]) -> None:
    """Cancel a task still running; a finished one keeps its result or error for the caller."""
    if task.done():
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task

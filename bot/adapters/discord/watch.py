"""Link watching: a person's link in a server channel gets a reply with the page's digest.

Only in channels that said `/links on` (or, never having chosen, when Discord's configured
default is on: it is off unless NEWSDIGEST_DISCORD_LINK_REPLIES says otherwise).

Translation only: the page is digested by the platform-neutral LinkReader; this module picks
where the answer goes. A thread started from the message when the bot may create one, the
thread itself when the link was posted in a thread, else a reply to the message. Messages of
bots (this one included), webhooks and system messages are ignored; a page that cannot be
digested is logged, not announced (a public "could not read" would be noise in a busy channel).
"""

from __future__ import annotations

import logging
from typing import Literal

import discord

from bot.adapters.discord.services import DiscordServices, destination
from bot.adapters.discord.translate import links_in, thread_name
from bot.commands.links import LinkFailed
from bot.domain import Destination, Digest
from bot.ports import PublishError
from bot.render.titles import digest_title

log = logging.getLogger(__name__)

PERSON_MESSAGES = frozenset({discord.MessageType.default, discord.MessageType.reply})
THREAD_ARCHIVE_MINUTES: Literal[1440] = 1440  # a day


def from_a_person(message: discord.Message) -> bool:
    """Whether a message is a person's, in a server (not a bot's, a webhook's or the system's)."""
    return (
        message.guild is not None
        and not message.author.bot
        and message.webhook_id is None
        and message.type in PERSON_MESSAGES
    )


class LinkWatcher:
    """Answers links in messages with digests."""

    def __init__(self, services: DiscordServices) -> None:
        """Digest links with `services.links`, post with `services.publisher`."""
        self.services = services

    async def on_message(self, message: discord.Message) -> None:
        """A new message: digests of its links, if it is a person's and has any."""
        if not from_a_person(message):
            return
        urls = links_in(message.content)
        if not urls:
            return
        try:
            if await self.services.links.wanted(_channel_of(message)):
                await self._answer(message, urls)
        except Exception:
            log.exception("link reply failed in channel %s", message.channel.id)

    async def _answer(self, message: discord.Message, urls: list[str]) -> None:
        digests = [digest for url in urls if (digest := await self._digest(url)) is not None]
        if not digests:
            return
        target, reply_to = await self._where(message, digests[0])
        for digest in digests:
            try:
                await self.services.publisher.post(target, digest, reply_to=reply_to)
            except PublishError as error:
                log.warning("link digest not posted in %s: %s", target, error.reason)

    async def _digest(self, url: str) -> Digest | None:
        result = await self.services.links.digest(url)
        if isinstance(result, LinkFailed):
            log.info("no digest for the link %s: %s", url, result.reason)
            return None
        return result

    async def _where(
        self, message: discord.Message, first: Digest
    ) -> tuple[Destination, int | None]:
        """The channel to answer in, and the message to reply to when no thread is used."""
        guild_id = message.guild.id if message.guild else 0
        channel = message.channel
        if isinstance(channel, discord.Thread):
            return destination(guild_id, channel.id), None
        if isinstance(channel, discord.TextChannel) and may_start_threads(channel):
            headline = first.entries[0].headline if first.entries else digest_title(first)
            try:
                thread = await message.create_thread(
                    name=thread_name(headline), auto_archive_duration=THREAD_ARCHIVE_MINUTES
                )
            except discord.HTTPException as error:
                log.info("no thread in %s (%s %s); replying", channel.id, error.status, error.text)
            else:
                return destination(guild_id, thread.id), None
        return destination(guild_id, channel.id), message.id


def _channel_of(message: discord.Message) -> Destination:
    """The channel whose `links on|off` applies: a thread's parent, as a Slack thread's channel."""
    channel = message.channel
    parent = channel.parent_id if isinstance(channel, discord.Thread) else None
    return destination(message.guild.id if message.guild else 0, parent or channel.id)


def may_start_threads(channel: discord.TextChannel) -> bool:
    """Whether the bot may start a public thread in `channel` and post in it.

    When the bot's own member is not cached the answer is yes: Discord says no if it must.
    """
    me = channel.guild.me
    if me is None:
        return True
    allowed = channel.permissions_for(me)
    return allowed.create_public_threads and allowed.send_messages_in_threads


def register_link_replies(client: discord.Client, services: DiscordServices) -> LinkWatcher:
    """Answer links in messages the client sees (needs the Message Content intent)."""
    watcher = LinkWatcher(services)

    async def on_message(message: discord.Message) -> None:
        await watcher.on_message(message)

    client.event(on_message)
    return watcher

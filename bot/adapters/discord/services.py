"""What the Discord handlers call: the neutral commands, the link reader and the publisher."""

from __future__ import annotations

from dataclasses import dataclass

from bot.adapters.discord.publisher import DiscordPublisher
from bot.commands.handlers import Commands
from bot.commands.links import LinkReader
from bot.domain import Destination, Platform


@dataclass(frozen=True)
class DiscordServices:
    """The platform-neutral services behind the slash commands and the link replies."""

    commands: Commands
    publisher: DiscordPublisher
    links: LinkReader


def destination(guild_id: int, channel_id: int) -> Destination:
    """The destination of a Discord channel or thread in a server."""
    return Destination(Platform.DISCORD, str(guild_id), str(channel_id))

"""What the Discord handlers call: the neutral commands, the link reader and the publisher."""

from __future__ import annotations

from dataclasses import dataclass

from bot.adapters.discord.publisher import DiscordPublisher
from bot.commands.handlers import Commands
from bot.commands.links import LinkReader
from bot.domain import Destination, Platform


@dataclass(frozen=True)
class DiscordServices:
    """The platform-neutral services behind the slash commands and the link replies.

    Attributes:
        commands: The neutral commands.
        publisher: Posts digests as embeds.
        links: Digests posted links.
        watching_links: Whether the client reads messages at all (the Message Content intent);
            without it `/links on` is stored but cannot take effect, and the answer says so.
        on_demand_private: `/digest` answers only its asker, with a share button (False: in the
            channel for everyone, NEWSDIGEST_ON_DEMAND=channel).
    """

    commands: Commands
    publisher: DiscordPublisher
    links: LinkReader
    watching_links: bool = False
    on_demand_private: bool = True


def destination(guild_id: int, channel_id: int) -> Destination:
    """The destination of a Discord channel or thread in a server."""
    return Destination(Platform.DISCORD, str(guild_id), str(channel_id))


def personal_destination(user_id: int, channel_id: int) -> Destination:
    """A person's own destination: their direct message with the bot.

    A DM has no server, so its tenant is the person ("user:<id>"): quotas count per person, and
    the DM's digests and topics see only the feeds that person follows, never a server's. One
    tenant for every DM would let one person's topic match another person's feeds.
    """
    return Destination(Platform.DISCORD, f"{PERSONAL}{user_id}", str(channel_id))


PERSONAL = "user:"
"""The tenant prefix of personal (direct message) destinations."""

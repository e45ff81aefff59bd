"""The Discord adapter: discord.py client, slash commands, embeds publisher, link replies.

The only package that imports discord; translation only, the work is done by
bot/commands/handlers.py, bot/commands/links.py and the engine.
"""

from bot.adapters.discord.client import (
    BOT_PERMISSIONS,
    DiscordOptions,
    DiscordStartError,
    invite_url,
    open_discord_client,
)
from bot.adapters.discord.publisher import DiscordPublisher
from bot.adapters.discord.runner import DiscordRunning, open_discord

__all__ = [
    "BOT_PERMISSIONS",
    "DiscordOptions",
    "DiscordPublisher",
    "DiscordRunning",
    "DiscordStartError",
    "invite_url",
    "open_discord",
    "open_discord_client",
]

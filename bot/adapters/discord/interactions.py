"""One `on_interaction` for the bot's own components and modals, routed by custom_id prefix.

discord.py calls a single `on_interaction` per client, so the story actions and the schedule
form do not register their own: each gives an `InteractionRoute`, and `route_interactions`
installs the one listener that hands an interaction to the route whose prefix its custom_id
carries. Slash commands are not routed here (the command tree answers them). A route that
raises is logged and its clicker gets the route's one-line error, only to them.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import discord

from bot.adapters.discord.publisher import NO_MENTIONS

log = logging.getLogger(__name__)

Handle = Callable[[discord.Interaction], Awaitable[None]]


@dataclass(frozen=True)
class InteractionRoute:
    """Where interactions of one custom_id prefix go.

    Attributes:
        prefix: The custom_id prefix the route owns.
        kinds: The interaction types it answers (components, modal submissions).
        handle: Answers one interaction.
        failed: The one-line answer when `handle` raises.
    """

    prefix: str
    kinds: frozenset[discord.InteractionType]
    handle: Handle
    failed: str


def route_interactions(client: discord.Client, routes: Sequence[InteractionRoute]) -> None:
    """Install the client's one `on_interaction`, answering through the first matching route."""

    async def on_interaction(interaction: discord.Interaction) -> None:
        custom = custom_id_of(interaction)
        route = next(
            (r for r in routes if interaction.type in r.kinds and custom.startswith(r.prefix)),
            None,
        )
        if route is None:
            return
        try:
            await route.handle(interaction)
        except Exception:
            log.exception("%s interaction failed in %s", route.prefix, interaction.channel_id)
            await say_privately(interaction, route.failed)

    client.event(on_interaction)


def custom_id_of(interaction: discord.Interaction) -> str:
    """The clicked component's or submitted modal's custom_id ("" when none)."""
    data: Any = interaction.data or {}
    return str(data.get("custom_id") or "")


async def say_privately(interaction: discord.Interaction, text: str) -> None:
    """One line to the clicker alone, as the first response or as a follow-up."""
    if interaction.response.is_done():
        await interaction.followup.send(
            text, ephemeral=True, allowed_mentions=NO_MENTIONS, wait=True
        )
    else:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)

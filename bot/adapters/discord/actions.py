"""Clicks on a digest's components (type 3 interactions), answered only to the clicker.

Translation only: the chosen select option or the clicked button's custom_id becomes a neutral
`ActionRequest` (bot/commands/actions.py), which looks up what it names for this server and
channel. Changing actions need Manage Channels, as the commands that change a channel do. Every
answer is an ephemeral follow-up; "Share in channel" posts the digest for everyone.
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.adapters.discord.interactions import InteractionRoute, custom_id_of, say_privately
from bot.adapters.discord.publisher import NO_MENTIONS, message_arguments
from bot.adapters.discord.services import DiscordServices, destination
from bot.adapters.discord.translate import text_messages
from bot.commands.actions import (
    ActionRequest,
    ActionResult,
    Changed,
    Shared,
    StoryActionHandler,
    parse_action,
)
from bot.ports import PublishError
from bot.render.actions import action_text
from bot.render.embeds import COMPONENT_PREFIX, action_row, escape
from bot.texts import TRY_AGAIN

log = logging.getLogger(__name__)

FAILED = f"Error: {TRY_AGAIN}. Example: /digest"
IN_A_SERVER = "Error: use the digest's actions in a server channel. Example: /digest"
NOT_POSTED = "Error: I could not post the digest here ({reason}). Example: /digest"


def story_actions_route(services: DiscordServices) -> InteractionRoute:
    """The route of every click on a `newsdigest:` component, on any message however old."""
    handler = StoryActionHandler(services.commands.engine)

    async def handle(interaction: discord.Interaction) -> None:
        await _answer(services, handler, interaction)

    kinds = frozenset({discord.InteractionType.component})
    return InteractionRoute(COMPONENT_PREFIX, kinds, handle, FAILED)


def clicked_value(interaction: discord.Interaction) -> str:
    """The action value: the chosen select option's, else the button's custom_id's."""
    data: Any = interaction.data or {}
    values = data.get("values") or []
    if values:
        return str(values[0])
    return custom_id_of(interaction).removeprefix(COMPONENT_PREFIX)


async def _answer(
    services: DiscordServices, handler: StoryActionHandler, interaction: discord.Interaction
) -> None:
    if interaction.guild_id is None or interaction.channel_id is None:
        await interaction.response.send_message(
            IN_A_SERVER, ephemeral=True, allowed_mentions=NO_MENTIONS
        )
        return
    await interaction.response.defer(ephemeral=True, thinking=True)
    where = destination(interaction.guild_id, interaction.channel_id)
    allowed = interaction.permissions.manage_channels
    action = parse_action(clicked_value(interaction))
    request = ActionRequest(where, action, allowed, str(interaction.user.id))
    result = await handler.handle(request)
    if isinstance(result, Shared):
        await _share(services, interaction, result)
        return
    await _reply(interaction, result)


async def _reply(interaction: discord.Interaction, result: ActionResult) -> None:
    """The answer as ephemeral follow-ups, an Undo button after a mute or follow."""
    texts = text_messages(action_text(result, escape, _link))
    for number, text in enumerate(texts):
        extra: dict[str, Any] = {}
        last = number == len(texts) - 1
        if last and isinstance(result, Changed) and not result.already:
            extra["view"] = message_arguments(
                {"content": "", "embeds": [], "components": [action_row(result.undo)]}
            )["view"]
        await interaction.followup.send(
            text, ephemeral=True, allowed_mentions=NO_MENTIONS, wait=True, **extra
        )


async def _share(
    services: DiscordServices, interaction: discord.Interaction, shared: Shared
) -> None:
    where = destination(interaction.guild_id or 0, interaction.channel_id or 0)
    try:
        await services.publisher.post(where, shared.digest)
    except PublishError as error:
        await say_privately(interaction, NOT_POSTED.format(reason=escape(error.reason)))
        return
    await say_privately(interaction, action_text(shared, escape, _link))


def _link(url: str, label: str) -> str:
    """A markdown link Discord shows, its label inert and its URL unable to end the link."""
    target = url.replace(")", "%29").replace(" ", "%20")
    return f"[{escape(label)}]({target})"

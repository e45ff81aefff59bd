"""The "Change schedule" button and its modal: a channel's schedule changed in a form.

The `/subscriptions` answer in a server channel ends with a "Change schedule" button. A click
opens a modal (interaction response 9) filled in with the channel's current time, timezone,
weekdays and maximum; its submission (interaction type 5) runs the same neutral `schedule`
command as the typed `/schedule`, so the command judges the values. Discord cannot show errors
inside a modal, so every answer, a refusal included, is one ephemeral line with an example.

Nothing a click or submission carries is trusted: the custom_id names the channel it was made
for, and both the click and the submission must come from that very server and channel, from a
member with Manage Channels (checked here, and again by the neutral command). Each field must
be one token of its shape, so a value cannot smuggle in another of the command's options. No
modal is kept in memory: a submission after a restart is answered the same way.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

import discord

from bot.adapters.discord.interactions import InteractionRoute, custom_id_of, say_privately
from bot.adapters.discord.services import DiscordServices, destination
from bot.adapters.discord.translate import answer_text, discord_line
from bot.commands.handlers import CommandRequest
from bot.commands.replies import SPECS
from bot.delivery.timing import describe_weekdays
from bot.domain import Destination

log = logging.getLogger(__name__)

PREFIX = "newsdigest-schedule:"
OPEN = "open"
SAVE = "save"
BUTTON_LABEL = "Change schedule"
EXAMPLE = discord_line(SPECS["schedule"].example)
NOT_HERE = (
    "Error: that schedule form belongs to another channel, so nothing was changed. "
    f"Example: {EXAMPLE}"
)
NEEDS_MANAGE = (
    "Error: changing this channel's schedule needs the Manage Channels permission. "
    f"Example: ask a moderator to run {EXAMPLE}"
)
FAILED = f"Error: I could not change the schedule; try again. Example: {EXAMPLE}"
#: Each field's shape (one token), and how a correct value looks.
FIELDS = {
    "time": (re.compile(r"\d{1,2}:\d{2}"), "Digest time (HH:MM)", "09:00"),
    "timezone": (re.compile(r"[A-Za-z][A-Za-z0-9_+\-/]{0,63}"), "Timezone (IANA)", "Europe/Berlin"),
    "weekdays": (re.compile(r"[a-z][a-z,\-]{0,63}"), "Weekdays", "mon-fri"),
    "max": (re.compile(r"\d{1,3}"), "Maximum stories", "8"),
}
BAD_FIELD = "Error: {label} must look like {good}, not “{value}”. Example: " + EXAMPLE


@dataclass(frozen=True)
class ScheduleTarget:
    """What a custom_id names: open the form or save it, for which server's channel."""

    step: str
    where: Destination


def custom_id(step: str, where: Destination) -> str:
    """The custom_id of the button (OPEN) or the modal (SAVE) for the channel `where`."""
    return f"{PREFIX}{step}:{where.workspace}:{where.channel}"


def parse_custom_id(value: str) -> ScheduleTarget | None:
    """A custom_id back into its target; None when it is not one of ours."""
    step, _, rest = value.removeprefix(PREFIX).partition(":")
    guild, _, channel = rest.partition(":")
    if not value.startswith(PREFIX) or step not in (OPEN, SAVE):
        return None
    if not (guild.isdigit() and channel.isdigit()):
        return None
    return ScheduleTarget(step, destination(int(guild), int(channel)))


def schedule_button_row(where: Destination) -> dict[str, Any]:
    """The action row with the "Change schedule" button of the channel `where`."""
    button = {"type": 2, "style": 2, "label": BUTTON_LABEL, "custom_id": custom_id(OPEN, where)}
    return {"type": 1, "components": [button]}


def schedule_form_route(services: DiscordServices) -> InteractionRoute:
    """The route of the "Change schedule" button's clicks and its modal's submissions."""

    async def handle(interaction: discord.Interaction) -> None:
        target = parse_custom_id(custom_id_of(interaction))
        if target is not None:
            await _answer(services, interaction, target)

    kinds = frozenset({discord.InteractionType.component, discord.InteractionType.modal_submit})
    return InteractionRoute(PREFIX, kinds, handle, FAILED)


def submitted_values(interaction: discord.Interaction) -> dict[str, str]:
    """A modal submission's text inputs by custom_id, however Discord nests them in rows."""
    data: Any = interaction.data or {}
    found: dict[str, str] = {}
    pending: list[Any] = list(data.get("components") or [])
    while pending:
        item = pending.pop()
        if not isinstance(item, dict):
            continue
        pending += [*(item.get("components") or []), item.get("component")]
        if item.get("type") == 4:
            found[str(item.get("custom_id"))] = str(item.get("value") or "")
    return found


async def _answer(
    services: DiscordServices, interaction: discord.Interaction, target: ScheduleTarget
) -> None:
    refusal = _refusal(interaction, target)
    if refusal is not None:
        await say_privately(interaction, refusal)
    elif target.step == OPEN:
        await _open(services, interaction, target.where)
    else:
        await _save(services, interaction, target.where)


def _refusal(interaction: discord.Interaction, target: ScheduleTarget) -> str | None:
    """Why this member cannot change this channel's schedule from here, if they cannot."""
    if interaction.guild_id is None or interaction.channel_id is None:
        return NOT_HERE
    if destination(interaction.guild_id, interaction.channel_id) != target.where:
        log.info("a schedule form of %s used in %s", target.where, interaction.channel_id)
        return NOT_HERE
    if not interaction.permissions.manage_channels:
        return NEEDS_MANAGE
    return None


async def _open(
    services: DiscordServices, interaction: discord.Interaction, where: Destination
) -> None:
    record = await services.commands.engine.destination(where)
    settings = record.settings
    current = {
        "time": f"{settings.digest_time:%H:%M}",
        "timezone": settings.timezone,
        "weekdays": describe_weekdays(settings.weekdays),
        "max": str(settings.max_stories),
    }
    modal = discord.ui.Modal(title="Change the digest schedule", custom_id=custom_id(SAVE, where))
    for name, (_, label, good) in FIELDS.items():
        field: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label=label, custom_id=name, default=current[name], placeholder=good, max_length=64
        )
        modal.add_item(field)
    modal.stop()  # a finished modal is not kept: every submission comes to on_interaction
    await interaction.response.send_modal(modal)


async def _save(
    services: DiscordServices, interaction: discord.Interaction, where: Destination
) -> None:
    line = schedule_line(submitted_values(interaction))
    if line.startswith("Error:"):
        await say_privately(interaction, line)
        return
    await interaction.response.defer(ephemeral=True, thinking=True)
    allowed = interaction.permissions.manage_channels
    request = CommandRequest(where, line, may_manage=allowed, user=str(interaction.user.id))
    result = await services.commands.handle(request)
    await say_privately(interaction, answer_text(result))


def schedule_line(values: dict[str, str]) -> str:
    """The submitted fields as a `schedule` command line, or a one-line error with an example."""
    cleaned = {name: values.get(name, "").strip() for name in FIELDS}
    cleaned["weekdays"] = cleaned["weekdays"].lower()
    for name, (shape, label, good) in FIELDS.items():
        if not shape.fullmatch(cleaned[name]):
            shown = cleaned[name][:40] or "(empty)"
            return BAD_FIELD.format(label=label, good=good, value=shown)
    return (
        f"schedule {cleaned['time']} {cleaned['timezone']} {cleaned['weekdays']} "
        f"max={cleaned['max']}"
    )

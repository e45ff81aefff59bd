"""The slash commands, one per spec'd command Discord runs (bot/commands/spec.py).

Each app command is generated from its spec: options typed as Discord's (integers with their
range, choices, autocomplete for subscriptions and timezones, attachments for files) and
described from the spec. Translation only: each command's options become a neutral command line
for `Commands.handle`, and its result is rendered for Discord. Every interaction is deferred at
once and followed up; a digest comes as embeds in the channel, errors only to the asker
(ephemeral) with an example. An OPML list comes in as a file option (read from Discord's CDN once
its size, which Discord states, is within the limit) or as an OPML URL, and goes out as an
ephemeral file attachment.
Commands that change what a channel receives need Manage Channels: hidden from others by
`default_permissions`, and checked again here, because server admins can override the default.
"""

from __future__ import annotations

import inspect
import io
import logging
import zoneinfo
from collections.abc import Callable, Coroutine
from functools import cache
from typing import Any

import discord
from discord import app_commands

from bot.adapters.discord.publisher import NO_MENTIONS, Components, message_arguments
from bot.adapters.discord.schedule import schedule_button_row
from bot.adapters.discord.services import DiscordServices, destination, personal_destination
from bot.adapters.discord.translate import answer_text, discord_line, options_line, text_messages
from bot.commands.handlers import CommandRequest, CommandResult
from bot.commands.opml_files import MAX_OPML_BYTES
from bot.commands.replies import (
    SPECS,
    CommandError,
    DigestReply,
    OpmlExported,
    SettingsChanged,
    SubscriptionList,
)
from bot.commands.spec import invoke, on
from bot.commands.spec_types import ArgumentSpec, ArgumentType, CommandSpec
from bot.domain import Destination, Platform, Subscription
from bot.render.embeds import render_digest_embeds
from bot.texts import TRY_AGAIN, cut

log = logging.getLogger(__name__)

Tree = app_commands.CommandTree[discord.Client]
AppCommand = app_commands.Command[Any, ..., None]
Callback = Callable[..., Coroutine[Any, Any, None]]
Completer = Callable[
    [discord.Interaction, str], Coroutine[Any, Any, list[app_commands.Choice[str]]]
]

FAILED = f"Error: {TRY_AGAIN}. Example: /digest"
NEEDS_MANAGE = (
    "Error: changing this channel's subscriptions and schedule needs the Manage Channels "
    "permission. Example: ask a moderator to run {example}"
)
IN_A_SERVER = (
    "Error: use the commands in a server channel or in your direct messages with me. "
    "Example: /digest"
)
NOT_WATCHING = (
    "Note: this bot does not read messages (its operator has not set DISCORD_WATCH_LINKS=true "
    "with the Message Content intent), so posted links get no reply yet."
)
MAX_CHOICES = 25
NOTHING_TO_EXPORT = (
    "This channel follows no feeds, so there is nothing to export. Example: {example}"
)
EXPORTED = "The {count} feed(s) of this channel, as an OPML file."


class Answerer:
    """Runs one slash command: check, defer, run the neutral command, follow up."""

    def __init__(self, services: DiscordServices) -> None:
        """Answer with the neutral commands of `services`."""
        self.services = services

    async def run(
        self, interaction: discord.Interaction, line: str, file: discord.Attachment | None = None
    ) -> None:
        """Answer the command `line` ("/schedule 09:00 max=8") typed in `interaction`.

        `file` is a file option (the OPML of /import-opml), read after the defer.
        """
        name = line.split()[0].removeprefix("/")
        refusal = _refusal(interaction, name)
        if refusal is not None:
            await interaction.response.send_message(
                refusal, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        private = SPECS[name].private or (name == "digest" and self.services.on_demand_private)
        await interaction.response.defer(thinking=True, ephemeral=private)
        result = await self._result(interaction, line, file)
        try:
            await self._follow_up(interaction, result, private)
        except discord.HTTPException as error:
            log.warning("/%s answer not delivered: %s %s", name, error.status, error.text)

    async def _result(
        self, interaction: discord.Interaction, line: str, file: discord.Attachment | None
    ) -> CommandResult:
        where = interaction_destination(interaction)
        try:
            attachment = await read_attachment(file) if file is not None else None
            if isinstance(attachment, CommandError):
                return attachment
            user = str(interaction.user.id)
            request = CommandRequest(where, line, attachment, user=user)
            return await self.services.commands.handle(request)
        except Exception:
            log.exception("%s failed in %s", line.split()[0], where)
            return CommandError(TRY_AGAIN, invoke("digest"))

    async def _follow_up(
        self, interaction: discord.Interaction, result: CommandResult, private: bool
    ) -> None:
        if isinstance(result, CommandError):
            await tell_privately(interaction, answer_text(result), deferred_publicly=not private)
        elif isinstance(result, OpmlExported):
            await send_opml(interaction, result)
        elif isinstance(result, DigestReply):
            # private: only the asker sees it, with a "Share in channel" button at its end
            for payload in render_digest_embeds(result.digest, shareable=private):
                arguments = message_arguments(payload)
                await interaction.followup.send(wait=True, ephemeral=private, **arguments)
        else:
            texts = text_messages(self._text(result))
            for number, text in enumerate(texts):
                extra = _schedule_button(interaction, result) if number == len(texts) - 1 else {}
                await interaction.followup.send(
                    text, allowed_mentions=NO_MENTIONS, wait=True, **extra
                )

    def _text(self, result: CommandResult) -> str:
        text = answer_text(result)
        on = isinstance(result, SettingsChanged) and result.link_replies
        return f"{text}\n{NOT_WATCHING}" if on and not self.services.watching_links else text

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """Whatever discord.py could not run: logged, and the asker told in one line."""
        log.error("slash command failed: %s", error, exc_info=error)
        if interaction.response.is_done():
            await interaction.followup.send(FAILED, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(
                FAILED, ephemeral=True, allowed_mentions=NO_MENTIONS
            )

    async def subscription_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """The channel's subscriptions whose label holds `current`, as unsubscribe choices."""
        if _refusal(interaction, "unsubscribe") is not None:
            return []
        engine = self.services.commands.engine
        record = await engine.destination(interaction_destination(interaction))
        choices = [
            app_commands.Choice(name=_label(sub), value=str(sub.id))
            for sub in await engine.completions(record)
        ]
        wanted = current.strip().lower()
        return [choice for choice in choices if wanted in choice.name.lower()][:MAX_CHOICES]


async def read_attachment(file: discord.Attachment) -> bytes | CommandError:
    """A file option's bytes, or why it cannot be had (too big, gone from Discord's CDN)."""
    example = SPECS["import-opml"].example
    if file.size > MAX_OPML_BYTES:
        return CommandError(
            f"{file.filename} is larger than {MAX_OPML_BYTES:,} bytes; split it", example
        )
    try:
        return await file.read()
    except discord.HTTPException as error:
        log.info("attachment %s not read: %s", file.filename, error.status)
        return CommandError(
            f"Discord would not hand me {file.filename} (HTTP {error.status})", example
        )


async def send_opml(interaction: discord.Interaction, exported: OpmlExported) -> None:
    """The OPML as a file only the asker sees (the defer was ephemeral)."""
    if not exported.feeds:
        example = discord_line(SPECS["subscribe"].example)
        await interaction.followup.send(
            NOTHING_TO_EXPORT.format(example=example),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
            wait=True,
        )
        return
    data = io.BytesIO(exported.document.encode("utf-8"))
    name = f"newsdigest-{interaction.channel_id}.opml"
    await interaction.followup.send(
        EXPORTED.format(count=exported.feeds),
        file=discord.File(data, filename=name),
        ephemeral=True,
        allowed_mentions=NO_MENTIONS,
        wait=True,
    )


def interaction_destination(interaction: discord.Interaction) -> Destination:
    """Where an interaction was typed: a server's channel, or the person's DM with the bot."""
    if interaction.guild_id is None:
        return personal_destination(interaction.user.id, interaction.channel_id or 0)
    return destination(interaction.guild_id, interaction.channel_id or 0)


def _refusal(interaction: discord.Interaction, name: str) -> str | None:
    """Why a command cannot run here, if it cannot.

    Outside a server only the person's DM with the bot is theirs to manage (no Manage Channels
    there); a DM between people or a group DM (a user-installed app's private channel) is not
    a place the bot can post digests to.
    """
    if interaction.channel_id is None:
        return IN_A_SERVER
    if interaction.guild_id is None:
        return None if interaction.context.dm_channel else IN_A_SERVER
    if SPECS[name].manages and not interaction.permissions.manage_channels:
        return NEEDS_MANAGE.format(example=discord_line(SPECS[name].example))
    return None


def _schedule_button(interaction: discord.Interaction, result: CommandResult) -> dict[str, Any]:
    """A "Change schedule" button under a server channel's `/subscriptions` answer."""
    if not isinstance(result, SubscriptionList) or interaction.guild_id is None:
        return {}
    row = schedule_button_row(interaction_destination(interaction))
    return {"view": Components([row])}


def _label(sub: Subscription, limit: int = 100) -> str:
    only = f" only: {sub.filter}" if sub.filter else ""
    return cut(f"#{sub.id} {sub.kind}: {sub.target}{only}", limit)


async def tell_privately(
    interaction: discord.Interaction, text: str, *, deferred_publicly: bool
) -> None:
    """An answer only the asker sees, after a defer.

    The first follow-up of a public defer fills the public "thinking" message whatever its flags,
    so that message is deleted first and the answer follows as a new, ephemeral message.
    """
    if deferred_publicly:
        await interaction.delete_original_response()
    await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS, wait=True)


def build_command_tree(client: discord.Client, services: DiscordServices) -> Tree:
    """The client's command tree: one app command per spec'd command Discord runs."""
    tree: Tree = app_commands.CommandTree(client)
    answerer = Answerer(services)
    for spec in on(Platform.DISCORD):
        tree.add_command(app_command(spec, answerer))
    tree.error(answerer.on_error)
    return tree


def app_command(spec: CommandSpec, answerer: Answerer) -> AppCommand:
    """The app command of `spec`: its options typed, described, with choices and completion."""

    async def run(interaction: discord.Interaction, **options: object) -> None:
        files = [value for value in options.values() if isinstance(value, discord.Attachment)]
        await answerer.run(interaction, options_line(spec, options), next(iter(files), None))

    # discord.py reads the options from the callback's signature: give it the spec's
    run.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [INTERACTION, *(_parameter(arg) for arg in spec.arguments)]
    )
    callback = _with_options(run, spec.arguments, answerer)
    command: AppCommand = app_commands.Command(
        name=spec.name, description=spec.brief, callback=callback
    )
    if spec.manages:
        command = app_commands.default_permissions(manage_channels=True)(command)
    # servers, and a person's DM with the bot (personal digests); the app may be installed to a
    # server or to a person's account, the way a DM with it becomes possible without a server
    command = app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)(command)
    return app_commands.allowed_installs(guilds=True, users=True)(command)


def _with_options(
    callback: Callback, arguments: tuple[ArgumentSpec, ...], answerer: Answerer
) -> Callback:
    """The callback with its options' descriptions, choices and completers attached."""
    callback = app_commands.describe(**{arg.name: arg.description for arg in arguments})(callback)
    choices = {arg.name: _choices(arg) for arg in arguments if _choices(arg)}
    if choices:
        callback = app_commands.choices(**choices)(callback)
    completers = {arg.name: _completer(arg, answerer) for arg in arguments}
    completing = {name: complete for name, complete in completers.items() if complete}
    if completing:
        callback = app_commands.autocomplete(**completing)(callback)
    return callback


INTERACTION = inspect.Parameter(
    "interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction
)


def _parameter(arg: ArgumentSpec) -> inspect.Parameter:
    """The callback parameter discord.py turns into the option of `arg`."""
    annotation = _option_type(arg)
    if arg.required:
        return inspect.Parameter(arg.name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation)
    return inspect.Parameter(
        arg.name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation | None, default=None
    )


def _option_type(arg: ArgumentSpec) -> Any:
    """The Discord option type of an argument: integer (with its range), attachment or string."""
    if arg.type is ArgumentType.INTEGER:
        return app_commands.Range[int, arg.minimum, arg.maximum]
    if arg.type is ArgumentType.FILE:
        return discord.Attachment
    return str


def _choices(arg: ArgumentSpec) -> list[app_commands.Choice[str]]:
    names = [spec.name for spec in on(Platform.DISCORD)] if arg.type is ArgumentType.COMMAND else []
    return [app_commands.Choice(name=value, value=value) for value in arg.choices or names]


def _completer(arg: ArgumentSpec, answerer: Answerer) -> Completer | None:
    if arg.type is ArgumentType.SUBSCRIPTION_ID:
        return answerer.subscription_choices
    if arg.type is ArgumentType.TIMEZONE:
        return timezone_choices
    return None


async def timezone_choices(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """IANA timezones holding what was typed so far ("berl" -> Europe/Berlin)."""
    wanted = current.strip().lower().replace(" ", "_")
    names = [name for name in _timezones() if wanted in name.lower()]
    return [app_commands.Choice(name=name, value=name) for name in names[:MAX_CHOICES]]


@cache
def _timezones() -> list[str]:
    return sorted(zoneinfo.available_timezones())

"""The slash commands (/digest, /subscribe, /schedule, /links, OPML files...) from the spec.

Translation only: each command's options become a neutral command line for `Commands.handle`,
and its result is rendered for Discord. Every interaction is deferred at once and followed up;
a digest comes as embeds in the channel, errors only to the asker (ephemeral) with an example.
An OPML list comes in as a file option (read from Discord's CDN once its size, which Discord
states, is within the limit) or as an OPML URL, and goes out as an ephemeral file attachment.
Commands that change what a channel receives need Manage Channels: hidden from others by
`default_permissions`, and checked again here, because server admins can override the default.
"""

from __future__ import annotations

import io
import logging

import discord
from discord import app_commands

from bot.adapters.discord.publisher import NO_MENTIONS, message_arguments
from bot.adapters.discord.services import DiscordServices, destination
from bot.adapters.discord.translate import (
    DISCORD_EXAMPLES,
    answer_text,
    command_line,
    only_option,
    subscription_id,
    text_messages,
)
from bot.commands.handlers import CommandRequest, CommandResult
from bot.commands.opml_files import MAX_OPML_BYTES
from bot.commands.replies import SPECS, CommandError, DigestReply, OpmlExported, SettingsChanged
from bot.domain import Subscription
from bot.render.embeds import render_digest_embeds
from bot.texts import MAX_STORIES, TRY_AGAIN, cut

log = logging.getLogger(__name__)

Tree = app_commands.CommandTree[discord.Client]

PRIVATE = frozenset({"subscriptions", "help", "export-opml"})
FAILED = f"Error: {TRY_AGAIN}. Example: /digest"
NEEDS_MANAGE = (
    "Error: changing this channel's subscriptions and schedule needs the Manage Channels "
    "permission. Example: ask a moderator to run {example}"
)
IN_A_SERVER = "Error: use the commands in a server channel. Example: /digest"
NOT_WATCHING = (
    "Note: this bot does not read messages (its operator has not set DISCORD_WATCH_LINKS=true "
    "with the Message Content intent), so posted links get no reply yet."
)
MAX_CHOICES = 25
NOTHING_TO_EXPORT = (
    "This channel follows no feeds, so there is nothing to export. "
    "Example: /subscribe target: https://example.com/world.xml"
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
        private = name in PRIVATE
        await interaction.response.defer(thinking=True, ephemeral=private)
        result = await self._result(interaction, line, file)
        try:
            await self._follow_up(interaction, result, private)
        except discord.HTTPException as error:
            log.warning("/%s answer not delivered: %s %s", name, error.status, error.text)

    async def _result(
        self, interaction: discord.Interaction, line: str, file: discord.Attachment | None
    ) -> CommandResult:
        where = destination(interaction.guild_id or 0, interaction.channel_id or 0)
        try:
            attachment = await read_attachment(file) if file is not None else None
            if isinstance(attachment, CommandError):
                return attachment
            user = str(interaction.user.id)
            request = CommandRequest(where, line, attachment, user=user)
            return await self.services.commands.handle(request)
        except Exception:
            log.exception("%s failed in %s", line.split()[0], where)
            return CommandError(TRY_AGAIN, "/digest")

    async def _follow_up(
        self, interaction: discord.Interaction, result: CommandResult, private: bool
    ) -> None:
        if isinstance(result, CommandError):
            await tell_privately(interaction, answer_text(result), deferred_publicly=not private)
        elif isinstance(result, OpmlExported):
            await send_opml(interaction, result)
        elif isinstance(result, DigestReply):
            for payload in render_digest_embeds(result.digest):
                await interaction.followup.send(wait=True, **message_arguments(payload))
        else:
            for text in text_messages(self._text(result)):
                await interaction.followup.send(text, allowed_mentions=NO_MENTIONS, wait=True)

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
        if interaction.guild_id is None or interaction.channel_id is None:
            return []
        engine = self.services.commands.engine
        record = await engine.destination(destination(interaction.guild_id, interaction.channel_id))
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
        await interaction.followup.send(
            NOTHING_TO_EXPORT, ephemeral=True, allowed_mentions=NO_MENTIONS, wait=True
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


def _refusal(interaction: discord.Interaction, name: str) -> str | None:
    if interaction.guild_id is None or interaction.channel_id is None:
        return IN_A_SERVER
    if SPECS[name].manages and not interaction.permissions.manage_channels:
        return NEEDS_MANAGE.format(example=DISCORD_EXAMPLES[name])
    return None


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
    """The client's command tree with the bot's slash commands."""
    tree: Tree = app_commands.CommandTree(client)
    answerer = Answerer(services)
    registers = (_digest, _subscribe, _unsubscribe, _subscriptions, _schedule, _links, _help)
    for register in (*registers, _import_opml, _export_opml):
        register(tree, answerer)
    tree.error(answerer.on_error)
    return tree


def _digest(tree: Tree, answerer: Answerer) -> None:
    @tree.command(name="digest", description="Recent stories of this channel's subscriptions")
    @app_commands.describe(
        topic='Only stories on a topic: words, "phrases", actor:"Name", place:Name, -word, OR',
        since="How far back: 90m, 24h, 3d, 2w or a date (default 24h)",
    )
    @app_commands.guild_only()
    async def digest(
        interaction: discord.Interaction, topic: str | None = None, since: str | None = None
    ) -> None:
        await answerer.run(interaction, command_line("digest", topic, since))


def _subscribe(tree: Tree, answerer: Answerer) -> None:
    @tree.command(
        name="subscribe", description="Follow a feed, a site's feed or a topic in this channel"
    )
    @app_commands.describe(
        target="A feed URL, a site (example.com; example.com 2 picks its 2nd feed) or a topic",
        only='Keep only the feed\'s items on a topic: words, "phrases", actor:"Name", -word, OR',
    )
    @app_commands.default_permissions(manage_channels=True)
    @app_commands.guild_only()
    async def subscribe(
        interaction: discord.Interaction, target: str, only: str | None = None
    ) -> None:
        await answerer.run(interaction, command_line("subscribe", target, only_option(only)))


def _unsubscribe(tree: Tree, answerer: Answerer) -> None:
    @tree.command(name="unsubscribe", description="Stop one of this channel's subscriptions")
    @app_commands.describe(subscription="The subscription to stop (start typing to choose)")
    @app_commands.autocomplete(subscription=answerer.subscription_choices)
    @app_commands.default_permissions(manage_channels=True)
    @app_commands.guild_only()
    async def unsubscribe(interaction: discord.Interaction, subscription: str) -> None:
        await answerer.run(interaction, command_line("unsubscribe", subscription_id(subscription)))


def _subscriptions(tree: Tree, answerer: Answerer) -> None:
    @tree.command(name="subscriptions", description="This channel's subscriptions and their health")
    @app_commands.guild_only()
    async def subscriptions(interaction: discord.Interaction) -> None:
        await answerer.run(interaction, command_line("subscriptions"))


def _schedule(tree: Tree, answerer: Answerer) -> None:
    @tree.command(name="schedule", description="When this channel's daily digest comes")
    @app_commands.describe(
        time="Local time of the digest, HH:MM",
        timezone="IANA timezone, e.g. Europe/Berlin (default: as before)",
        weekdays="Days, e.g. mon-fri or mon,wed,fri (default: as before)",
        max_stories=f"Most stories one digest shows, 1 to {MAX_STORIES}",
    )
    @app_commands.rename(max_stories="max")
    @app_commands.default_permissions(manage_channels=True)
    @app_commands.guild_only()
    async def schedule(
        interaction: discord.Interaction,
        time: str,
        timezone: str | None = None,
        weekdays: str | None = None,
        max_stories: app_commands.Range[int, 1, MAX_STORIES] | None = None,
    ) -> None:
        limit = None if max_stories is None else f"max={max_stories}"
        await answerer.run(interaction, command_line("schedule", time, timezone, weekdays, limit))


def _links(tree: Tree, answerer: Answerer) -> None:
    @tree.command(name="links", description="Whether links posted here get a digest in a thread")
    @app_commands.describe(state="on: links posted in this channel get a digest; off: none")
    @app_commands.choices(state=[app_commands.Choice(name=s, value=s) for s in ("on", "off")])
    @app_commands.default_permissions(manage_channels=True)
    @app_commands.guild_only()
    async def links(interaction: discord.Interaction, state: str) -> None:
        await answerer.run(interaction, command_line("links", state))


def _help(tree: Tree, answerer: Answerer) -> None:
    @tree.command(name="help", description="What the bot's commands do, with examples")
    @app_commands.describe(command="One command to explain")
    @app_commands.choices(
        command=[app_commands.Choice(name=name, value=name) for name in DISCORD_EXAMPLES]
    )
    @app_commands.guild_only()
    async def help_command(interaction: discord.Interaction, command: str | None = None) -> None:
        await answerer.run(interaction, command_line("help", command))


def _import_opml(tree: Tree, answerer: Answerer) -> None:
    @tree.command(name="import-opml", description="Follow every feed of an OPML file here")
    @app_commands.describe(
        file="An OPML file (.opml) to import", url="Or the http(s) URL of an OPML file"
    )
    @app_commands.default_permissions(manage_channels=True)
    @app_commands.guild_only()
    async def import_opml(
        interaction: discord.Interaction,
        file: discord.Attachment | None = None,
        url: str | None = None,
    ) -> None:
        # a file wins over a URL given with it
        await answerer.run(interaction, command_line("import-opml", None if file else url), file)


def _export_opml(tree: Tree, answerer: Answerer) -> None:
    @tree.command(name="export-opml", description="This channel's feeds as an OPML file")
    @app_commands.guild_only()
    async def export_opml(interaction: discord.Interaction) -> None:
        await answerer.run(interaction, command_line("export-opml"))

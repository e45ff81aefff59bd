"""Discord's words to the bot's and back: slash-command options, answers, links, the invite.

Pure functions; no REST call, no business logic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from bot.commands.replies import CommandError, CommandResult, HelpReply
from bot.commands.spec import command_line, on
from bot.commands.spec_types import ArgumentType, CommandSpec, Invocation
from bot.domain import Platform
from bot.render.mentions import neutralise
from bot.render.text import render_error, render_text
from bot.texts import ELLIPSIS, MAX_LINKS, cut

MESSAGE_CHARS = 2000
MAX_MESSAGES = 5
_LINK = re.compile(r"https?://[^\s<>|]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""
_DISCORD_HOSTS = ("discord.com", "discord.gg", "discordapp.com", "discord.media")


def options_line(spec: CommandSpec, options: Mapping[str, object]) -> str:
    """A slash command's typed options as the neutral command line (`/schedule 09:00 max=8`).

    A file option is not typed: it goes with the command as its attachment. A prefix typed into
    its option (`only:` in `only: climate`) is not doubled.
    """
    values: list[tuple[str, str]] = []
    for arg in spec.arguments:
        value = options.get(arg.name)
        if value is None or arg.type is ArgumentType.FILE:
            continue
        text = str(value).strip()
        if arg.prefix and text.lower().startswith(arg.prefix):
            text = text[len(arg.prefix) :].strip()
        if arg.type is ArgumentType.SUBSCRIPTION_ID:
            text = subscription_id(text)
        if text:
            values.append((arg.name, text))
    return command_line(Invocation(spec.name, tuple(values)))


def subscription_id(text: str) -> str:
    """The id in an unsubscribe option: "3", "#3" or a chosen label "#3 feed: ..." -> "3"."""
    match = re.match(r"\s*#?(\d+)", text)
    return match.group(1) if match else text.strip()


def discord_line(invocation: Invocation) -> str:
    """An invocation as a Discord user types it: `/schedule time:09:00 max:8`."""
    words = [f"{name}:{value}" for name, value in invocation.values]
    return " ".join([f"/{invocation.command}", *words])


def discord_usage(spec: CommandSpec) -> str:
    """A command's usage as a Discord user types it: `/schedule time:<HH:MM> [max:<N>]`.

    A file option takes an attachment: `[file:<attachment>]`.
    """
    words = []
    for arg in spec.arguments:
        shown = "attachment" if arg.type is ArgumentType.FILE else arg.shown
        words.append(f"{arg.name}:<{shown}>" if arg.required else f"[{arg.name}:<{shown}>]")
    return " ".join([f"/{spec.name}", *words])


def answer_text(result: CommandResult) -> str:
    """Any answer but a digest as inert text, with examples as Discord users type them."""
    if isinstance(result, CommandError):
        return render_error(result, discord_line(result.example))
    if isinstance(result, HelpReply):
        return neutralise(help_text(result.specs))
    return render_text(result)


def help_text(specs: Iterable[CommandSpec]) -> str:
    """The usage of those of `specs` Discord runs, as Discord users type them, a paragraph each."""
    return "\n".join(
        f"**{discord_usage(spec)}**: {spec.summary}.\n    Example: `{discord_line(spec.example)}`"
        for spec in [s for s in specs if Platform.DISCORD in s.platforms] or on(Platform.DISCORD)
    )


def text_messages(text: str, limit: int = MESSAGE_CHARS) -> list[str]:
    """Text split at line ends into at most MAX_MESSAGES messages of `limit` characters each."""
    messages: list[str] = [""]
    for line in neutralise(text).splitlines():
        line = cut(line, limit - 1)
        joined = f"{messages[-1]}\n{line}" if messages[-1] else line
        if len(joined) <= limit:
            messages[-1] = joined
        else:
            messages.append(line)
    if len(messages) > MAX_MESSAGES:
        messages = messages[:MAX_MESSAGES]
        messages[-1] = cut(messages[-1], limit - 2) + "\n" + ELLIPSIS
    return [message for message in messages if message] or ["(nothing to show)"]


def links_in(text: str, limit: int = MAX_LINKS) -> list[str]:
    """The first `limit` distinct web links of a Discord message (`<url>` keeps it unfurled-off).

    Links into Discord itself (a message link, an invite, an attachment) are not articles.
    """
    found: list[str] = []
    for match in _LINK.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        if url not in found and not _into_discord(url):
            found.append(url)
    return found[:limit]


def _into_discord(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == name or host.endswith("." + name) for name in _DISCORD_HOSTS)


def thread_name(headline: str, limit: int = 100) -> str:
    """A thread's name from a story's headline, within Discord's 100 characters."""
    name = " ".join(neutralise(headline).split()) or "Digest"
    return cut(name, limit)

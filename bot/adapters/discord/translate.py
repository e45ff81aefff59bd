"""Discord's words to the bot's and back: slash-command options, answers, links, the invite.

Pure functions; no REST call, no business logic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from bot.commands.arguments import FILTER_EXAMPLE
from bot.commands.replies import SPECS, CommandError, CommandResult, HelpReply
from bot.render.mentions import neutralise
from bot.render.text import render_text
from bot.texts import ELLIPSIS, MAX_LINKS, cut

#: The slash commands the bot registers, with an example as a Discord user types it.
DISCORD_EXAMPLES = {
    "digest": '/digest topic: actor:"Joe Biden" since: 48h',
    "subscribe": "/subscribe target: https://example.com/world.xml",
    "unsubscribe": "/unsubscribe subscription: 3",
    "subscriptions": "/subscriptions",
    "schedule": "/schedule time: 09:00 timezone: Europe/Berlin weekdays: mon-fri max: 8",
    "links": "/links state: on",
    "help": "/help command: schedule",
    "import-opml": "/import-opml url: https://example.com/subs.opml (or file: your .opml file)",
    "export-opml": "/export-opml",
}
#: Commands that change what a channel receives: Manage Channels only.
MESSAGE_CHARS = 2000
MAX_MESSAGES = 5
_EXAMPLES_BY_SPEC = {
    **{SPECS[name].example: example for name, example in DISCORD_EXAMPLES.items()},
    FILTER_EXAMPLE: "/subscribe target: https://example.com/world.xml only: climate -sport",
}
_LINK = re.compile(r"https?://[^\s<>|]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""
_DISCORD_HOSTS = ("discord.com", "discord.gg", "discordapp.com", "discord.media")


def command_line(name: str, *args: str | int | None) -> str:
    """A slash command's options as the neutral command line (`/schedule 09:00 max=8`)."""
    words = [str(arg).strip() for arg in args if arg is not None and str(arg).strip()]
    return " ".join([f"/{name}", *words])


def only_option(text: str | None) -> str | None:
    """The `/subscribe` `only` option as the command line's `only:<topic>` (None when empty)."""
    words = (text or "").strip().removeprefix("only:").strip()
    return f"only:{words}" if words else None


def subscription_id(text: str) -> str:
    """The id in an unsubscribe option: "3", "#3" or a chosen label "#3 feed: ..." -> "3"."""
    match = re.match(r"\s*#?(\d+)", text)
    return match.group(1) if match else text.strip()


def answer_text(result: CommandResult) -> str:
    """Any answer but a digest as inert text, with examples as Discord users type them."""
    if isinstance(result, CommandError):
        example = _EXAMPLES_BY_SPEC.get(result.example, result.example)
        result = CommandError(result.message, example)
    if isinstance(result, HelpReply):
        return help_text(spec.name for spec in result.specs)
    return render_text(result)


def help_text(names: Iterable[str]) -> str:
    """The usage of the Discord commands among `names`, one short paragraph each."""
    shown = [name for name in names if name in DISCORD_EXAMPLES] or list(DISCORD_EXAMPLES)
    return "\n".join(
        f"**/{name}**: {SPECS[name].summary}.\n    Example: `{DISCORD_EXAMPLES[name]}`"
        for name in shown
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

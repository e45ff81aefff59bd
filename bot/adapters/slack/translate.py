"""Slack's words to the bot's and back: `/digest` subcommands, link tokens, retries, senders.

Pure functions over Slack payloads; no Web API calls, no business logic.
"""

from __future__ import annotations

import html
import re
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from bot.commands.spec import SPECS, on
from bot.commands.spec import command_line as neutral_line
from bot.commands.spec_types import ArgumentType, CommandSpec, Invocation
from bot.domain import Platform
from bot.texts import MAX_LINKS

#: `/digest` alone, or with a topic and a since, is the digest itself.
DIGEST = "digest"
#: Neutral command names Slack users type otherwise.
SLACK_ALIASES = {"subscriptions": "list"}
#: Where each platform's commands run, in words.
PLACES = {
    Platform.CONSOLE: "the console chat",
    Platform.SLACK: "Slack",
    Platform.DISCORD: "Discord",
}


def slack_name(command: str) -> str:
    """A neutral command's name as a Slack user types it after `/digest` ("list")."""
    return SLACK_ALIASES.get(command, command)


#: `/digest <word> ...` subcommands and the platform-neutral command each stands for.
SUBCOMMANDS = {
    **{name: f"/{name}" for name in SPECS if name != DIGEST},
    **{alias: f"/{name}" for name, alias in SLACK_ALIASES.items()},
}
#: The neutral command names as a Slack user types them.
SLACK_NAMES = {name: slack_name(name) for name in SPECS if name != DIGEST}
_NEUTRAL_COMMAND = re.compile(
    r"(?<![\w/.:-])/(" + "|".join(sorted(SLACK_NAMES, key=len, reverse=True)) + r")(?![\w/-]|\.\w)"
)
_LINK = re.compile(r"<(https?://[^|>\s]+)(?:\|[^>]*)?>", re.IGNORECASE)


def command_line(text: str) -> str:
    """Slack's `/digest` text as the neutral command line ("list" -> "/subscriptions")."""
    word, _, rest = text.strip().partition(" ")
    target = SUBCOMMANDS.get(word.lower())
    if target is None:
        return f"/digest {text.strip()}".strip()
    return f"{target} {rest.strip()}".strip()


def unsupported(text: str) -> str | None:
    """Why a `/digest` subcommand cannot run on Slack (one line with an example), if it cannot.

    Every command runs on Slack at present; a spec that leaves Slack out is answered here.
    """
    spec = SPECS.get(text.strip().partition(" ")[0].lower())
    if spec is None or Platform.SLACK in spec.platforms:
        return None
    where = " and ".join(PLACES[platform] for platform in Platform if platform in spec.platforms)
    example = slack_line(SPECS["subscribe"].example)
    return f"Error: {spec.name} works only in {where}. Example: {example}"


def wants_shared_file(line: str) -> bool:
    """Whether a neutral command line takes a file and names none (`/import-opml` alone).

    A slash command carries no file, so the asker's latest shared one is read instead.
    """
    name, _, rest = line.strip().partition(" ")
    spec = SPECS.get(name.removeprefix("/").lower())
    takes_file = spec is not None and any(a.type is ArgumentType.FILE for a in spec.arguments)
    return takes_file and not rest.strip()


def slack_line(invocation: Invocation) -> str:
    """An invocation as a Slack user types it: `/digest schedule 09:00`, `/digest 48h`."""
    return _on_slack(invocation.command, neutral_line(invocation))


def slack_usage(spec: CommandSpec) -> str:
    """A command's usage as a Slack user types it: `/digest schedule <HH:MM> [timezone] ...`.

    A file is not typed on Slack (the asker's latest shared one is read): `import-opml [URL]`.
    """
    typed = tuple(arg for arg in spec.arguments if arg.type is not ArgumentType.FILE)
    return _on_slack(spec.name, f"/{spec.usage_of(typed)}")


def _on_slack(command: str, neutral: str) -> str:
    rest = neutral.removeprefix(f"/{command}")
    return f"/digest{rest}" if command == DIGEST else f"/digest {slack_name(command)}{rest}"


def help_text(specs: Iterable[CommandSpec]) -> str:
    """The usage of those of `specs` Slack runs, as Slack users type them, a paragraph each."""
    return "\n".join(
        f"{slack_usage(spec)}\n    {spec.summary}. Example: {slack_line(spec.example)}"
        for spec in [s for s in specs if Platform.SLACK in s.platforms] or on(Platform.SLACK)
    )


def slack_commands(text: str) -> str:
    """Text naming the commands as Slack users type them (`/subscriptions` -> `/digest list`).

    Paths and URLs that merely contain such a word (`https://x.example/help`) are left alone.
    """
    return _NEUTRAL_COMMAND.sub(lambda match: f"/digest {SLACK_NAMES[match[1]]}", text)


def links_in(text: str, limit: int = MAX_LINKS) -> list[str]:
    """The first `limit` distinct web links of a Slack message (`<url>` or `<url|label>`).

    Links into Slack itself (a message permalink, a file) are not articles and are left out.
    """
    found: list[str] = []
    for match in _LINK.finditer(text):
        url = html.unescape(match[1])
        if url not in found and not _into_slack(url):
            found.append(url)
    return found[:limit]


def _into_slack(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host == "slack.com" or host.endswith(".slack.com")


def is_retry(headers: Mapping[str, Sequence[str]]) -> bool:
    """Whether Slack is delivering an event again.

    HTTP mode says so in `X-Slack-Retry-Num`; a Socket Mode envelope in `retry_attempt`, which
    Bolt passes on as the same header (0 on the first delivery).
    """
    values = headers.get("x-slack-retry-num") or ()
    first = values if isinstance(values, str) else next(iter(values), "0")
    return first.isdigit() and int(first) > 0


def from_a_person(event: Mapping[str, Any]) -> bool:
    """Whether a message event is a person's new message (not a bot's, an edit or a join)."""
    return not event.get("bot_id") and not event.get("subtype") and bool(event.get("user"))


def in_a_channel(event: Mapping[str, Any]) -> bool:
    """Whether a message event comes from a public or private channel (not a direct message)."""
    return event.get("channel_type") in {"channel", "group"}


def in_a_direct_message(command: Mapping[str, Any]) -> bool:
    """Whether a slash command was typed in a direct message (the bot's Messages tab).

    Slack's direct-message channel ids start with "D"; its slash commands there name the channel
    "directmessage".
    """
    channel = str(command.get("channel_id") or "")
    return channel.startswith("D") or command.get("channel_name") == "directmessage"


class RecentMessages:
    """The last few messages seen, so one delivered twice is answered once."""

    def __init__(self, size: int = 1024) -> None:
        """Remember up to `size` messages."""
        self.size = size
        self._seen: OrderedDict[tuple[str, str], None] = OrderedDict()

    def first_time(self, channel: str, ts: str) -> bool:
        """True the first time a (channel, ts) message is seen, False after."""
        key = (channel, ts)
        if key in self._seen:
            return False
        self._seen[key] = None
        if len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return True

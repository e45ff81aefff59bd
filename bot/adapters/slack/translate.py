"""Slack's words to the bot's and back: `/digest` subcommands, link tokens, retries, senders.

Pure functions over Slack payloads; no Web API calls, no business logic.
"""

from __future__ import annotations

import html
import re
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from bot.texts import MAX_LINKS

#: `/digest <word> ...` subcommands and the platform-neutral command each stands for.
SUBCOMMANDS = {
    "subscribe": "/subscribe",
    "unsubscribe": "/unsubscribe",
    "list": "/subscriptions",
    "subscriptions": "/subscriptions",
    "schedule": "/schedule",
    "mode": "/mode",
    "links": "/links",
    "help": "/help",
    "export-opml": "/export-opml",
    "import-opml": "/import-opml",
}
#: Neutral commands Slack cannot run, with the one line that says so (none at present: a slash
#: command carries no file, so import-opml reads the asker's latest shared .opml file instead).
UNSUPPORTED: dict[str, str] = {}
#: The neutral command names as a Slack user types them.
SLACK_NAMES = {
    "subscribe": "subscribe",
    "unsubscribe": "unsubscribe",
    "subscriptions": "list",
    "schedule": "schedule",
    "mode": "mode",
    "links": "links",
    "help": "help",
    "export-opml": "export-opml",
    "import-opml": "import-opml",
}
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
    """Why a `/digest` subcommand cannot run on Slack (one line with an example), if it cannot."""
    word = text.strip().partition(" ")[0].lower()
    return UNSUPPORTED.get(word)


def wants_shared_file(line: str) -> bool:
    """Whether a neutral command line is `import-opml` without a URL: a shared file is read."""
    name, _, rest = line.strip().partition(" ")
    return name.lower() == "/import-opml" and not rest.strip()


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

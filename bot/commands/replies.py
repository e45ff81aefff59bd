"""What commands answer (one result type per outcome, for adapters to render) and their usage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain import (
    Destination,
    DestinationSettings,
    Digest,
    FeedState,
    FilterReplaced,
    Subscription,
    SubscriptionView,
)
from bot.ports import FeedLink

# A reply's item and a reply defined with the domain, where the engine makes them.
__all__ = ["FilterReplaced", "SubscriptionView"]


@dataclass(frozen=True)
class CommandSpec:
    """A command's usage line, what it does and an example."""

    name: str
    usage: str
    summary: str
    example: str
    manages: bool = False
    """It changes what the channel receives: only users who may manage the channel run it."""


SPECS = {
    spec.name: spec
    for spec in (
        CommandSpec(
            "digest",
            "digest [topic] [since]",
            "recent stories of your subscriptions (or of a topic); since: 90m, 24h, 3d, 2w, date",
            '/digest actor:"Joe Biden" 48h',
        ),
        CommandSpec(
            "subscribe",
            "subscribe <feed-url | site [N] | topic> [only:<topic>]",
            "follow a feed, a site's feed (found on its page; N picks one of several), or a topic: "
            'words, "phrases", actor:"Name", place:Name, -word, OR; only: keeps a feed\'s items '
            "that match a topic (again with another only: replaces it)",
            "/subscribe https://example.com/world.xml",
            manages=True,
        ),
        CommandSpec(
            "unsubscribe", "unsubscribe <id>", "stop a subscription", "/unsubscribe 3", manages=True
        ),
        CommandSpec("subscriptions", "subscriptions", "list subscriptions", "/subscriptions"),
        CommandSpec(
            "schedule",
            "schedule <HH:MM> [timezone] [weekdays] [max=N]",
            "when the daily digest comes, and how many stories it shows",
            "/schedule 09:00 Europe/Berlin mon-fri max=8",
            manages=True,
        ),
        CommandSpec(
            "mode",
            "mode <quiet | live> [N]",
            "quiet: digest only; live: each story as it comes (a digest above N an hour)",
            "/mode live 5",
            manages=True,
        ),
        CommandSpec(
            "links",
            "links <on | off>",
            "whether links posted in this channel get a digest in a thread",
            "/links off",
            manages=True,
        ),
        CommandSpec(
            "import-opml",
            "import-opml [OPML URL]",
            "follow every feed of an OPML file: attach it, or give its URL",
            "/import-opml https://example.com/subs.opml",
            manages=True,
        ),
        CommandSpec("export-opml", "export-opml", "your feeds as an OPML file", "/export-opml"),
        CommandSpec("help", "help [command]", "this list", "/help schedule"),
    )
}


@dataclass(frozen=True)
class CommandRequest:
    """One command as a user typed it.

    Attributes:
        destination: The channel it was typed in.
        text: The command line, with or without the leading slash ("/digest 24h").
        attachment: A file sent with it (e.g. the OPML of `import-opml`), as text or bytes.
        may_manage: Whether the user may change what the channel receives (subscriptions,
            schedule, mode); the adapter decides from the platform's roles. The console, and
            platforms that check before calling, leave it True.
        user: Who typed it, as the platform names users ("U024BE7LH"); the per-user rate
            limit counts by it. None when unknown (then no per-user limit applies).
    """

    destination: Destination
    text: str
    attachment: str | bytes | None = None
    may_manage: bool = True
    user: str | None = None


@dataclass(frozen=True)
class CommandError:
    """An argument error: what is wrong, in one line, and a correct example."""

    message: str
    example: str


@dataclass(frozen=True)
class DigestReply:
    """The answer to `digest`."""

    digest: Digest
    topic: str | None


@dataclass(frozen=True)
class Subscribed:
    """The answer to `subscribe`: the subscription and, for a feed, what the first fetch did."""

    subscription: Subscription
    feed: FeedState | None = None
    new_articles: int = 0
    error: str | None = None


@dataclass(frozen=True)
class FeedChoices:
    """The answer to `subscribe` of a page naming several feeds: pick one by its number.

    Attributes:
        target: The page as the user typed it (`example.com`), for the example to repeat.
        feeds: The feeds found, in the page's order.
    """

    target: str
    feeds: tuple[FeedLink, ...]


@dataclass(frozen=True)
class Unsubscribed:
    """The answer to `unsubscribe`."""

    subscription: Subscription


@dataclass(frozen=True)
class SubscriptionList:
    """The answer to `subscriptions`.

    Attributes:
        items: The subscriptions, oldest first, feeds with their health.
        link_replies: Whether links posted in the channel get a digest (None: not shown).
        catalogue: Feeds of the operator's catalogue that the channel's topics draw on.
        paused_at: When posting to the channel was paused (the platform refused it for good).
        paused_reason: The refusal that paused it.
    """

    items: tuple[SubscriptionView, ...]
    link_replies: bool | None = None
    catalogue: int = 0
    paused_at: datetime | None = None
    paused_reason: str | None = None


@dataclass(frozen=True)
class SettingsChanged:
    """The answer to `schedule` and `mode`: the new settings and the next digest's instant."""

    settings: DestinationSettings
    next_digest: datetime | None
    link_replies: bool
    """The channel's link replies in effect (its own choice, else its platform's default)."""


@dataclass(frozen=True)
class OpmlImported:
    """The answer to `import-opml`: `left_out` did not fit a quota, which `limit` words.

    `unreadable` are feeds whose filter does not parse: left out rather than followed unfiltered.
    """

    added: tuple[Subscription, ...]
    already: tuple[str, ...]
    left_out: tuple[str, ...] = ()
    limit: str | None = None
    unreadable: tuple[str, ...] = ()


@dataclass(frozen=True)
class OpmlExported:
    """The answer to `export-opml`."""

    document: str
    feeds: int


@dataclass(frozen=True)
class HelpReply:
    """The answer to `help`."""

    specs: tuple[CommandSpec, ...]


CommandResult = (
    CommandError
    | DigestReply
    | Subscribed
    | FilterReplaced
    | FeedChoices
    | Unsubscribed
    | SubscriptionList
    | SettingsChanged
    | OpmlImported
    | OpmlExported
    | HelpReply
)

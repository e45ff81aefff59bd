"""What commands answer: one result type per outcome, for adapters to render."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.commands.spec import SPECS
from bot.commands.spec_types import CommandSpec, Invocation
from bot.domain import (
    Destination,
    DestinationSettings,
    Digest,
    DigestLayout,
    FeedState,
    FilterReplaced,
    Subscription,
    SubscriptionView,
)
from bot.ports import FeedLink

# A reply's item and a reply are defined with the domain, where the engine makes them; the
# command specs in spec.py, written in spec_types.py's types.
__all__ = ["SPECS", "CommandSpec", "FilterReplaced", "Invocation", "SubscriptionView"]


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
    """An argument error or a refusal: what is wrong, in one line, and a correct example.

    Attributes:
        message: What is wrong, in one line (no final full stop).
        example: A correct command, which each platform writes in its own syntax.
    """

    message: str
    example: Invocation


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
        layout: How scheduled digests are laid out (None: not shown).
    """

    items: tuple[SubscriptionView, ...]
    link_replies: bool | None = None
    catalogue: int = 0
    paused_at: datetime | None = None
    paused_reason: str | None = None
    layout: DigestLayout | None = None


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

"""Where digests go and what they follow: platforms, channels, settings, subscriptions, feeds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from typing import NamedTuple

ALL_DAYS: frozenset[int] = frozenset(range(7))
"""Every weekday, Monday = 0 (as `date.weekday()` counts)."""


class Platform(StrEnum):
    """The chat platform a destination lives on."""

    CONSOLE = "console"
    SLACK = "slack"
    DISCORD = "discord"


class Tenant(NamedTuple):
    """Whose news a channel may see: one workspace of one platform (the console is one too).

    Attributes:
        platform: Which chat platform.
        workspace: Slack workspace (team) id or Discord guild id; "local" for the console.
    """

    platform: Platform
    workspace: str


@dataclass(frozen=True)
class Destination:
    """One channel digests are posted to.

    Attributes:
        platform: Which chat platform.
        workspace: Slack workspace (team) id or Discord guild id; "local" for the console.
        channel: Channel id within the workspace.
    """

    platform: Platform
    workspace: str
    channel: str

    def __str__(self) -> str:
        return f"{self.platform}:{self.workspace}/{self.channel}"

    @property
    def tenant(self) -> Tenant:
        """The workspace the channel belongs to."""
        return Tenant(self.platform, self.workspace)


class DigestMode(StrEnum):
    """How new stories reach a destination."""

    QUIET = "quiet"
    """Only in the daily digest."""
    LIVE = "live"
    """Each story as it comes; a digest instead when more than N arrive within an hour."""


class DigestLayout(StrEnum):
    """How a scheduled (catch-up, burst) digest is laid out in the channel."""

    THREAD = "thread"
    """One parent message (the title, one line per story), the stories in its thread (a forum
    post on a Discord forum channel): the channel shows one message a day."""
    INLINE = "inline"
    """Every story in the channel itself, as many messages as the platform's limits need."""


@dataclass(frozen=True)
class DestinationSettings:
    """When and how a destination receives its digests.

    Attributes:
        digest_time: Local wall-clock time of the daily digest.
        timezone: IANA timezone name the digest time is read in.
        weekdays: Days the digest is sent on, Monday = 0.
        max_stories: Stories shown in one digest; the rest are counted as "more".
        mode: Quiet (digest only) or live (each new story as it comes).
        live_limit: In live mode, more than this many stories within an hour become a digest.
        link_replies: Whether links people post in the channel get a threaded digest; None
            follows the platform's default (configured in the composition root).
        layout: Scheduled digests as one message with the stories in its thread, or inline.
    """

    digest_time: time = time(9, 0)
    timezone: str = "UTC"
    weekdays: frozenset[int] = ALL_DAYS
    max_stories: int = 10
    mode: DigestMode = DigestMode.QUIET
    live_limit: int = 5
    link_replies: bool | None = None
    layout: DigestLayout = DigestLayout.THREAD


@dataclass(frozen=True)
class DestinationRecord:
    """A stored destination with its settings.

    Attributes:
        id: Store id.
        destination: Platform, workspace and channel.
        settings: Current digest settings.
        created_at: When the bot first saw the destination.
        settings_changed_at: When the settings last changed; no scheduled slot before it fires.
        refusals: Posts the platform refused in a row for good (the bot removed, the channel
            gone); a post that gets through starts the count again.
        paused_at: When posting was paused after too many refusals; None while posting.
        paused_reason: The platform's refusal that paused it, in one line.
    """

    id: int
    destination: Destination
    settings: DestinationSettings
    created_at: datetime
    settings_changed_at: datetime
    refusals: int = 0
    paused_at: datetime | None = None
    paused_reason: str | None = None


class SubscriptionKind(StrEnum):
    """What a subscription follows."""

    FEED = "feed"
    TOPIC = "topic"
    MUTE = "mute"
    """Not a source but a filter on the channel: the outlet named is never delivered there."""


@dataclass(frozen=True)
class Subscription:
    """A destination following a feed or a topic query.

    Attributes:
        id: Store id, what `unsubscribe <id>` takes.
        destination_id: The destination's store id.
        kind: Feed or topic.
        target: The feed URL (or local path), the topic query text, or the muted outlet's name.
        created_at: When it was made; nothing ingested before it is delivered for it.
        feed_id: The feed's store id, for feed subscriptions.
        filter: For a feed, the topic query (canonical form) its items must match to be
            delivered; None keeps every item.
    """

    id: int
    destination_id: int
    kind: SubscriptionKind
    target: str
    created_at: datetime
    feed_id: int | None = None
    filter: str | None = None


@dataclass(frozen=True)
class FilterReplaced:
    """A followed feed's filter replaced by subscribing to it again.

    Attributes:
        subscription: The subscription with its new filter (counted from now, like a new one).
        previous: The filter it had (None: it kept every item).
    """

    subscription: Subscription
    previous: str | None


@dataclass(frozen=True)
class FeedState:
    """A polled feed: conditional-GET validators, schedule and health.

    Attributes:
        id: Store id.
        url: The feed's URL (or local path in the console demo).
        title: The feed's own title, once known.
        etag: ETag of the last full answer.
        last_modified: Last-Modified of the last full answer.
        interval: Time between polls when healthy.
        next_poll_at: When the feed is next due.
        last_polled_at: When it was last polled, successfully or not.
        last_success_at: When a poll last succeeded; None means never (the next one is backfill).
        last_error: The last poll's error in one line, None after a success.
        errors: Consecutive failed polls.
        articles: Articles ingested from this feed.
        catalog: In the operator's catalogue: polled though no channel follows it, its stories
            open to every workspace's topics.
    """

    id: int
    url: str
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    interval: timedelta = timedelta(minutes=15)
    next_poll_at: datetime | None = None
    last_polled_at: datetime | None = None
    last_success_at: datetime | None = None
    last_error: str | None = None
    errors: int = 0
    articles: int = 0
    catalog: bool = False


@dataclass(frozen=True)
class SubscriptionView:
    """A subscription with its feed's health (None for topics)."""

    subscription: Subscription
    feed: FeedState | None


@dataclass(frozen=True)
class ChannelOverview:
    """One channel the bot knows, with what it follows (feeds with their health).

    Attributes:
        record: The channel's destination record (its settings included).
        subscriptions: Its subscriptions, oldest first.
    """

    record: DestinationRecord
    subscriptions: tuple[SubscriptionView, ...]


def utc(moment: datetime) -> datetime:
    """The same instant in UTC; naive datetimes are taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)

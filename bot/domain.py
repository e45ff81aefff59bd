"""The bot's domain: where digests go, what is subscribed, what was read and what was posted.

Plain frozen dataclasses, free of storage and chat platforms. Times are timezone-aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from typing import NamedTuple
from urllib.parse import urlsplit

from summaries import Actor, ActorKind, DateMention

ALL_DAYS: frozenset[int] = frozenset(range(7))
"""Every weekday, Monday = 0 (as `date.weekday()` counts)."""


class Platform(StrEnum):
    """The chat platform a destination lives on."""

    CONSOLE = "console"
    SLACK = "slack"
    DISCORD = "discord"


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


class DigestMode(StrEnum):
    """How new stories reach a destination."""

    QUIET = "quiet"
    """Only in the daily digest."""
    LIVE = "live"
    """Each story as it comes; a digest instead when more than N arrive within an hour."""


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
    """

    digest_time: time = time(9, 0)
    timezone: str = "UTC"
    weekdays: frozenset[int] = ALL_DAYS
    max_stories: int = 10
    mode: DigestMode = DigestMode.QUIET
    live_limit: int = 5


@dataclass(frozen=True)
class DestinationRecord:
    """A stored destination with its settings.

    Attributes:
        id: Store id.
        destination: Platform, workspace and channel.
        settings: Current digest settings.
        created_at: When the bot first saw the destination.
        settings_changed_at: When the settings last changed; no scheduled slot before it fires.
    """

    id: int
    destination: Destination
    settings: DestinationSettings
    created_at: datetime
    settings_changed_at: datetime


class SubscriptionKind(StrEnum):
    """What a subscription follows."""

    FEED = "feed"
    TOPIC = "topic"


@dataclass(frozen=True)
class Subscription:
    """A destination following a feed or a topic query.

    Attributes:
        id: Store id, what `unsubscribe <id>` takes.
        destination_id: The destination's store id.
        kind: Feed or topic.
        target: The feed URL (or local path) or the topic query text.
        created_at: When it was made; nothing ingested before it is delivered for it.
        feed_id: The feed's store id, for feed subscriptions.
    """

    id: int
    destination_id: int
    kind: SubscriptionKind
    target: str
    created_at: datetime
    feed_id: int | None = None


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


@dataclass(frozen=True)
class Article:
    """One ingested article with its digest and clustering features.

    Attributes:
        url: Canonical link (or local path).
        title: Headline, if known.
        source: The outlet's name (feed title or host).
        published: Publication time, if the feed gave one.
        ingested_at: When the bot stored it.
        content_hash: Hash of the normalised text, for dedupe across URLs.
        summary: Verbatim summary sentences.
        actors: Key actors, most salient first.
        dates: Dates named in the article.
        terms: Content-word counts of the whole text, used for clustering.
        lead_terms: Content-word counts of the title and lead, used for clustering.
        text: The article text (kept for topic queries), possibly cut.
        feed_id: The feed it came from, if any.
        guid: The feed item's id, if any.
        backfill: Read on its feed's first poll: history, never delivered by schedule.
        excerpt_only: Digested from the feed's own excerpt because the page could not be had.
        id: Store id (0 before storing).
        story_id: The story it belongs to (0 before storing).
    """

    url: str
    title: str | None
    source: str
    published: datetime | None
    ingested_at: datetime
    content_hash: str
    summary: tuple[str, ...] = ()
    actors: tuple[Actor, ...] = ()
    dates: tuple[DateMention, ...] = ()
    terms: dict[str, int] = field(default_factory=dict, hash=False, compare=False)
    lead_terms: dict[str, int] = field(default_factory=dict, hash=False, compare=False)
    text: str = ""
    feed_id: int | None = None
    guid: str | None = None
    backfill: bool = False
    excerpt_only: bool = False
    id: int = 0
    story_id: int = 0

    @property
    def places(self) -> tuple[Actor, ...]:
        """The actors that are places."""
        return tuple(actor for actor in self.actors if actor.kind is ActorKind.PLACE)


@dataclass(frozen=True)
class Signature:
    """A stored article's clustering features only: no text, summary or links.

    Attributes:
        id: Store id of the article.
        story_id: Its story.
        ingested_at: When it was stored (decides when it leaves the window).
        published: Publication time, if known.
        actors: Key actors, most salient first.
        dates: Dates named in the article.
        terms: Content-word counts of the whole text.
        lead_terms: Content-word counts of the title and lead.
        source: The outlet it came from (its host), "" if unknown.
    """

    id: int
    story_id: int
    ingested_at: datetime
    published: datetime | None
    actors: tuple[Actor, ...]
    dates: tuple[DateMention, ...]
    terms: dict[str, int] = field(hash=False, compare=False)
    lead_terms: dict[str, int] = field(default_factory=dict, hash=False, compare=False)
    source: str = ""


@dataclass(frozen=True)
class Story:
    """One real-world event, reported by one or more articles.

    Attributes:
        id: Store id.
        articles: Its articles in ingestion order.
    """

    id: int
    articles: tuple[Article, ...]

    @property
    def first_seen(self) -> datetime:
        """When its first article was ingested."""
        return min(article.ingested_at for article in self.articles)

    @property
    def last_seen(self) -> datetime:
        """When its latest article was ingested."""
        return max(article.ingested_at for article in self.articles)


@dataclass(frozen=True)
class SourceLink:
    """One outlet's article about a story (`excerpt`: digested from the feed's excerpt only)."""

    outlet: str
    title: str | None
    url: str
    excerpt: bool = False


class EntryDate(NamedTuple):
    """A date a story names: the words as written and their calendar value.

    Attributes:
        text: As the article wrote it ("Thursday").
        value: ISO 8601 at the expression's own granularity ("2024-01-04", "2024-01", "2020").
    """

    text: str
    value: str


@dataclass(frozen=True)
class DigestEntry:
    """One story in a digest.

    Attributes:
        story_id: The story's store id.
        headline: Its headline.
        summary: The best summary sentence(s), verbatim.
        actors: Key actors across its articles.
        dates: Dates named, each with its calendar value (renderers word them).
        sources: Every article's link.
        published: The earliest publication time, if known.
    """

    story_id: int
    headline: str
    summary: tuple[str, ...]
    actors: tuple[str, ...]
    dates: tuple[EntryDate, ...]
    sources: tuple[SourceLink, ...]
    published: datetime | None

    @property
    def covered_by(self) -> int:
        """How many distinct outlets reported the story."""
        return len({link.outlet for link in self.sources})


class DigestKind(StrEnum):
    """Why a digest was made."""

    ON_DEMAND = "on-demand"
    SCHEDULED = "scheduled"
    CATCH_UP = "catch-up"
    LIVE = "live"
    BURST = "burst"
    LINK = "link"  # a link shared in chat: answered at once, never stored as a post
    ALERT = "alert"  # a followed feed has failed for a day: one short notice, no stories
    RECOVERED = "recovered"  # a feed alerted about works again: one line


class MostNamed(NamedTuple):
    """The actor most stories of a digest name.

    Attributes:
        name: The actor as shown ("Mohammed Shia Al Sudani (Iraqi Prime Minister)").
        stories: How many of the digest's stories name it.
    """

    name: str
    stories: int


@dataclass(frozen=True)
class FeedNotice:
    """What a feed alert or recovery line says, as data; `bot/render/titles.py` words it.

    Attributes:
        url: The failing (or recovered) feed's URL.
        subscription_id: The channel's subscription to it, for the `/unsubscribe` hint.
        failing_for: How long it has failed (None: it works again).
        reason: Its last error in one line, as the fetcher gave it ("HTTP 503").
    """

    url: str
    subscription_id: int
    failing_for: timedelta | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Heading:
    """What a digest's title says, as data; `bot/render/titles.py` puts it in words.

    Attributes:
        topic: The topic asked for (`/digest <topic>`), if any.
        window: How far back an on-demand digest reaches.
        moment: The slot a scheduled or catch-up digest is for.
        timezone: The destination's time zone, for the slot's day and time.
        notice: A feed alert's or recovery line's facts (alerts and recoveries only).
    """

    topic: str | None = None
    window: timedelta | None = None
    moment: datetime | None = None
    timezone: str = "UTC"
    notice: FeedNotice | None = None


@dataclass(frozen=True)
class Digest:
    """Stories composed for one destination.

    Attributes:
        kind: Why it was made.
        heading: What its title says (renderers word it).
        since: Start of the window it covers.
        until: End of the window it covers.
        entries: The stories shown, best first.
        more: Stories that matched but were left out (over the maximum).
        most_named: The actor most of the shown stories name, with how many, when two or more
            stories name one (renderers word it: "Most named today: US (3 stories)").
    """

    kind: DigestKind
    heading: Heading
    since: datetime
    until: datetime
    entries: tuple[DigestEntry, ...]
    more: int = 0
    most_named: MostNamed | None = None


class PostState(StrEnum):
    """Where a post stands between reserving and confirming it."""

    PENDING = "pending"
    """Reserved before publishing; not yet confirmed."""
    SENT = "sent"
    SKIPPED = "skipped"
    """A digest slot with nothing to post, recorded so it is not tried again."""
    UNCONFIRMED = "unconfirmed"
    """Pending at a restart and the platform could not say: never posted again."""
    FAILED = "failed"


@dataclass(frozen=True)
class Post:
    """A message posted (or about to be posted) to a destination.

    Attributes:
        id: Store id.
        destination_id: The destination's store id.
        key: Idempotency key, unique across posts.
        kind: Scheduled, catch-up, live or burst.
        story_ids: The stories it delivers.
        state: Pending, sent, skipped, unconfirmed or failed.
        created_at: When it was reserved.
        slot: The scheduled instant it stands for (digests), if any.
        sent_at: When it was confirmed.
    """

    id: int
    destination_id: int
    key: str
    kind: DigestKind
    story_ids: tuple[int, ...]
    state: PostState
    created_at: datetime
    slot: datetime | None = None
    sent_at: datetime | None = None


def outlet_name(url: str, fallback: str = "local") -> str:
    """The outlet a link belongs to: its host without "www.", or `fallback` for a local path."""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or fallback


def utc(moment: datetime) -> datetime:
    """The same instant in UTC; naive datetimes are taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)

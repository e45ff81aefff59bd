"""What is posted: digests and their entries (structured, for renderers to word) and posts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from bot.domain.channels import DigestLayout


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
        actor_names: The shown actors' plain names (no role), what "Follow" subscribes to.
    """

    story_id: int
    headline: str
    summary: tuple[str, ...]
    actors: tuple[str, ...]
    dates: tuple[EntryDate, ...]
    sources: tuple[SourceLink, ...]
    published: datetime | None
    actor_names: tuple[str, ...] = ()

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
        layout: Inline (every story in the channel), or one parent message with the stories
            in its thread (scheduled, catch-up and burst digests of a channel that chose it).
    """

    kind: DigestKind
    heading: Heading
    since: datetime
    until: datetime
    entries: tuple[DigestEntry, ...]
    more: int = 0
    most_named: MostNamed | None = None
    layout: DigestLayout = DigestLayout.INLINE


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

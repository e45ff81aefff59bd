"""The Store port: everything the engine keeps between runs, and the errors it raises.

Two implementations pass the same contract tests: `MemoryStore` (bot/store/memory.py) and
`SqlStore` (bot/store/sql.py, SQLite or Postgres).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.domain import (
    Article,
    Destination,
    DestinationRecord,
    DestinationSettings,
    DigestKind,
    FeedState,
    Platform,
    Post,
    PostState,
    Signature,
    Story,
    Subscription,
    SubscriptionKind,
    Tenant,
)


class StoreError(Exception):
    """A store operation refused because of what is already stored."""


class DuplicateSubscriptionError(StoreError):
    """The destination already follows this feed or topic.

    Attributes:
        destination_id: The destination.
        target: The feed URL or topic.
    """

    def __init__(self, destination_id: int, target: str) -> None:
        super().__init__(f"destination {destination_id} already follows {target}")
        self.destination_id = destination_id
        self.target = target


class AlreadyDeliveredError(StoreError):
    """A post would deliver stories (or reuse a key) that another post already holds.

    Attributes:
        destination_id: The destination.
        key: The idempotency key of the refused post.
    """

    def __init__(self, destination_id: int, key: str) -> None:
        super().__init__(f"post {key} to destination {destination_id} is already recorded")
        self.destination_id = destination_id
        self.key = key


@dataclass(frozen=True)
class Pruned:
    """What one prune deleted.

    Attributes:
        articles: Articles (with their text) ingested before the cut-off.
        stories: Stories left without an article, with their delivery records.
        posts: Posts older than the cut-off that nothing needs any more.
    """

    articles: int = 0
    stories: int = 0
    posts: int = 0

    def __add__(self, other: Pruned) -> Pruned:
        """Both prunes' counts together (a prune is done in batches)."""
        return Pruned(
            self.articles + other.articles,
            self.stories + other.stories,
            self.posts + other.posts,
        )


class Store(Protocol):
    """Destinations, feeds, subscriptions, articles grouped into stories, and posts."""

    async def ensure_destination(
        self, destination: Destination, defaults: DestinationSettings, now: datetime
    ) -> DestinationRecord:
        """The stored destination, created with `defaults` when new."""
        ...

    async def update_settings(
        self, destination_id: int, settings: DestinationSettings, now: datetime
    ) -> DestinationRecord:
        """Replace a destination's settings."""
        ...

    async def find_destination(self, destination: Destination) -> DestinationRecord | None:
        """The stored destination of one channel, None when it was never stored (no write)."""
        ...

    async def destinations(
        self, tenant: tuple[Platform, str] | None = None
    ) -> list[DestinationRecord]:
        """Every destination, oldest first; only one tenant's (platform, workspace) when given."""
        ...

    async def record_refusal(
        self, destination_id: int, reason: str, now: datetime, pause_after: int
    ) -> DestinationRecord:
        """Count one more post refused for good; at `pause_after` in a row, pause the destination.

        A destination already paused keeps its first pause's moment and reason.
        """
        ...

    async def clear_refusals(self, destination_id: int) -> bool:
        """Start the refusal count again and unpause; True when the destination was paused."""
        ...

    async def ensure_feed(self, url: str, interval: timedelta, now: datetime) -> FeedState:
        """The stored feed, created due at `now` when new."""
        ...

    async def feed(self, feed_id: int) -> FeedState | None:
        """A feed by id."""
        ...

    async def feeds(self, feed_ids: Collection[int]) -> dict[int, FeedState]:
        """The feeds with these ids, by id (missing ones left out), in one read."""
        ...

    async def save_feed(self, feed: FeedState) -> None:
        """Store a feed's validators, schedule and health."""
        ...

    async def due_feeds(self, now: datetime) -> list[FeedState]:
        """Subscribed or catalogue feeds whose next poll is at or before `now`."""
        ...

    async def mark_catalogue(self, feed_ids: Collection[int]) -> None:
        """Make exactly these feeds the operator's catalogue (every other feed leaves it)."""
        ...

    async def count_catalogue(self) -> int:
        """How many feeds the operator's catalogue holds."""
        ...

    async def add_subscription(
        self,
        destination_id: int,
        kind: SubscriptionKind,
        target: str,
        feed_id: int | None,
        now: datetime,
        *,
        filter: str | None = None,
    ) -> Subscription:
        """Subscribe a destination (raises DuplicateSubscriptionError); `filter` for feeds."""
        ...

    async def replace_filter(
        self, destination_id: int, subscription_id: int, filter: str | None, now: datetime
    ) -> Subscription | None:
        """Give a destination's subscription a new filter, counted from `now` like a new one.

        Returns:
            The changed subscription; None when the destination has no such subscription.
        """
        ...

    async def remove_subscription(
        self, destination_id: int, subscription_id: int
    ) -> Subscription | None:
        """Remove a destination's subscription; None when it has no such subscription."""
        ...

    async def subscriptions(self, destination_id: int | None = None) -> list[Subscription]:
        """One destination's subscriptions (or everyone's), oldest first."""
        ...

    async def count_subscriptions(self, destination_id: int) -> int:
        """How many feeds and topics one destination follows."""
        ...

    async def count_feeds(
        self, platform: Platform, workspace: str, including: Collection[int] = ()
    ) -> int:
        """Distinct feeds the channels of one workspace follow, `including` these feed ids."""
        ...

    async def known_article(
        self, feed_id: int | None, url: str, guid: str | None, content_hash: str
    ) -> bool:
        """Whether this feed already gave this article (same link, guid or content)."""
        ...

    async def add_article(self, article: Article) -> Article:
        """Store an article in its story (a new story when `story_id` is 0); returns it with ids.

        An article its feed already holds under the same link (the same item ingested twice at
        once) is not stored again: the stored one is returned.
        """
        ...

    async def recent_articles(self, since: datetime) -> list[Article]:
        """Articles ingested at or after `since` (clustering candidates)."""
        ...

    async def recent_article_ids(self, since: datetime) -> list[int]:
        """Ids of the articles ingested at or after `since`, in id order."""
        ...

    async def signatures(self, article_ids: Collection[int]) -> list[Signature]:
        """The clustering features of these articles (the ones that exist), in id order."""
        ...

    async def tenant_stories(
        self, tenant: Tenant, since: datetime, *, with_text: bool = False
    ) -> list[Story]:
        """The stories one tenant may see that it got an article of at or after `since`.

        A tenant sees the articles of the feeds its channels follow and of the catalogue's
        feeds; each story carries only those (a story clustered across tenants shows each
        tenant its own articles). Articles carry what a digest shows and topics match: no
        clustering features, no content hash or guid, and no text unless `with_text`.
        """
        ...

    async def stories(
        self, tenant: Tenant, story_ids: Collection[int], *, with_text: bool = False
    ) -> list[Story]:
        """These stories as one tenant may see them (as `tenant_stories`), oldest first.

        A story the tenant may not see (another workspace's, or gone) is simply left out.
        """
        ...

    async def reserve_post(
        self,
        destination_id: int,
        key: str,
        kind: DigestKind,
        story_ids: Sequence[int],
        *,
        now: datetime,
        slot: datetime | None = None,
        state: PostState = PostState.PENDING,
    ) -> Post:
        """Record a post and its deliveries before publishing (raises AlreadyDeliveredError)."""
        ...

    async def mark_post(self, post_id: int, state: PostState, now: datetime) -> None:
        """Move a post on; FAILED releases its stories for a later post."""
        ...

    async def pending_posts(self) -> list[Post]:
        """Posts reserved but never confirmed, oldest first."""
        ...

    async def delivered(self, destination_id: int, story_ids: Collection[int]) -> set[int]:
        """Which of these stories a destination already has (or has reserved)."""
        ...

    async def delivered_many(self, wanted: Mapping[int, Collection[int]]) -> dict[int, set[int]]:
        """`delivered` for many destinations in one read: by destination id, which of its stories.

        Destinations that have none of theirs are left out.
        """
        ...

    async def last_slot(self, destination_id: int) -> datetime | None:
        """The latest scheduled slot recorded for a destination, whatever its state."""
        ...

    async def last_slots(self) -> dict[int, datetime]:
        """`last_slot` of every destination that has one, by id, in one read."""
        ...

    async def last_post_at(self, destination_id: int) -> datetime | None:
        """When the destination's latest post that did not fail was made, if any.

        Sent, pending and skipped-slot posts count, failed ones not: every story the destination
        has not got came in after about then.
        """
        ...

    async def last_posts_at(self) -> dict[int, datetime]:
        """`last_post_at` of every destination that has such a post, by id, in one read."""
        ...

    async def posts_since(
        self, destination_id: int | None, since: datetime, kinds: Collection[DigestKind]
    ) -> list[Post]:
        """A destination's (or everyone's) posts of these kinds created at or after `since`.

        Oldest first (by id).
        """
        ...

    async def forget_channel(self, destination: Destination) -> int:
        """Delete one channel's destination with its subscriptions, schedule and posts.

        Returns:
            How many destinations were deleted (0 when the channel was never stored).
        """
        ...

    async def forget_tenant(self, platform: Platform, workspace: str) -> int:
        """Delete every destination of one workspace, each as `forget_channel` does.

        Returns:
            How many destinations were deleted.
        """
        ...

    async def prune(self, before: datetime, *, batch: int = 1000) -> Pruned:
        """Delete what is older than `before` and no digest can need any more, in batches.

        In order: articles ingested before `before` (with their text); then the stories left
        without an article, each with its delivery records (a deleted story cannot come back:
        new articles make new stories); then posts created before `before` that no delivery
        record points at, except pending ones (still to settle) and each destination's post of
        its latest slot (`last_slot` keeps a digest from firing twice). Each batch of at most
        `batch` rows is its own short transaction.
        """
        ...

"""The engine: subscriptions, on-demand digests and the story selection the scheduler delivers.

Commands and the scheduler both work through it; it owns no background task itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.digests import ComposeOptions, Interests, compose_digest, deliverable, relevant
from bot.domain import (
    Destination,
    DestinationRecord,
    DestinationSettings,
    Digest,
    DigestKind,
    Post,
    Story,
    Subscription,
    SubscriptionKind,
)
from bot.ingest import IngestOptions, Ingestor, PollResult
from bot.store.port import Store
from bot.topics import Query, describe

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EngineOptions:
    """Defaults and windows of the engine.

    Attributes:
        defaults: Settings a new destination starts with.
        on_demand_window: What `digest` covers when no "since" is given.
        lookback: The furthest back a scheduled or catch-up digest reaches.
        compose: How much of each story a digest shows.
        ingest: Feed polling limits.
    """

    defaults: DestinationSettings = field(default_factory=DestinationSettings)
    on_demand_window: timedelta = timedelta(hours=24)
    lookback: timedelta = timedelta(days=7)
    compose: ComposeOptions = field(default_factory=ComposeOptions)
    ingest: IngestOptions = field(default_factory=IngestOptions)


@dataclass(frozen=True)
class FeedSubscribed:
    """A new feed subscription and what its first fetch found.

    Attributes:
        subscription: The stored subscription.
        poll: The first fetch (None when the feed was fetched recently by someone else).
    """

    subscription: Subscription
    poll: PollResult | None


class Engine:
    """Subscriptions, digests and story selection over a Store."""

    def __init__(
        self, store: Store, ingestor: Ingestor, clock: Clock, options: EngineOptions | None = None
    ) -> None:
        """Wire the store, the ingestor and the clock."""
        self.store = store
        self.ingestor = ingestor
        self.clock = clock
        self.options = options or EngineOptions()

    async def destination(self, destination: Destination) -> DestinationRecord:
        """The destination's record, created with default settings when new."""
        return await self.store.ensure_destination(
            destination, self.options.defaults, self.clock.now()
        )

    async def subscribe_feed(self, record: DestinationRecord, url: str) -> FeedSubscribed:
        """Subscribe to a feed and fetch it at once (its items are history: never back-posted).

        Raises:
            DuplicateSubscriptionError: When the destination already follows the feed.
        """
        now = self.clock.now()
        feed = await self.store.ensure_feed(url, self.options.ingest.interval, now)
        sub = await self.store.add_subscription(record.id, SubscriptionKind.FEED, url, feed.id, now)
        return FeedSubscribed(sub, await self.ingestor.poll(feed))

    async def subscribe_topic(self, record: DestinationRecord, query: Query) -> Subscription:
        """Subscribe to a topic (stored in canonical form).

        Raises:
            DuplicateSubscriptionError: When the destination already follows the topic.
        """
        return await self.store.add_subscription(
            record.id, SubscriptionKind.TOPIC, describe(query), None, self.clock.now()
        )

    async def on_demand(
        self, record: DestinationRecord, topic: Query | None, window: timedelta, title: str
    ) -> Digest:
        """Recent stories of the subscriptions (or of one topic), delivered before or not."""
        now = self.clock.now()
        since = now - window
        if topic is not None:
            interests = Interests.topic(topic, since)
        else:
            interests = Interests.of(await self.store.subscriptions(record.id))
        stories = [s for s in await self.store.stories_since(since) if relevant(s, interests)]
        return self._compose(stories, DigestKind.ON_DEMAND, title, since, record)

    async def undelivered(self, record: DestinationRecord, since: datetime) -> list[Story]:
        """Stories the destination should get unasked and has not got yet."""
        start = max(since, self.clock.now() - self.options.lookback)
        interests = Interests.of(await self.store.subscriptions(record.id))
        stories = [s for s in await self.store.stories_since(start) if deliverable(s, interests)]
        done = await self.store.delivered(record.id, [story.id for story in stories])
        return [story for story in stories if story.id not in done]

    def compose(
        self,
        stories: list[Story],
        kind: DigestKind,
        title: str,
        since: datetime,
        record: DestinationRecord,
    ) -> Digest:
        """A digest of these stories within the destination's maximum."""
        return self._compose(stories, kind, title, since, record)

    async def rebuild(self, post: Post, record: DestinationRecord, title: str) -> Digest:
        """The digest a pending post stood for, recomposed from its recorded stories."""
        stories = await self.store.stories(post.story_ids)
        return compose_digest(
            stories,
            kind=post.kind,
            title=title,
            since=post.created_at,
            until=post.created_at,
            limit=record.settings.max_stories,
            options=self.options.compose,
        )

    def _compose(
        self,
        stories: list[Story],
        kind: DigestKind,
        title: str,
        since: datetime,
        record: DestinationRecord,
    ) -> Digest:
        return compose_digest(
            stories,
            kind=kind,
            title=title,
            since=since,
            until=self.clock.now(),
            limit=record.settings.max_stories,
            options=self.options.compose,
        )

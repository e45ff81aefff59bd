"""MemoryStore: the Store port in dictionaries, for tests and benchmarks (nothing persists)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import datetime, timedelta

from bot.domain import (
    Article,
    Destination,
    DestinationRecord,
    DestinationSettings,
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
from bot.store.memory_posts import MemoryPostLedger
from bot.store.port import DuplicateSubscriptionError, Pruned


class MemoryStore(MemoryPostLedger):
    """Every Store operation over plain dictionaries (the posts' in `MemoryPostLedger`)."""

    def __init__(self) -> None:
        """An empty store."""
        super().__init__(itertools.count(1))
        self._destinations: dict[int, DestinationRecord] = {}
        self._feeds: dict[int, FeedState] = {}
        self._subscriptions: dict[int, Subscription] = {}
        self._articles: dict[int, Article] = {}

    async def ensure_destination(
        self, destination: Destination, defaults: DestinationSettings, now: datetime
    ) -> DestinationRecord:
        """The stored destination, created with `defaults` when new."""
        for record in self._destinations.values():
            if record.destination == destination:
                return record
        record = DestinationRecord(next(self._ids), destination, defaults, now, now)
        self._destinations[record.id] = record
        return record

    async def update_settings(
        self, destination_id: int, settings: DestinationSettings, now: datetime
    ) -> DestinationRecord:
        """Replace a destination's settings."""
        record = self._destinations[destination_id]
        updated = replace(record, settings=settings, settings_changed_at=now)
        self._destinations[destination_id] = updated
        return updated

    async def find_destination(self, destination: Destination) -> DestinationRecord | None:
        """The stored destination of one channel, None when it was never stored."""
        found = (r for r in self._destinations.values() if r.destination == destination)
        return next(found, None)

    async def destinations(
        self, tenant: tuple[Platform, str] | None = None
    ) -> list[DestinationRecord]:
        """Every destination, oldest first; only one tenant's (platform, workspace) when given."""
        return [
            record
            for record in self._destinations.values()
            if tenant is None
            or (record.destination.platform, record.destination.workspace) == tenant
        ]

    async def record_refusal(
        self, destination_id: int, reason: str, now: datetime, pause_after: int
    ) -> DestinationRecord:
        """Count one more post refused for good; at `pause_after` in a row, pause it."""
        record = self._destinations[destination_id]
        record = replace(record, refusals=record.refusals + 1)
        if record.refusals >= pause_after and record.paused_at is None:
            record = replace(record, paused_at=now, paused_reason=reason)
        self._destinations[destination_id] = record
        return record

    async def clear_refusals(self, destination_id: int) -> bool:
        """Start the refusal count again and unpause; True when the destination was paused."""
        record = self._destinations.get(destination_id)
        if record is None:  # forgotten meanwhile
            return False
        cleared = replace(record, refusals=0, paused_at=None, paused_reason=None)
        self._destinations[destination_id] = cleared
        return record.paused_at is not None

    async def ensure_feed(self, url: str, interval: timedelta, now: datetime) -> FeedState:
        """The stored feed, created due at `now` when new."""
        for feed in self._feeds.values():
            if feed.url == url:
                return feed
        feed = FeedState(id=next(self._ids), url=url, interval=interval, next_poll_at=now)
        self._feeds[feed.id] = feed
        return feed

    async def feed(self, feed_id: int) -> FeedState | None:
        """A feed by id."""
        return self._feeds.get(feed_id)

    async def feeds(self, feed_ids: Collection[int]) -> dict[int, FeedState]:
        """The feeds with these ids, by id (missing ones left out)."""
        return {i: self._feeds[i] for i in feed_ids if i in self._feeds}

    async def save_feed(self, feed: FeedState) -> None:
        """Store a feed's validators, schedule and health (not its place in the catalogue)."""
        self._feeds[feed.id] = replace(feed, catalog=self._feeds[feed.id].catalog)

    async def due_feeds(self, now: datetime) -> list[FeedState]:
        """Subscribed or catalogue feeds whose next poll is at or before `now`."""
        subscribed = {sub.feed_id for sub in self._subscriptions.values()}
        return [
            feed
            for feed in self._feeds.values()
            if (feed.id in subscribed or feed.catalog)
            and (feed.next_poll_at is None or feed.next_poll_at <= now)
        ]

    async def mark_catalogue(self, feed_ids: Collection[int]) -> None:
        """Make exactly these feeds the operator's catalogue."""
        chosen = set(feed_ids)
        for feed in self._feeds.values():
            self._feeds[feed.id] = replace(feed, catalog=feed.id in chosen)

    async def count_catalogue(self) -> int:
        """How many feeds the operator's catalogue holds."""
        return sum(feed.catalog for feed in self._feeds.values())

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
        for sub in self._subscriptions.values():
            if (sub.destination_id, sub.kind, sub.target) == (destination_id, kind, target):
                raise DuplicateSubscriptionError(destination_id, target)
        sub = Subscription(next(self._ids), destination_id, kind, target, now, feed_id, filter)
        self._subscriptions[sub.id] = sub
        return sub

    async def replace_filter(
        self, destination_id: int, subscription_id: int, filter: str | None, now: datetime
    ) -> Subscription | None:
        """Give a destination's subscription a new filter, counted from `now`."""
        sub = self._subscriptions.get(subscription_id)
        if sub is None or sub.destination_id != destination_id:
            return None
        changed = replace(sub, filter=filter, created_at=now)
        self._subscriptions[subscription_id] = changed
        return changed

    async def remove_subscription(
        self, destination_id: int, subscription_id: int
    ) -> Subscription | None:
        """Remove a destination's subscription; None when it has no such subscription."""
        sub = self._subscriptions.get(subscription_id)
        if sub is None or sub.destination_id != destination_id:
            return None
        return self._subscriptions.pop(subscription_id)

    async def subscriptions(self, destination_id: int | None = None) -> list[Subscription]:
        """One destination's subscriptions (or everyone's), oldest first."""
        subs = self._subscriptions.values()
        return [sub for sub in subs if destination_id in (None, sub.destination_id)]

    async def count_subscriptions(self, destination_id: int) -> int:
        """How many feeds and topics one destination follows."""
        return len(await self.subscriptions(destination_id))

    async def count_feeds(
        self, platform: Platform, workspace: str, including: Collection[int] = ()
    ) -> int:
        """Distinct feeds the channels of one workspace follow, `including` these feed ids."""
        tenant = {
            record.id
            for record in self._destinations.values()
            if (record.destination.platform, record.destination.workspace) == (platform, workspace)
        }
        followed = {
            sub.feed_id
            for sub in self._subscriptions.values()
            if sub.destination_id in tenant and sub.feed_id is not None
        }
        return len(followed | set(including))

    async def known_article(
        self, feed_id: int | None, url: str, guid: str | None, content_hash: str
    ) -> bool:
        """Whether this feed already gave this article (same link, guid or content)."""
        return any(
            article.feed_id == feed_id
            and (
                article.url == url
                or (guid is not None and article.guid == guid)
                or article.content_hash == content_hash
            )
            for article in self._articles.values()
        )

    async def add_article(self, article: Article) -> Article:
        """Store an article in its story (a new story when `story_id` is 0).

        An article its feed already holds under the same link is returned, not stored again.
        """
        held = self._held(article.feed_id, article.url)
        if held is not None:
            return held
        article_id = next(self._ids)
        story_id = article.story_id or next(self._ids)
        stored = replace(article, id=article_id, story_id=story_id)
        self._articles[article_id] = stored
        if article.feed_id is not None:
            feed = self._feeds[article.feed_id]
            self._feeds[feed.id] = replace(feed, articles=feed.articles + 1)
        return stored

    def _held(self, feed_id: int | None, url: str) -> Article | None:
        """The article a feed holds under this link (links of no feed are never the same)."""
        if feed_id is None:
            return None
        same = (a for a in self._articles.values() if (a.feed_id, a.url) == (feed_id, url))
        return next(same, None)

    async def recent_articles(self, since: datetime) -> list[Article]:
        """Articles ingested at or after `since`."""
        return [a for a in self._articles.values() if a.ingested_at >= since]

    async def recent_article_ids(self, since: datetime) -> list[int]:
        """Ids of the articles ingested at or after `since`, in id order."""
        return sorted(a.id for a in self._articles.values() if a.ingested_at >= since)

    async def signatures(self, article_ids: Collection[int]) -> list[Signature]:
        """The clustering features of these articles (the ones that exist), in id order."""
        found = (self._articles.get(article_id) for article_id in sorted(set(article_ids)))
        return [signature_of(article) for article in found if article is not None]

    async def tenant_stories(
        self, tenant: Tenant, since: datetime, *, with_text: bool = False
    ) -> list[Story]:
        """The stories one tenant may see that it got an article of at or after `since`."""
        visible = self._visible_feeds(tenant)
        recent = {
            a.story_id
            for a in self._articles.values()
            if a.ingested_at >= since and a.feed_id in visible
        }
        return self._stories(visible, recent, with_text)

    async def stories(
        self, tenant: Tenant, story_ids: Collection[int], *, with_text: bool = False
    ) -> list[Story]:
        """These stories as one tenant may see them, oldest first."""
        return self._stories(self._visible_feeds(tenant), set(story_ids), with_text)

    def _visible_feeds(self, tenant: Tenant) -> set[int]:
        """The feeds the tenant's channels follow and the catalogue's."""
        channels = {i for i, r in self._destinations.items() if r.destination.tenant == tenant}
        followed = {
            sub.feed_id
            for sub in self._subscriptions.values()
            if sub.destination_id in channels and sub.feed_id is not None
        }
        return followed | {feed.id for feed in self._feeds.values() if feed.catalog}

    def _stories(self, visible: set[int], wanted: set[int], with_text: bool) -> list[Story]:
        grouped: dict[int, list[Article]] = {}
        for article in self._articles.values():
            if article.story_id in wanted and article.feed_id in visible:
                grouped.setdefault(article.story_id, []).append(_shown(article, with_text))
        return [Story(story_id, tuple(grouped[story_id])) for story_id in sorted(grouped)]

    async def prune(self, before: datetime, *, batch: int = 1000) -> Pruned:
        """Delete old articles, the stories they leave empty, and posts nothing needs.

        Stories exist here only through their articles, so a story is gone with its last one;
        its delivery records go with it (see `Store.prune` for the order and why).
        """
        old = {i: a for i, a in self._articles.items() if a.ingested_at < before}
        for article_id in old:
            del self._articles[article_id]
        alive = {article.story_id for article in self._articles.values()}
        emptied = {article.story_id for article in old.values()} - alive
        for pair in [pair for pair in self._deliveries if pair[1] in emptied]:
            del self._deliveries[pair]
        posts = [post.id for post in self._posts.values() if self._unneeded(post, before)]
        for post_id in posts:
            del self._posts[post_id]
        return Pruned(len(old), len(emptied), len(posts))

    def _unneeded(self, post: Post, before: datetime) -> bool:
        """An old settled post without deliveries that is not its destination's latest slot."""
        if post.created_at >= before or post.state is PostState.PENDING:
            return False
        if post.id in self._deliveries.values():
            return False
        if post.slot is None:
            return True
        slots = (p.slot for p in self._posts.values() if p.destination_id == post.destination_id)
        return post.slot < max(slot for slot in slots if slot is not None)

    async def forget_channel(self, destination: Destination) -> int:
        """Delete one channel's destination with its subscriptions, schedule and posts."""
        return self._forget(lambda d: d == destination)

    async def forget_tenant(self, platform: Platform, workspace: str) -> int:
        """Delete every destination of one workspace with what belongs to it."""
        return self._forget(lambda d: (d.platform, d.workspace) == (platform, workspace))

    def _forget(self, matches: Callable[[Destination], bool]) -> int:
        """Delete the matching destinations and every row that points at them."""
        gone = {i for i, r in self._destinations.items() if matches(r.destination)}
        self._subscriptions = {
            k: sub for k, sub in self._subscriptions.items() if sub.destination_id not in gone
        }
        self._posts = {
            k: post for k, post in self._posts.items() if post.destination_id not in gone
        }
        for pair in [pair for pair in self._deliveries if pair[0] in gone]:
            del self._deliveries[pair]
        for destination_id in gone:
            del self._destinations[destination_id]
        return len(gone)


def _shown(article: Article, with_text: bool) -> Article:
    """An article as a story selection reads it (as SQL's DIGEST_COLUMNS do)."""
    text = article.text if with_text else ""
    return replace(article, content_hash="", guid=None, terms={}, lead_terms={}, text=text)


def signature_of(article: Article) -> Signature:
    """A stored article's clustering features."""
    return Signature(
        id=article.id,
        story_id=article.story_id,
        ingested_at=article.ingested_at,
        published=article.published,
        actors=article.actors,
        dates=article.dates,
        terms=article.terms,
        lead_terms=article.lead_terms,
        source=article.source,
    )

"""The engine's subscribing calls: feeds and topics followed within the quotas, with feed health.

`EngineSubscriptions` is the part of `Engine` that adds, filters, lists and removes a
destination's subscriptions, finds a site's feeds and takes feed lists in (OPML import) and out
(export). `Engine` inherits it and sets the attributes it declares; nothing else uses it.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.clock import Clock
from bot.domain import (
    DestinationRecord,
    FeedState,
    FilterReplaced,
    Subscription,
    SubscriptionKind,
    SubscriptionView,
)
from bot.engine.options import EngineOptions, FeedsImported, FeedSubscribed
from bot.feeds.discovery import discover_feeds
from bot.news.ingest import Ingestor
from bot.news.quotas import QuotaExceededError, QuotaKeeper
from bot.news.topics import Query, describe
from bot.ports import FeedLink, OpmlOutline
from bot.store.port import DuplicateSubscriptionError, Store


class EngineSubscriptions:
    """Subscribing a destination to feeds and topics, and listing what it follows."""

    # Set by `Engine.__init__`.
    store: Store
    ingestor: Ingestor
    clock: Clock
    options: EngineOptions
    quota: QuotaKeeper

    async def subscribe_feed(
        self, record: DestinationRecord, url: str, only: Query | None = None
    ) -> FeedSubscribed:
        """Subscribe to a feed and fetch it at once (its items are history: never back-posted).

        Args:
            record: The destination.
            url: The feed.
            only: A filter its items must match to be delivered (None: every item).

        Raises:
            DuplicateSubscriptionError: When the destination already follows the feed.
            QuotaExceededError: When the channel or its tenant follows its most.
        """
        sub, feed = await self._add_feed(record, url, _canonical(only))
        return FeedSubscribed(sub, await self.ingestor.poll(feed))

    async def replace_filter(
        self, record: DestinationRecord, url: str, only: Query | None
    ) -> FilterReplaced | None:
        """Give a followed feed a new filter (None: every item), counted from now.

        Items ingested before the change are not delivered under the new filter, so widening a
        filter never back-posts the days the old one held back.

        Returns:
            What changed; None when the destination does not follow the feed or already with
            this very filter.
        """
        wanted = _canonical(only)
        for sub in await self._subs(record):
            if (sub.kind, sub.target) == (SubscriptionKind.FEED, url) and sub.filter != wanted:
                changed = await self.store.replace_filter(
                    record.id, sub.id, wanted, self.clock.now()
                )
                return None if changed is None else FilterReplaced(changed, sub.filter)
        return None

    async def discover_feeds(self, page_url: str) -> list[FeedLink]:
        """The feeds a web page names, else one at its site's common paths (see `discover_feeds`).

        Raises:
            FeedError: The page itself cannot be read (refused, missing, not HTML).
        """
        return await discover_feeds(self.ingestor.source, page_url)

    async def subscribe_topic(self, record: DestinationRecord, query: Query) -> Subscription:
        """Subscribe to a topic (stored in canonical form).

        Raises:
            DuplicateSubscriptionError: When the destination already follows the topic.
            QuotaExceededError: When the channel follows its most.
        """
        async with self.quota.held(record):
            await self._make_room(record, SubscriptionKind.TOPIC, describe(query))
            return await self.store.add_subscription(
                record.id, SubscriptionKind.TOPIC, describe(query), None, self.clock.now()
            )

    async def unsubscribe(
        self, record: DestinationRecord, subscription_id: int
    ) -> Subscription | None:
        """Remove one of the destination's subscriptions; None when it has no such one."""
        return await self.store.remove_subscription(record.id, subscription_id)

    async def subscriptions(self, record: DestinationRecord) -> tuple[SubscriptionView, ...]:
        """The destination's subscriptions, oldest first, each feed with its health (two reads)."""
        return tuple(await self._views(await self._subs(record)))

    async def subscription_views(self) -> dict[int, tuple[SubscriptionView, ...]]:
        """Every destination's `subscriptions`, by destination id, in two reads for all."""
        grouped: dict[int, list[SubscriptionView]] = {}
        for view in await self._views(await self.store.subscriptions()):
            grouped.setdefault(view.subscription.destination_id, []).append(view)
        return {destination: tuple(views) for destination, views in grouped.items()}

    async def _views(self, subs: list[Subscription]) -> list[SubscriptionView]:
        """The subscriptions with their feeds' health, the feeds read in one call."""
        feeds = await self.store.feeds({sub.feed_id for sub in subs if sub.feed_id})
        return [SubscriptionView(sub, feeds.get(sub.feed_id or 0)) for sub in subs]

    async def completions(self, record: DestinationRecord) -> list[Subscription]:
        """The destination's subscriptions, for a platform's autocomplete."""
        return await self._subs(record)

    async def import_feeds(
        self, record: DestinationRecord, feeds: Sequence[tuple[str, Query | None]]
    ) -> FeedsImported:
        """Subscribe to every feed (url, filter) that fits the quotas (polled on the next tick)."""
        added: list[Subscription] = []
        already: list[str] = []
        left_out: list[str] = []
        refusal: QuotaExceededError | None = None
        for url, only in feeds:
            try:
                added.append((await self._add_feed(record, url, _canonical(only)))[0])
            except DuplicateSubscriptionError:
                already.append(url)
            except QuotaExceededError as error:
                left_out.append(url)
                refusal = refusal or error
        return FeedsImported(tuple(added), tuple(already), tuple(left_out), refusal)

    async def _add_feed(
        self, record: DestinationRecord, url: str, only: str | None = None
    ) -> tuple[Subscription, FeedState]:
        """Subscribe to a feed within the quotas (the channel checked before the feed is stored)."""
        async with self.quota.held(record):
            await self._make_room(record, SubscriptionKind.FEED, url)
            now = self.clock.now()
            feed = await self.store.ensure_feed(url, self.options.ingest.interval, now)
            await self._make_room(record, SubscriptionKind.FEED, url, feed.id)
            sub = await self.store.add_subscription(
                record.id, SubscriptionKind.FEED, url, feed.id, now, filter=only
            )
        return sub, feed

    async def _make_room(
        self, record: DestinationRecord, kind: SubscriptionKind, target: str, feed_id: int = 0
    ) -> None:
        """Check the channel's quota (and with a feed id, its tenant's); a duplicate says so."""
        try:
            if feed_id:
                await self.quota.check_tenant(record, feed_id)
            else:
                await self.quota.check_channel(record)
        except QuotaExceededError:
            if any((s.kind, s.target) == (kind, target) for s in await self._subs(record)):
                raise DuplicateSubscriptionError(record.id, target) from None
            raise

    async def export_feeds(self, record: DestinationRecord) -> list[OpmlOutline]:
        """The destination's feeds with their own titles and filters, oldest first."""
        views = await self.subscriptions(record)
        return [
            OpmlOutline(sub.target, view.feed.title if view.feed else None, sub.filter)
            for view in views
            if (sub := view.subscription).kind is SubscriptionKind.FEED
        ]

    async def _subs(self, record: DestinationRecord) -> list[Subscription]:
        return await self.store.subscriptions(record.id)


def _canonical(query: Query | None) -> str | None:
    return None if query is None else describe(query)

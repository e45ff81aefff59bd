"""`Engine`: the one door from commands, adapters and the scheduler to the news and its store.

Its subscribing calls are `EngineSubscriptions` (subscriptions.py), which it inherits; here are
the destinations and their settings, a workspace's overview, the operator's catalogue, polling,
the posts and slots the scheduler reads, retention and forgetting channels and workspaces.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.clock import Clock
from bot.domain import (
    ChannelOverview,
    Destination,
    DestinationRecord,
    DestinationSettings,
    DigestKind,
    FeedState,
    Platform,
    Post,
)
from bot.engine.options import EngineOptions, longest_window
from bot.engine.subscriptions import EngineSubscriptions
from bot.news.actions import StoryActions
from bot.news.ingest import Ingestor, PollResult
from bot.news.quotas import QuotaKeeper
from bot.news.selection import SelectionOptions, StorySelection
from bot.store.port import Pruned, Store

log = logging.getLogger(__name__)


class Engine(EngineSubscriptions):
    """Subscriptions, digests and story selection over a Store."""

    def __init__(
        self, store: Store, ingestor: Ingestor, clock: Clock, options: EngineOptions | None = None
    ) -> None:
        """Wire the store, the ingestor and the clock."""
        self.store = store
        self.ingestor = ingestor
        self.clock = clock
        self.options = options or EngineOptions()
        self.quota = QuotaKeeper(store, self.options.quotas)
        self.actions = StoryActions(store, ingestor, clock, self.options.compose)
        self.stories = StorySelection(
            store,
            clock,
            SelectionOptions(self.options.lookback, self.options.compose, self.options.seen_margin),
        )

    async def destination(
        self, destination: Destination, defaults: DestinationSettings | None = None
    ) -> DestinationRecord:
        """The destination's record, created when new with `defaults` (else the configured ones).

        `defaults` never touch an existing record: a personal destination takes its owner's
        timezone once, when first seen, and keeps whatever its owner sets after.
        """
        settings = defaults or self.options.defaults
        return await self.store.ensure_destination(destination, settings, self.clock.now())

    def personal_defaults(self, timezone: str | None) -> DestinationSettings:
        """The configured defaults read in a person's own timezone (a personal destination's).

        A name the tz database does not know (or none: Discord gives no profile timezone)
        keeps the configured one.
        """
        if not timezone or not _known_timezone(timezone):
            return self.options.defaults
        return replace(self.options.defaults, timezone=timezone)

    async def resume(self, record: DestinationRecord) -> bool:
        """Unpause a destination the platform refused (and start its refusal count again).

        Called after a managing command succeeds in the channel or a post gets through there.

        Returns:
            Whether it was paused.
        """
        if not (record.refusals or record.paused_at):
            return False  # nothing to clear: no write
        resumed = await self.store.clear_refusals(record.id)
        if resumed:
            log.info("posting to %s resumed", record.destination)
        return resumed

    async def change_settings(
        self, record: DestinationRecord, settings: DestinationSettings
    ) -> DestinationRecord:
        """Store the destination's new settings (schedule, mode, maximum stories)."""
        return await self.store.update_settings(record.id, settings, self.clock.now())

    def link_replies(self, record: DestinationRecord) -> bool:
        """Whether links posted in the destination get a digest: its choice, else its platform's."""
        chosen = record.settings.link_replies
        if chosen is not None:
            return chosen
        return self.options.link_replies.get(record.destination.platform, False)

    async def known(self, destination: Destination) -> bool:
        """Whether the channel was ever stored (one read; nothing is created)."""
        return await self.store.find_destination(destination) is not None

    async def answers_links(self, destination: Destination) -> bool:
        """`link_replies` of a channel that may never have been stored (nothing is created)."""
        record = await self.store.find_destination(destination)
        if record is None:
            return self.options.link_replies.get(destination.platform, False)
        return self.link_replies(record)

    async def overview(
        self, platform: Platform, workspace: str, visible: Collection[str]
    ) -> tuple[ChannelOverview, ...]:
        """The channels of one workspace among `visible` that follow something, first seen first.

        Args:
            platform: The workspace's platform.
            workspace: The workspace (tenant), which the store query selects by.
            visible: The channel ids the viewer may see (those they are a member of): no other
                channel's subscriptions are read.
        """
        shown = set(visible)
        channels = await self.store.destinations((platform, workspace))
        overviews = [
            ChannelOverview(record, await self.subscriptions(record))
            for record in channels
            if record.destination.channel in shown
        ]
        return tuple(overview for overview in overviews if overview.subscriptions)

    async def destinations(self) -> list[DestinationRecord]:
        """Every destination the bot knows, oldest first."""
        return await self.store.destinations()

    async def poll_feed(self, feed_id: int) -> PollResult | None:
        """Poll one feed now; None when it is gone."""
        feed = await self.store.feed(feed_id)
        return None if feed is None else await self.ingestor.poll(feed)

    async def due_feeds(self) -> list[FeedState]:
        """The feeds whose next poll is due."""
        return await self.store.due_feeds(self.clock.now())

    async def set_catalogue(self, urls: Sequence[str]) -> list[FeedState]:
        """Make these feeds the operator's catalogue (stored when new; others leave it).

        Catalogue feeds are polled though no channel follows them, and their stories are open
        to every tenant's topics (`Store.tenant_stories`), never posted as a feed subscription.
        """
        now = self.clock.now()
        feeds = [
            await self.store.ensure_feed(url, self.options.ingest.interval, now) for url in urls
        ]
        await self.store.mark_catalogue({feed.id for feed in feeds})
        log.info("the operator's catalogue holds %d feeds", len(feeds))
        return feeds

    async def catalogue_size(self) -> int:
        """How many feeds the operator's catalogue holds."""
        return await self.store.count_catalogue()

    async def last_slot(self, record: DestinationRecord) -> datetime | None:
        """The slot of the destination's last scheduled digest, if any."""
        return await self.store.last_slot(record.id)

    async def last_slots(self) -> dict[int, datetime]:
        """Every destination's `last_slot`, by id (one read; a destination with none left out)."""
        return await self.store.last_slots()

    async def posts_since(
        self, record: DestinationRecord, since: datetime, kinds: set[DigestKind]
    ) -> list[Post]:
        """The destination's posts of these kinds since a moment."""
        return await self.store.posts_since(record.id, since, kinds)

    async def everyones_posts_since(
        self, since: datetime, kinds: set[DigestKind]
    ) -> dict[int, tuple[Post, ...]]:
        """`posts_since` for every destination, by id, in one read."""
        grouped: dict[int, list[Post]] = {}
        for post in await self.store.posts_since(None, since, kinds):
            grouped.setdefault(post.destination_id, []).append(post)
        return {destination: tuple(posts) for destination, posts in grouped.items()}

    @property
    def on_demand_window(self) -> timedelta:
        """What `digest` covers when no "since" is given."""
        return self.options.on_demand_window

    def now(self) -> datetime:
        """The engine clock's now."""
        return self.clock.now()

    async def prune(self, retention: timedelta) -> Pruned:
        """Delete the articles ingested more than `retention` ago and what only they needed.

        Raises:
            ValueError: `retention` is shorter than a digest's window (`longest_window`): the
                settings refuse such a retention at startup, so this is a wiring mistake.
        """
        if retention < longest_window(self.options):
            raise ValueError(f"retention {retention} is shorter than a digest's window")
        pruned = await self.store.prune(self.clock.now() - retention)
        log.info(
            "pruned %d articles, %d stories, %d posts older than %s",
            pruned.articles,
            pruned.stories,
            pruned.posts,
            retention,
        )
        return pruned

    async def forget_channel(self, destination: Destination) -> int:
        """Forget a deleted or archived channel: its subscriptions, schedule and posts.

        Feeds that no one follows any more stop being polled (`Store.due_feeds`).

        Returns:
            How many destinations were forgotten (0 when the channel followed nothing).
        """
        forgotten = await self.store.forget_channel(destination)
        if forgotten:
            log.info("forgot channel %s (%s)", destination.channel, destination.platform.value)
        return forgotten

    async def forget_tenant(self, platform: Platform, workspace: str) -> int:
        """Forget a workspace that removed the bot: every channel of it, as `forget_channel`.

        Returns:
            How many destinations were forgotten.
        """
        forgotten = await self.store.forget_tenant(platform, workspace)
        log.info("forgot workspace %s (%s): %d channels", workspace, platform.value, forgotten)
        return forgotten


def _known_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True

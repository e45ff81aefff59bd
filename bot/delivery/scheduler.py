"""The scheduler owns all background work: feed polls and each destination's digests.

Time comes from the injected Clock. One tick, in numbered steps: (1) on the first tick, settle the
posts a crash left pending; (2) poll the feeds that are due; (3) for each destination, live posts
(live mode) and the daily digest when its slot has passed; (4) at most once per `prune_every`,
delete what is older than the retention (`Engine.prune`). Only the latest missed slot fires, so
after downtime a destination gets one catch-up digest of everything it missed, never a flood.
Step 3 reads what every destination needs once for all (`deliver_all`, bot/delivery/reads.py);
a worker of scaled mode delivers one destination with its own reads (`deliver`): the same posts.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.delivery.alerts import NOTICE_KINDS, AlertOptions, FeedAlerts
from bot.delivery.deliverer import Deliverer
from bot.delivery.reads import TickReads
from bot.delivery.timing import last_fire
from bot.domain import (
    DestinationRecord,
    Digest,
    DigestKind,
    DigestMode,
    Platform,
    Post,
    Story,
)
from bot.engine import Engine, Pruned
from bot.news.ingest import PollResult

log = logging.getLogger(__name__)

HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class SchedulerOptions:
    """Pace of the scheduler.

    Attributes:
        tick: Time between ticks.
        catch_up_after: A digest fired later than this after its slot is a catch-up digest.
        parallel_polls: Feeds polled at the same time.
        platforms: The platforms whose destinations get digests; None: every platform. A bot
            running on Discord alone leaves Slack and console channels in its database alone.
        alerts: When a channel hears about a feed it follows failing (and recovering).
        retention: How long articles are kept (NEWSDIGEST_RETENTION_DAYS); None: for ever.
        prune_every: The least time between two prunes (the first comes on the first tick).
    """

    tick: timedelta = timedelta(seconds=30)
    catch_up_after: timedelta = timedelta(minutes=15)
    parallel_polls: int = 4
    platforms: frozenset[Platform] | None = None
    alerts: AlertOptions = field(default_factory=AlertOptions)
    retention: timedelta | None = None
    prune_every: timedelta = HOUR


@dataclass(frozen=True)
class TickReport:
    """What one tick did."""

    polls: tuple[PollResult, ...] = ()
    posts: tuple[Post, ...] = ()
    republished: tuple[Post, ...] = ()
    pruned: Pruned | None = None


class Scheduler:
    """Feed polls and digests on an injected clock."""

    def __init__(
        self,
        engine: Engine,
        deliverer: Deliverer,
        clock: Clock,
        options: SchedulerOptions | None = None,
    ) -> None:
        """Wire the engine, the deliverer and the clock."""
        self.engine = engine
        self.deliverer = deliverer
        self.clock = clock
        self.options = options or SchedulerOptions()
        self._reconciled = False
        self._pruned_at: datetime | None = None
        self.alerts = FeedAlerts(engine, deliverer, clock, self.options.alerts)

    async def run(self) -> None:
        """Wait a tick, tick, forever (until cancelled); call `tick()` first to start at once.

        A failed tick is logged and the next one comes: background work must outlive one bad
        feed or one database hiccup.
        """
        while True:
            await self.clock.sleep_until(self.clock.now() + self.options.tick)
            try:
                await self.tick()
            except Exception:
                log.exception("scheduler tick failed; trying again next tick")

    async def tick(self) -> TickReport:
        """One round of background work."""
        # 1. settle what a crash left pending (once per process)
        republished = await self._reconcile()
        # 2. due feed polls
        polls = await self._poll_due()
        # 3. live posts and daily digests
        posts = await self.deliver_all()
        # 4. bounded storage, after the deliveries so that a long prune never delays them
        pruned = await self.prune()
        return TickReport(tuple(polls), tuple(posts), tuple(republished), pruned)

    async def deliver(self, record: DestinationRecord) -> list[Post]:
        """One destination's live posts, daily digest and feed alerts when due (a worker's task).

        A destination of a platform this process does not serve gets nothing, and neither does a
        paused one (the platform refused its posts for good, `Deliverer`): its stories wait,
        within the lookback, until a managing command or a post that gets through resumes it.
        """
        if not self._active(record):
            return []
        return await self._deliver(record, None)

    async def deliver_all(self) -> list[Post]:
        """Step 3 of a tick: `deliver` for every destination, what they read read once for all.

        The snapshot is taken before the first post; it holds nothing a destination's own posts
        change before that destination is served (each reads only its own posts), and every post
        is still reserved through the deliverer, so no story can go out twice.
        """
        records = [record for record in await self.engine.destinations() if self._active(record)]
        if not records:
            return []
        reads = await self._read(records)
        posts: list[Post] = []
        for record in records:
            posts += await self._deliver(record, reads)
        return posts

    async def _read(self, records: list[DestinationRecord]) -> TickReads:
        views = await self.engine.subscription_views()
        live = [record for record in records if record.settings.mode is DigestMode.LIVE]
        subscriptions = {key: [view.subscription for view in v] for key, v in views.items()}
        stories = await self.engine.stories.undelivered_many(live, subscriptions)
        slots = await self.engine.last_slots()
        return TickReads(views, slots, await self.alerts.notices(), stories)

    async def _deliver(self, record: DestinationRecord, reads: TickReads | None) -> list[Post]:
        live, daily = await self._live(record, reads), await self._daily(record, reads)
        return [*live, *daily, *await self.alerts.deliver(record, reads)]

    async def prune(self) -> Pruned | None:
        """Prune when a retention is set and `prune_every` has passed since this one's last prune.

        The time is taken before pruning, so a prune that fails is tried again a period later,
        not on every tick.
        """
        retention, now = self.options.retention, self.clock.now()
        if retention is None:
            return None
        if self._pruned_at is not None and now - self._pruned_at < self.options.prune_every:
            return None
        self._pruned_at = now
        return await self.engine.prune(retention)

    async def settle(self, destination_id: int) -> list[Post]:
        """Settle one destination's pending posts (the ones a dead worker left behind)."""
        return await self.deliverer.reconcile(self._rebuild, destination_id)

    def _active(self, record: DestinationRecord) -> bool:
        served = self.options.platforms
        serves = served is None or record.destination.platform in served
        return serves and record.paused_at is None

    async def _reconcile(self) -> list[Post]:
        if self._reconciled:
            return []
        self._reconciled = True
        return await self.deliverer.reconcile(self._rebuild)

    async def _rebuild(self, post: Post) -> tuple[DestinationRecord, Digest] | None:
        records = {record.id: record for record in await self.engine.destinations()}
        record = records.get(post.destination_id)
        if record is None:
            return None
        if post.kind in NOTICE_KINDS:
            notice = await self.alerts.rebuild(post, record)
            return None if notice is None else (record, notice)
        return record, await self.engine.stories.rebuild(post, record)

    async def _poll_due(self) -> list[PollResult]:
        gate = asyncio.Semaphore(self.options.parallel_polls)

        async def poll(feed_id: int) -> PollResult | None:
            async with gate:
                return await self.engine.poll_feed(feed_id)

        due = await self.engine.due_feeds()
        results = await asyncio.gather(*(poll(feed.id) for feed in due))
        return [result for result in results if result is not None]

    async def _daily(self, record: DestinationRecord, reads: TickReads | None) -> list[Post]:
        now = self.clock.now()
        slot = last_fire(record.settings, now)
        if slot is None or slot < record.settings_changed_at:
            return []
        if reads is None:
            last = await self.engine.last_slot(record)
        else:
            last = reads.slots.get(record.id)
        if last is not None and last >= slot:
            return []
        late = now - slot > self.options.catch_up_after
        kind = DigestKind.CATCH_UP if late else DigestKind.SCHEDULED
        key = f"digest:{record.id}:{slot:%Y-%m-%dT%H:%MZ}"
        stories = await self.engine.stories.undelivered(record, record.created_at)
        if not stories:
            await self.deliverer.skip(record, key, kind, slot)
            return []
        return await self._post(record, stories, kind, key, slot)

    async def _live(self, record: DestinationRecord, reads: TickReads | None) -> list[Post]:
        if record.settings.mode is not DigestMode.LIVE:
            return []
        now = self.clock.now()
        if reads is None:
            stories = await self.engine.stories.undelivered(record, record.settings_changed_at)
        else:
            stories = list(reads.live.get(record.id, ()))
        if not stories:
            return []
        if now - min(story.last_seen for story in stories) >= HOUR:
            # held back for an hour because too many came at once: one digest of them all
            key = f"burst:{record.id}:{int(now.timestamp())}"
            return await self._post(record, stories, DigestKind.BURST, key)
        recent = await self.engine.posts_since(record, now - HOUR, {DigestKind.LIVE})
        if len(recent) + len(stories) <= record.settings.live_limit:
            return await self._post_each(record, stories)
        return []  # more than the limit within the hour: hold them

    async def _post_each(self, record: DestinationRecord, stories: list[Story]) -> list[Post]:
        posts: list[Post] = []
        for story in sorted(stories, key=lambda s: s.last_seen):
            key = f"live:{record.id}:{story.id}"
            posts += await self._post(record, [story], DigestKind.LIVE, key)
        return posts

    async def _post(
        self,
        record: DestinationRecord,
        stories: list[Story],
        kind: DigestKind,
        key: str,
        slot: datetime | None = None,
    ) -> list[Post]:
        since = min(story.first_seen for story in stories)
        digest = self.engine.stories.compose(stories, kind, since, record, slot or self.clock.now())
        ids = [story.id for story in stories]
        post = await self.deliverer.deliver(record, digest, key, ids, slot)
        return [] if post is None else [post]

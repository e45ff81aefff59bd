"""Posting with an idempotency key, so that no restart posts a story twice to a channel.

Every post goes through three steps: (1) reserve: the post and one delivery row per
(destination, story) are committed as PENDING, so a story can never be reserved twice; (2) publish
through the platform with the post's key; (3) mark SENT. A crash between 2 and 3 leaves a pending
post. On the next start (and on every scheduler tick) `reconcile` asks the publisher whether the
platform has a post with that key: yes -> mark SENT; no -> publish again with the same key (a
platform or fake that dedupes on the key keeps this safe even if the answer was wrong) and mark
SENT; cannot tell (the console, whose terminal cannot be asked) -> mark UNCONFIRMED and never post
it again. The choice is at-most-once wherever the platform cannot confirm: a story missing from
one digest is still in `/digest`, a story posted twice is noise in everyone's channel.

A post the platform refuses for good (`PublishError.gone`: the bot removed from the channel, the
channel gone or archived, the workspace's token revoked) is counted on its destination; after
`pause_after` of them in a row the destination is paused (the scheduler skips it, `/subscriptions`
says why) and the log says so once. Transient failures (rate limits, 5xx) never count. A post that
gets through, or any managing command in the channel (the engine's `resume`), starts it again.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime

from bot.clock import Clock
from bot.domain import Destination, DestinationRecord, Digest, DigestKind, Platform, Post, PostState
from bot.ports import Publisher, PublishError
from bot.store.port import AlreadyDeliveredError, Store

log = logging.getLogger(__name__)

PAUSE_AFTER = 3  # posts refused for good in a row before a destination is paused

Rebuild = Callable[[Post], Awaitable[tuple[DestinationRecord, Digest] | None]]


class Deliverer:
    """Reserves, publishes and confirms posts; reconciles the ones a crash left pending."""

    def __init__(
        self, store: Store, publisher: Publisher, clock: Clock, pause_after: int = PAUSE_AFTER
    ) -> None:
        """Wire the store, the platform publisher and the clock.

        Args:
            store: Where posts are reserved and refusals counted.
            publisher: The platform (or platforms) posts go to.
            clock: Now, for the records.
            pause_after: Posts refused for good in a row before their destination is paused.
        """
        self.store = store
        self.publisher = publisher
        self.clock = clock
        self.pause_after = pause_after
        # destinations refused in this process since their record was read (records are re-read
        # each tick, so a refusal and a success within one tick would otherwise go unnoticed)
        self._refused: set[int] = set()

    async def deliver(
        self,
        record: DestinationRecord,
        digest: Digest,
        key: str,
        story_ids: Sequence[int],
        slot: datetime | None = None,
    ) -> Post | None:
        """Post a digest once; None when its key or stories were already reserved or it failed."""
        # 1. reserve
        try:
            post = await self.store.reserve_post(
                record.id, key, digest.kind, story_ids, now=self.clock.now(), slot=slot
            )
        except AlreadyDeliveredError:
            log.info("post %s already recorded; not posting again", key)
            return None
        # 2. publish, 3. confirm
        return await self._publish(record, post, digest)

    async def skip(
        self, record: DestinationRecord, key: str, kind: DigestKind, slot: datetime
    ) -> None:
        """Record a digest slot that had nothing to post, so it is not tried again."""
        try:
            await self.store.reserve_post(
                record.id, key, kind, (), now=self.clock.now(), slot=slot, state=PostState.SKIPPED
            )
        except AlreadyDeliveredError:
            log.debug("slot %s already recorded", key)

    async def reconcile(self, rebuild: Rebuild, destination_id: int | None = None) -> list[Post]:
        """Settle every pending post (or one destination's); returns the ones published again."""
        republished: list[Post] = []
        for post in await self.store.pending_posts():
            if destination_id is not None and post.destination_id != destination_id:
                continue
            if await self._settle(post, rebuild):
                republished.append(post)
        return republished

    async def _settle(self, post: Post, rebuild: Rebuild) -> bool:
        target = await rebuild(post)
        if target is None:
            await self.store.mark_post(post.id, PostState.FAILED, self.clock.now())
            return False
        record, digest = target
        seen = await self.publisher.lookup(record.destination, post.key)
        if seen is None:
            log.warning(
                "post %s may or may not have reached %s: not posting it again",
                post.key,
                record.destination,
            )
            await self.store.mark_post(post.id, PostState.UNCONFIRMED, self.clock.now())
            return False
        if seen:
            await self.store.mark_post(post.id, PostState.SENT, self.clock.now())
            return False
        if record.paused_at is not None:
            # Never reached the platform, which refuses the channel for good: release its stories
            # to wait (like any undelivered story) until the channel is resumed.
            log.info("post %s to paused %s released, not retried", post.key, record.destination)
            await self.store.mark_post(post.id, PostState.FAILED, self.clock.now())
            return False
        return await self._publish(record, post, digest) is not None

    async def _publish(self, record: DestinationRecord, post: Post, digest: Digest) -> Post | None:
        try:
            await self.publisher.publish(record.destination, digest, post.key)
        except PublishError as error:
            log.warning("post %s to %s failed: %s", post.key, record.destination, error.reason)
            await self.store.mark_post(post.id, PostState.FAILED, self.clock.now())
            if error.gone:
                await self._refused_for_good(record, error.reason)
            return None
        await self.store.mark_post(post.id, PostState.SENT, self.clock.now())
        await self._got_through(record)
        return post

    async def _refused_for_good(self, record: DestinationRecord, reason: str) -> None:
        self._refused.add(record.id)
        counted = await self.store.record_refusal(
            record.id, reason, self.clock.now(), self.pause_after
        )
        if counted.refusals == self.pause_after:  # the refusal that paused it: said once
            log.warning(
                "paused posting to %s after %d refusals in a row (%s); a managing command "
                "in the channel or a post that gets through resumes it",
                record.destination,
                counted.refusals,
                reason,
            )

    async def _got_through(self, record: DestinationRecord) -> None:
        """A post got through: the refusal count starts again (no write when there is none)."""
        if not (record.refusals or record.paused_at or record.id in self._refused):
            return
        self._refused.discard(record.id)
        if await self.store.clear_refusals(record.id):
            log.info("posting to %s resumed: a post got through", record.destination)


class PlatformPublishers:
    """One Publisher over several platforms: each post goes to its destination's platform.

    A bot serving Slack and Discord at once delivers through this; a destination of a platform
    the process does not serve (a console channel left in the database by the demo, say) is
    refused with a PublishError, and its pending posts cannot be confirmed (never re-posted).
    """

    def __init__(self, publishers: Mapping[Platform, Publisher]) -> None:
        """Post to each platform in `publishers` through its own publisher."""
        self.publishers = dict(publishers)

    @property
    def platforms(self) -> frozenset[Platform]:
        """The platforms served."""
        return frozenset(self.publishers)

    async def publish(self, destination: Destination, digest: Digest, key: str) -> None:
        """Post through the destination's platform (raises PublishError if it is not served)."""
        publisher = self.publishers.get(destination.platform)
        if publisher is None:
            raise PublishError(destination, f"{destination.platform} is not served by this bot")
        await publisher.publish(destination, digest, key)

    async def lookup(self, destination: Destination, key: str) -> bool | None:
        """Ask the destination's platform; None (cannot tell) when it is not served."""
        publisher = self.publishers.get(destination.platform)
        return None if publisher is None else await publisher.lookup(destination, key)

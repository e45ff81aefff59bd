"""Story selection: the stories a destination gets, asked (`/digest`) or unasked (scheduled, live).

Every read is scoped to the destination's tenant in the store query (`Store.tenant_stories`), and
an unasked read starts no earlier than the destination's last post (less a margin): a live channel
polled every 30 seconds reads what came in since it was last served, not a week of stories.
A scheduler tick asks for every live channel at once (`undelivered_many`): one read of the last
posts, one of the stories per tenant (two when some of its channels follow topics, which need the
text) from the earliest start among its channels, one of the deliveries. A story read from an
earlier start is the same story (it carries every article its tenant may see, whatever the
start), and it is one a channel's own read would have returned exactly when its latest article
came in at or after that channel's start (`Story.last_seen`).
The engine builds one `StorySelection` and hands it out as `Engine.stories`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.domain import (
    Article,
    DestinationRecord,
    Digest,
    DigestKind,
    Heading,
    Post,
    Story,
    Subscription,
    Tenant,
)
from bot.news.digests import (
    ComposeOptions,
    Interests,
    compose_digest,
    deliverable,
    muted_outlets,
    relevant,
    without_outlets,
)
from bot.news.topics import Query, describe
from bot.store.port import Store


@dataclass(frozen=True)
class SelectionOptions:
    """How far back selections read.

    Attributes:
        lookback: The furthest back an unasked digest reaches.
        compose: How much of each story a digest shows.
        seen_margin: How far before the destination's last post an unasked read starts. An
            article stamped before a post but stored after that post chose its stories (another
            worker's ingestion, a slow commit) is still read; anything older than the last post
            by more than this was already offered to the destination.
    """

    lookback: timedelta = timedelta(days=7)
    compose: ComposeOptions = field(default_factory=ComposeOptions)
    seen_margin: timedelta = timedelta(hours=1)


class StorySelection:
    """The stories a destination may see and should get, and the digests made of them."""

    def __init__(self, store: Store, clock: Clock, options: SelectionOptions) -> None:
        """Wire the store, the clock and the windows."""
        self.store = store
        self.clock = clock
        self.options = options

    async def on_demand(
        self, record: DestinationRecord, topic: Query | None, window: timedelta
    ) -> Digest:
        """Recent stories of the subscriptions (or of one topic), delivered before or not."""
        since = self.clock.now() - window
        subscriptions = await self.store.subscriptions(record.id)
        muted = muted_outlets(subscriptions)
        if topic is not None:
            interests = Interests.topic(topic, since)
        else:
            interests = Interests.of(subscriptions)
        seen = without_outlets(await self._seen(record, since, interests), muted)
        stories = [s for s in seen if relevant(s, interests)]
        heading = Heading(describe(topic) if topic else None, window, None, _zone(record))
        return self._compose(stories, DigestKind.ON_DEMAND, heading, since, record)

    async def undelivered(self, record: DestinationRecord, since: datetime) -> list[Story]:
        """Stories the destination should get unasked and has not got yet.

        The read starts at the latest of `since`, the lookback and the last post (less the
        margin); the deliveries then leave out what the margin brings back.
        """
        start = self._start(since, await self.store.last_post_at(record.id))
        subscriptions = await self.store.subscriptions(record.id)
        interests = Interests.of(subscriptions)
        seen = without_outlets(
            await self._seen(record, start, interests), muted_outlets(subscriptions)
        )
        stories = [s for s in seen if deliverable(s, interests)]
        done = await self.store.delivered(record.id, [story.id for story in stories])
        return [story for story in stories if story.id not in done]

    async def undelivered_many(
        self,
        records: Sequence[DestinationRecord],
        subscriptions: Mapping[int, Sequence[Subscription]],
    ) -> dict[int, tuple[Story, ...]]:
        """`undelivered(record, record.settings_changed_at)` of many live channels, read at once.

        Args:
            records: The channels.
            subscriptions: What they follow, by destination id (as read for the whole tick).

        Returns:
            By destination id, the stories each should get (channels with none left out).
        """
        served = await self.store.last_posts_at()
        wants = [
            _Want(
                r,
                self._start(r.settings_changed_at, served.get(r.id)),
                Interests.of(subs),
                muted_outlets(subs),
            )
            for r in records
            if (subs := subscriptions.get(r.id))
        ]
        wants = [want for want in wants if want.interests.feeds or want.interests.topics]
        pools = await self._pools(wants)
        found = {want.record.id: want.keep(pools[want.pool]) for want in wants}
        done = await self.store.delivered_many(
            {key: [story.id for story in stories] for key, stories in found.items() if stories}
        )
        undelivered = {
            key: tuple(story for story in stories if story.id not in done.get(key, ()))
            for key, stories in found.items()
        }
        return {key: stories for key, stories in undelivered.items() if stories}

    async def _pools(self, wants: list[_Want]) -> dict[tuple[Tenant, bool], list[Story]]:
        """One read per tenant (and text or not) from the earliest start among its channels."""
        starts: dict[tuple[Tenant, bool], datetime] = {}
        for want in wants:
            starts[want.pool] = min(want.start, starts.get(want.pool, want.start))
        return {
            pool: await self.store.tenant_stories(pool[0], start, with_text=pool[1])
            for pool, start in starts.items()
        }

    def _start(self, since: datetime, served: datetime | None) -> datetime:
        """Where an unasked read starts: `since`, the lookback or the last post less the margin."""
        start = max(since, self.clock.now() - self.options.lookback)
        if served is not None:
            start = max(start, served - self.options.seen_margin)
        return start

    async def _seen(
        self, record: DestinationRecord, since: datetime, interests: Interests
    ) -> list[Story]:
        """The stories the channel's tenant may see since a moment (texts only for topics)."""
        if not interests.feeds and not interests.topics:
            return []
        tenant = record.destination.tenant
        return await self.store.tenant_stories(tenant, since, with_text=bool(interests.topics))

    def compose(
        self,
        stories: list[Story],
        kind: DigestKind,
        since: datetime,
        record: DestinationRecord,
        slot: datetime | None = None,
    ) -> Digest:
        """A digest of these stories within the destination's maximum (`slot`: its due time)."""
        heading = Heading(moment=slot, timezone=_zone(record))
        return self._compose(stories, kind, heading, since, record)

    async def rebuild(self, post: Post, record: DestinationRecord) -> Digest:
        """The digest a pending post stood for, recomposed from its recorded stories.

        Each story shows the articles the destination's tenant may see, as it did at first.
        """
        stories = await self.store.stories(record.destination.tenant, post.story_ids)
        digest = compose_digest(
            stories,
            kind=post.kind,
            heading=Heading(moment=post.slot or post.created_at, timezone=_zone(record)),
            since=post.created_at,
            until=post.created_at,
            limit=record.settings.max_stories,
            options=self.options.compose,
        )
        return laid_out(digest, record)

    def link_digest(self, article: Article) -> Digest:
        """A one-story digest of a shared link's article."""
        now = self.clock.now()
        return compose_digest(
            [Story(0, (article,))],
            kind=DigestKind.LINK,
            heading=Heading(),
            since=now,
            until=now,
            limit=1,
            options=self.options.compose,
        )

    def _compose(
        self,
        stories: list[Story],
        kind: DigestKind,
        heading: Heading,
        since: datetime,
        record: DestinationRecord,
    ) -> Digest:
        digest = compose_digest(
            stories,
            kind=kind,
            heading=heading,
            since=since,
            until=self.clock.now(),
            limit=record.settings.max_stories,
            options=self.options.compose,
        )
        return laid_out(digest, record)


#: The digests that come unasked with many stories: laid out as the channel chose.
THREADED_KINDS = frozenset({DigestKind.SCHEDULED, DigestKind.CATCH_UP, DigestKind.BURST})


def laid_out(digest: Digest, record: DestinationRecord) -> Digest:
    """The digest in the channel's layout (scheduled, catch-up, burst); others stay inline."""
    if digest.kind not in THREADED_KINDS:
        return digest
    return replace(digest, layout=record.settings.layout)


@dataclass(frozen=True)
class _Want:
    """One channel's part of a batched read: where its read starts and what it follows."""

    record: DestinationRecord
    start: datetime
    interests: Interests
    muted: frozenset[str]

    @property
    def pool(self) -> tuple[Tenant, bool]:
        """The read it shares: its tenant's stories, with the text when it follows topics."""
        return self.record.destination.tenant, bool(self.interests.topics)

    def keep(self, pool: list[Story]) -> list[Story]:
        """The stories of the shared read that its own read would have returned and it may get."""
        new = without_outlets((s for s in pool if s.last_seen >= self.start), self.muted)
        return [story for story in new if deliverable(story, self.interests)]


def _zone(record: DestinationRecord) -> str:
    return record.settings.timezone

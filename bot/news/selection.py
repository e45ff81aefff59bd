"""Story selection: the stories a destination gets, asked (`/digest`) or unasked (scheduled, live).

Every read is scoped to the destination's tenant in the store query (`Store.tenant_stories`), and
an unasked read starts no earlier than the destination's last post (less a margin): a live channel
polled every 30 seconds reads what came in since it was last served, not a week of stories.
The engine builds one `StorySelection` and hands it out as `Engine.stories`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.domain import Article, DestinationRecord, Digest, DigestKind, Heading, Post, Story
from bot.news.digests import ComposeOptions, Interests, compose_digest, deliverable, relevant
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
        if topic is not None:
            interests = Interests.topic(topic, since)
        else:
            interests = Interests.of(await self.store.subscriptions(record.id))
        stories = [s for s in await self._seen(record, since, interests) if relevant(s, interests)]
        heading = Heading(describe(topic) if topic else None, window, None, _zone(record))
        return self._compose(stories, DigestKind.ON_DEMAND, heading, since, record)

    async def undelivered(self, record: DestinationRecord, since: datetime) -> list[Story]:
        """Stories the destination should get unasked and has not got yet.

        The read starts at the latest of `since`, the lookback and the last post (less the
        margin); the deliveries then leave out what the margin brings back.
        """
        start = max(since, self.clock.now() - self.options.lookback)
        served = await self.store.last_post_at(record.id)
        if served is not None:
            start = max(start, served - self.options.seen_margin)
        interests = Interests.of(await self.store.subscriptions(record.id))
        stories = [
            s for s in await self._seen(record, start, interests) if deliverable(s, interests)
        ]
        done = await self.store.delivered(record.id, [story.id for story in stories])
        return [story for story in stories if story.id not in done]

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


def _zone(record: DestinationRecord) -> str:
    return record.settings.timezone

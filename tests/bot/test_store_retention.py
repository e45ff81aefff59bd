"""The Store's prune (bounded storage) on MemoryStore, SQLite and Postgres alike."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

import pytest

from bot.domain import (
    Article,
    Destination,
    DestinationRecord,
    DestinationSettings,
    DigestKind,
    PostState,
    Story,
    SubscriptionKind,
)
from bot.store.port import DuplicateSubscriptionError, Pruned, Store
from tests.bot.test_store_contract import HERE, NOW, THERE, article

pytestmark = pytest.mark.asyncio

DAY = timedelta(days=1)
CUT = NOW + 10 * DAY
EVER = NOW - 100 * DAY
LATER = 15 * 24 * 60  # minutes after NOW: kept by a prune at CUT
FEED = "https://a.example/feed"


async def stored(store: Store, url: str, *, story_id: int = 0, minutes: int = 0) -> Article:
    feed = await store.ensure_feed(FEED, timedelta(minutes=15), NOW)
    return await store.add_article(
        article(url, feed_id=feed.id, story_id=story_id, minutes=minutes)
    )


async def follow(store: Store) -> None:
    """HERE's channel follows the feed, so its tenant may see the articles."""
    record = await destination(store)
    feed = await store.ensure_feed(FEED, timedelta(minutes=15), NOW)
    with contextlib.suppress(DuplicateSubscriptionError):
        await store.add_subscription(record.id, SubscriptionKind.FEED, FEED, feed.id, NOW)


async def seen(store: Store, story_ids: list[int]) -> list[Story]:
    """These stories as HERE's tenant sees them."""
    await follow(store)
    return await store.stories(HERE.tenant, story_ids)


async def destination(store: Store, where: Destination = HERE) -> DestinationRecord:
    return await store.ensure_destination(where, DestinationSettings(), NOW)


async def test_old_articles_go_and_a_story_keeps_its_newer_ones(store: Store) -> None:
    gone = await stored(store, "https://a.example/1")
    spans = await stored(store, "https://a.example/2")
    newer = await stored(store, "https://a.example/3", story_id=spans.story_id, minutes=LATER)
    newest = await stored(store, "https://a.example/4", minutes=LATER)
    here = await destination(store)
    post = await store.reserve_post(
        here.id, "k1", DigestKind.LIVE, [gone.story_id, spans.story_id], now=NOW
    )

    assert await store.prune(CUT) == Pruned(articles=2, stories=1, posts=0)

    left = await seen(store, [gone.story_id, spans.story_id, newest.story_id])
    assert [(s.id, [a.id for a in s.articles]) for s in left] == [
        (spans.story_id, [newer.id]),
        (newest.story_id, [newest.id]),
    ]
    # the story that can come back keeps its delivery record (and so its post); the gone one not
    assert await store.delivered(here.id, [gone.story_id, spans.story_id]) == {spans.story_id}
    assert [p.id for p in await store.posts_since(here.id, EVER, set(DigestKind))] == [post.id]
    assert not await store.known_article(gone.feed_id, gone.url, None, "other")
    assert await store.prune(CUT) == Pruned()


async def test_old_posts_go_unless_pending_or_the_latest_slot(store: Store) -> None:
    here, there = await destination(store), await destination(store, THERE)
    await stored(store, "https://a.example/newest", minutes=LATER)

    async def post(
        record: DestinationRecord,
        key: str,
        *,
        now: datetime,
        slot: datetime | None = None,
        state: PostState = PostState.PENDING,
    ) -> int:
        kind = DigestKind.LIVE if slot is None else DigestKind.SCHEDULED
        made = await store.reserve_post(record.id, key, kind, [], now=now, slot=slot, state=state)
        return made.id

    await post(here, "live", now=NOW, state=PostState.SENT)
    pending = await post(here, "pending", now=NOW)
    await post(here, "old-slot", now=NOW, slot=NOW - DAY, state=PostState.SKIPPED)
    latest = await post(here, "latest-slot", now=NOW, slot=NOW, state=PostState.SKIPPED)
    await post(there, "there", now=NOW, state=PostState.SENT)
    recent = await post(there, "recent", now=CUT + DAY, state=PostState.SENT)

    assert (await store.prune(CUT)).posts == 3

    assert await store.last_slot(here.id) == NOW
    assert [p.id for p in await store.pending_posts()] == [pending]
    kept = await store.posts_since(here.id, EVER, set(DigestKind))
    assert sorted(p.id for p in kept) == [pending, latest]
    assert [p.id for p in await store.posts_since(there.id, EVER, set(DigestKind))] == [recent]


async def test_a_large_prune_goes_in_small_batches(store: Store) -> None:
    for number in range(7):
        await stored(store, f"https://a.example/{number}")
    await stored(store, "https://a.example/newest", minutes=LATER)
    assert await store.prune(CUT, batch=2) == Pruned(articles=7, stories=7, posts=0)
    await follow(store)
    assert len(await store.tenant_stories(HERE.tenant, EVER)) == 1


async def test_a_story_after_a_prune_never_takes_a_pruned_storys_id(store: Store) -> None:
    here = await destination(store)
    first = await stored(store, "https://a.example/1")
    last = await stored(store, "https://a.example/2")
    await store.reserve_post(
        here.id, f"live:{here.id}:{last.story_id}", DigestKind.LIVE, [], now=CUT
    )
    await store.prune(CUT)
    fresh = await stored(store, "https://a.example/3", minutes=LATER)
    assert fresh.story_id > max(first.story_id, last.story_id)
    key = f"live:{here.id}:{fresh.story_id}"
    assert await store.reserve_post(here.id, key, DigestKind.LIVE, [fresh.story_id], now=CUT)

"""Unasked selection reads only what came in since the destination's last post (less a margin)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.domain import DestinationSettings, DigestKind, PostState, SubscriptionKind
from bot.news.selection import SelectionOptions, StorySelection
from bot.store.memory import MemoryStore
from tests.bot.test_store_contract import HERE, NOW, article

pytestmark = pytest.mark.asyncio

FEED = "https://a.example/feed"
HOUR = timedelta(hours=1)


async def test_a_live_read_starts_at_the_last_post_less_the_margin() -> None:
    store = MemoryStore()
    record = await store.ensure_destination(HERE, DestinationSettings(), NOW - 10 * HOUR)
    feed = await store.ensure_feed(FEED, timedelta(minutes=15), NOW - 10 * HOUR)
    await store.add_subscription(record.id, SubscriptionKind.FEED, FEED, feed.id, NOW - 10 * HOUR)
    # never delivered: one from long before the last post, one from just before it
    old = await store.add_article(article("https://a.example/old", feed_id=feed.id, minutes=-180))
    late = await store.add_article(article("https://a.example/late", feed_id=feed.id, minutes=-20))
    selection = StorySelection(store, FakeClock(NOW + HOUR), SelectionOptions())
    before = await selection.undelivered(record, record.created_at)
    assert {s.id for s in before} == {old.story_id, late.story_id}

    post = await store.reserve_post(record.id, "l0", DigestKind.LIVE, [], now=NOW)
    await store.mark_post(post.id, PostState.SENT, NOW)
    after = await selection.undelivered(record, record.created_at)
    assert [s.id for s in after] == [late.story_id]  # within the margin: still offered

    failed = await store.reserve_post(record.id, "l1", DigestKind.LIVE, [], now=NOW + HOUR)
    await store.mark_post(failed.id, PostState.FAILED, NOW + HOUR)
    again = await selection.undelivered(record, record.created_at)
    assert [s.id for s in again] == [late.story_id]  # a failed post moves nothing on

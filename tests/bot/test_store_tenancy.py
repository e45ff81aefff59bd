"""The Store contract of tenancy: a workspace reads only its feeds' and the catalogue's articles.

Runs on MemoryStore, SQLite and Postgres (the `store` fixture), like test_store_contract.py.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain import (
    Article,
    Destination,
    DestinationSettings,
    FeedState,
    Platform,
    Story,
    SubscriptionKind,
    Tenant,
)
from bot.store.port import Store

pytestmark = pytest.mark.asyncio

NOW = datetime(2024, 5, 1, 8, 30, tzinfo=UTC)
# the same channel id in two workspaces of one platform: two tenants
A_CHANNEL = Destination(Platform.SLACK, "T-A", "C1")
B_CHANNEL = Destination(Platform.SLACK, "T-B", "C1")
A, B = A_CHANNEL.tenant, B_CHANNEL.tenant
NOBODY = Tenant(Platform.DISCORD, "G-empty")  # follows nothing at all


def article(url: str, feed: FeedState, *, story_id: int = 0, minutes: int = 0) -> Article:
    return Article(
        url=url,
        title=f"Title of {url}",
        source=url.split("/")[2],
        published=NOW - timedelta(hours=1),
        ingested_at=NOW + timedelta(minutes=minutes),
        content_hash=f"hash-{url}",
        summary=(f"Summary of {url}.",),
        terms={"bridge": 3},
        lead_terms={"bridge": 1},
        text=f"The full text of {url}.",
        feed_id=feed.id,
        guid=f"guid-{url}",
        story_id=story_id,
    )


async def follow(store: Store, channel: Destination, url: str) -> FeedState:
    record = await store.ensure_destination(channel, DestinationSettings(), NOW)
    feed = await store.ensure_feed(url, timedelta(minutes=15), NOW)
    await store.add_subscription(record.id, SubscriptionKind.FEED, url, feed.id, NOW)
    return feed


def urls(stories: list[Story]) -> dict[int, list[str]]:
    return {story.id: [a.url for a in story.articles] for story in stories}


async def test_a_story_clustered_across_tenants_shows_each_its_own_articles(store: Store) -> None:
    feed_a = await follow(store, A_CHANNEL, "https://intranet.a.example/feed")
    feed_b = await follow(store, B_CHANNEL, "https://b.example/feed")
    first = await store.add_article(article("https://intranet.a.example/1", feed_a))
    joined = await store.add_article(
        article("https://b.example/1", feed_b, story_id=first.story_id, minutes=1)
    )
    assert joined.story_id == first.story_id  # clustering may join articles across tenants
    shared = first.story_id
    assert urls(await store.tenant_stories(A, NOW)) == {shared: ["https://intranet.a.example/1"]}
    assert urls(await store.tenant_stories(B, NOW)) == {shared: ["https://b.example/1"]}
    assert urls(await store.stories(B, [shared])) == {shared: ["https://b.example/1"]}
    assert await store.tenant_stories(NOBODY, NOW) == []


async def test_a_tenant_never_sees_a_story_only_another_follows(store: Store) -> None:
    feed_a = await follow(store, A_CHANNEL, "https://intranet.a.example/feed")
    feed_b = await follow(store, B_CHANNEL, "https://b.example/feed")
    secret = await store.add_article(article("https://intranet.a.example/secret", feed_a))
    old = await store.add_article(article("https://b.example/old", feed_b, minutes=-120))
    # A's recent article joins B's old story: nothing new for B, and none of A's article shown
    await store.add_article(article("https://intranet.a.example/2", feed_a, story_id=old.story_id))
    assert await store.tenant_stories(B, NOW) == []
    assert await store.stories(B, [secret.story_id]) == []
    assert set(urls(await store.tenant_stories(A, NOW))) == {secret.story_id, old.story_id}
    # the same workspace's other channels' feeds are its own
    await follow(store, replace(B_CHANNEL, channel="C2"), "https://intranet.a.example/feed")
    assert urls(await store.tenant_stories(B, NOW))[secret.story_id] == [secret.url]


async def test_stories_carry_what_a_digest_shows_and_text_only_when_asked(store: Store) -> None:
    feed = await follow(store, A_CHANNEL, "https://a.example/feed")
    stored = await store.add_article(article("https://a.example/1", feed))
    [story] = await store.tenant_stories(A, NOW)
    [shown] = story.articles
    assert (shown.id, shown.url, shown.title, shown.summary) == (
        stored.id,
        stored.url,
        stored.title,
        stored.summary,
    )
    assert (shown.source, shown.published, shown.feed_id) == (
        stored.source,
        stored.published,
        feed.id,
    )
    assert (shown.text, shown.terms, shown.lead_terms, shown.content_hash) == ("", {}, {}, "")
    [with_text] = await store.tenant_stories(A, NOW, with_text=True)
    assert with_text.articles[0].text == stored.text
    [rebuilt] = await store.stories(A, [stored.story_id])
    assert rebuilt == story


async def test_catalogue_feeds_are_open_to_every_tenant_and_polled_unfollowed(store: Store) -> None:
    await follow(store, A_CHANNEL, "https://a.example/feed")
    wire = await store.ensure_feed("https://wire.example/feed", timedelta(minutes=15), NOW)
    news = await store.add_article(article("https://wire.example/1", wire))
    assert await store.count_catalogue() == 0
    assert wire.id not in {f.id for f in await store.due_feeds(NOW)}
    await store.mark_catalogue({wire.id})
    assert await store.count_catalogue() == 1
    assert wire.id in {f.id for f in await store.due_feeds(NOW)}
    for tenant in (A, B, NOBODY):
        assert urls(await store.tenant_stories(tenant, NOW)) == {news.story_id: [news.url]}
    polled = replace(wire, next_poll_at=NOW + timedelta(minutes=15), last_success_at=NOW)
    await store.save_feed(polled)  # a poll that read the feed before it joined keeps it there
    assert (await store.feed(wire.id)).catalog  # type: ignore[union-attr]
    await store.mark_catalogue(set())  # taken out of the setting
    assert await store.count_catalogue() == 0
    assert await store.tenant_stories(B, NOW) == []
    assert wire.id not in {f.id for f in await store.due_feeds(NOW + timedelta(hours=1))}

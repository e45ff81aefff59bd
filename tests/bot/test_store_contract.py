"""The Store contract: MemoryStore and SqlStore (SQLite, and Postgres when configured) alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.domain import (
    Article,
    Destination,
    DestinationSettings,
    DigestKind,
    DigestLayout,
    DigestMode,
    Platform,
    PostState,
    SubscriptionKind,
)
from bot.store.port import AlreadyDeliveredError, DuplicateSubscriptionError, Store
from summaries import Actor, ActorKind, DateMention

pytestmark = pytest.mark.asyncio

NOW = datetime(2024, 5, 1, 8, 30, tzinfo=UTC)
HERE = Destination(Platform.SLACK, "T1", "C1")
THERE = Destination(Platform.DISCORD, "G1", "C9")


def article(url: str, *, feed_id: int | None, story_id: int = 0, minutes: int = 0) -> Article:
    return Article(
        url=url,
        title=f"Title of {url}",
        source="example.org",
        published=NOW - timedelta(hours=2),
        ingested_at=NOW + timedelta(minutes=minutes),
        content_hash=f"hash-{url}",
        summary=("First sentence.", "Second sentence."),
        actors=(Actor("Hanna Vogt", ActorKind.PERSON, 3, ("Vogt",), "transport director"),),
        dates=(DateMention("Monday", "2024-04-29", 10, 16),),
        terms={"bridge": 3, "girder": 2},
        text="The full text.",
        feed_id=feed_id,
        guid=f"guid-{url}",
        story_id=story_id,
    )


async def test_destinations_are_created_once_with_defaults(store: Store) -> None:
    defaults = DestinationSettings(timezone="Europe/Berlin")
    first = await store.ensure_destination(HERE, defaults, NOW)
    again = await store.ensure_destination(HERE, DestinationSettings(), NOW + timedelta(hours=1))
    other = await store.ensure_destination(THERE, defaults, NOW)
    assert first == again
    assert first.settings.timezone == "Europe/Berlin"
    assert first.created_at == NOW
    assert other.id != first.id
    assert {r.destination for r in await store.destinations()} == {HERE, THERE}


async def test_a_tenants_destinations_are_selected_in_the_query(store: Store) -> None:
    mine = await store.ensure_destination(HERE, DestinationSettings(), NOW)
    await store.ensure_destination(THERE, DestinationSettings(), NOW)
    neighbour = Destination(Platform.SLACK, "T2", "C1")  # same channel id, another workspace
    await store.ensure_destination(neighbour, DestinationSettings(), NOW)
    same_team = await store.ensure_destination(
        Destination(Platform.SLACK, "T1", "C2"), DestinationSettings(), NOW
    )
    assert await store.destinations((Platform.SLACK, "T1")) == [mine, same_team]
    assert await store.destinations((Platform.DISCORD, "T1")) == []
    assert len(await store.destinations()) == 4


async def test_feeds_are_read_by_id_in_one_call(store: Store) -> None:
    first = await store.ensure_feed("https://a.example/feed", timedelta(minutes=15), NOW)
    second = await store.ensure_feed("https://b.example/feed", timedelta(minutes=15), NOW)
    assert await store.feeds({first.id, second.id, 999_999}) == {first.id: first, second.id: second}
    assert await store.feeds(()) == {}


async def test_settings_round_trip_and_move_the_anchor(store: Store) -> None:
    record = await store.ensure_destination(HERE, DestinationSettings(), NOW)
    settings = DestinationSettings(
        digest_time=time(7, 45),
        timezone="America/New_York",
        weekdays=frozenset({0, 2, 4}),
        max_stories=4,
        mode=DigestMode.LIVE,
        live_limit=3,
        link_replies=False,
        layout=DigestLayout.INLINE,
    )
    later = NOW + timedelta(days=1)
    updated = await store.update_settings(record.id, settings, later)
    assert updated.settings == settings
    assert updated.settings_changed_at == later
    assert (await store.ensure_destination(HERE, DestinationSettings(), NOW)).settings == settings


async def test_feeds_are_due_only_when_subscribed_and_their_time_has_come(store: Store) -> None:
    record = await store.ensure_destination(HERE, DestinationSettings(), NOW)
    feed = await store.ensure_feed("https://a.example/feed", timedelta(minutes=15), NOW)
    assert await store.ensure_feed("https://a.example/feed", timedelta(hours=1), NOW) == feed
    assert await store.due_feeds(NOW) == []  # nobody follows it yet
    await store.add_subscription(record.id, SubscriptionKind.FEED, feed.url, feed.id, NOW)
    assert [f.id for f in await store.due_feeds(NOW)] == [feed.id]
    polled = replace(
        feed,
        title="A",
        etag='"v1"',
        last_modified="Wed, 01 May 2024 08:00:00 GMT",
        next_poll_at=NOW + timedelta(minutes=15),
        last_polled_at=NOW,
        last_success_at=NOW,
        last_error=None,
        errors=0,
    )
    await store.save_feed(polled)
    assert await store.due_feeds(NOW + timedelta(minutes=14)) == []
    assert await store.feed(feed.id) == polled
    assert [f.id for f in await store.due_feeds(NOW + timedelta(minutes=15))] == [feed.id]


async def test_subscriptions_are_per_destination_and_unique(store: Store) -> None:
    here = await store.ensure_destination(HERE, DestinationSettings(), NOW)
    there = await store.ensure_destination(THERE, DestinationSettings(), NOW)
    topic = await store.add_subscription(here.id, SubscriptionKind.TOPIC, "ceasefire", None, NOW)
    await store.add_subscription(there.id, SubscriptionKind.TOPIC, "ceasefire", None, NOW)
    with pytest.raises(DuplicateSubscriptionError):
        await store.add_subscription(here.id, SubscriptionKind.TOPIC, "ceasefire", None, NOW)
    assert [s.target for s in await store.subscriptions(here.id)] == ["ceasefire"]
    assert len(await store.subscriptions()) == 2
    assert await store.remove_subscription(there.id, topic.id) is None  # not theirs
    assert await store.remove_subscription(here.id, topic.id) == topic
    assert await store.subscriptions(here.id) == []


async def test_link_replies_default_to_none_and_round_trip_both_ways(store: Store) -> None:
    record = await store.ensure_destination(HERE, DestinationSettings(), NOW)
    assert record.settings.link_replies is None  # the platform's default applies
    for choice in (True, False, None):
        wanted = DestinationSettings(link_replies=choice)
        await store.update_settings(record.id, wanted, NOW)
        assert (await store.destinations())[0].settings.link_replies is choice


async def test_layout_defaults_to_thread_and_round_trips(store: Store) -> None:
    record = await store.ensure_destination(HERE, DestinationSettings(), NOW)
    assert record.settings.layout is DigestLayout.THREAD
    for layout in (DigestLayout.INLINE, DigestLayout.THREAD):
        await store.update_settings(record.id, DestinationSettings(layout=layout), NOW)
        assert (await store.destinations())[0].settings.layout is layout


async def test_one_channel_is_found_without_being_created(store: Store) -> None:
    assert await store.find_destination(HERE) is None
    assert await store.destinations() == []  # looking did not store it
    mine = await store.ensure_destination(HERE, DestinationSettings(), NOW)
    await store.ensure_destination(
        Destination(Platform.SLACK, "T2", "C1"), DestinationSettings(), NOW
    )
    await store.ensure_destination(
        Destination(Platform.DISCORD, "T1", "C1"), DestinationSettings(), NOW
    )
    assert await store.find_destination(HERE) == mine


async def test_a_feed_subscription_keeps_its_filter_and_can_change_it(store: Store) -> None:
    here = await store.ensure_destination(HERE, DestinationSettings(), NOW)
    there = await store.ensure_destination(THERE, DestinationSettings(), NOW)
    feed = await store.ensure_feed("https://a.example/feed", timedelta(minutes=15), NOW)
    sub = await store.add_subscription(
        here.id, SubscriptionKind.FEED, feed.url, feed.id, NOW, filter="bridge AND -sport"
    )
    plain = await store.add_subscription(there.id, SubscriptionKind.FEED, feed.url, feed.id, NOW)
    assert sub.filter == "bridge AND -sport" and plain.filter is None
    assert await store.subscriptions(here.id) == [sub]
    later = NOW + timedelta(hours=2)
    assert await store.replace_filter(there.id, sub.id, "choir", later) is None  # not theirs
    changed = await store.replace_filter(here.id, sub.id, "choir", later)
    assert changed == replace(sub, filter="choir", created_at=later)
    assert await store.subscriptions(here.id) == [changed]
    cleared = await store.replace_filter(here.id, sub.id, None, later)
    assert cleared is not None and cleared.filter is None
    assert await store.subscriptions(there.id) == [plain]


async def test_articles_group_into_stories_and_round_trip(store: Store) -> None:
    feed = await store.ensure_feed("https://a.example/feed", timedelta(minutes=15), NOW)
    other = await store.ensure_feed("https://b.example/feed", timedelta(minutes=15), NOW)
    first = await store.add_article(article("https://a.example/1", feed_id=feed.id))
    joined = await store.add_article(
        article("https://b.example/1", feed_id=other.id, story_id=first.story_id, minutes=5)
    )
    alone = await store.add_article(article("https://a.example/2", feed_id=feed.id, minutes=9))
    assert first.id and first.story_id and joined.story_id == first.story_id
    assert alone.story_id != first.story_id
    assert await store.recent_articles(NOW) == [first, joined, alone]
    assert (await store.recent_articles(NOW))[0].terms == {"bridge": 3, "girder": 2}
    assert (await store.feed(feed.id)).articles == 2  # type: ignore[union-attr]
    await store.mark_catalogue({feed.id, other.id})  # so any tenant sees them
    stories = {story.id: story for story in await store.stories(HERE.tenant, [first.story_id])}
    assert [a.id for a in stories[first.story_id].articles] == [first.id, joined.id]
    recent = await store.tenant_stories(HERE.tenant, NOW + timedelta(minutes=5))
    assert {story.id for story in recent} == {first.story_id, alone.story_id}
    assert [a.id for a in await store.recent_articles(NOW + timedelta(minutes=6))] == [alone.id]


async def test_known_article_matches_link_guid_or_content_within_a_feed(store: Store) -> None:
    feed = await store.ensure_feed("https://a.example/feed", timedelta(minutes=15), NOW)
    other = await store.ensure_feed("https://b.example/feed", timedelta(minutes=15), NOW)
    await store.add_article(article("https://a.example/1", feed_id=feed.id))
    assert await store.known_article(feed.id, "https://a.example/1", None, "x")
    assert await store.known_article(
        feed.id, "https://a.example/new", "guid-https://a.example/1", "x"
    )
    assert await store.known_article(
        feed.id, "https://a.example/new", None, "hash-https://a.example/1"
    )
    assert not await store.known_article(feed.id, "https://a.example/new", "g", "x")
    assert not await store.known_article(other.id, "https://a.example/1", None, "x")


async def test_a_story_is_reserved_once_per_destination(store: Store) -> None:
    here = await store.ensure_destination(HERE, DestinationSettings(), NOW)
    there = await store.ensure_destination(THERE, DestinationSettings(), NOW)
    story = (await store.add_article(article("https://a.example/1", feed_id=None))).story_id
    post = await store.reserve_post(here.id, "k1", DigestKind.LIVE, [story], now=NOW)
    assert post.state is PostState.PENDING and post.story_ids == (story,)
    with pytest.raises(AlreadyDeliveredError):
        await store.reserve_post(here.id, "k2", DigestKind.LIVE, [story], now=NOW)
    with pytest.raises(AlreadyDeliveredError):
        await store.reserve_post(there.id, "k1", DigestKind.LIVE, [], now=NOW)  # same key
    await store.reserve_post(there.id, "k3", DigestKind.LIVE, [story], now=NOW)
    assert await store.delivered(here.id, [story, 999]) == {story}
    assert [p.key for p in await store.pending_posts()] == ["k1", "k3"]


async def test_marking_posts_settles_them_and_failure_releases_the_stories(store: Store) -> None:
    here = await store.ensure_destination(HERE, DestinationSettings(), NOW)
    story = (await store.add_article(article("https://a.example/1", feed_id=None))).story_id
    sent = await store.reserve_post(here.id, "k1", DigestKind.LIVE, [story], now=NOW)
    await store.mark_post(sent.id, PostState.SENT, NOW)
    assert await store.pending_posts() == []
    other = (await store.add_article(article("https://a.example/2", feed_id=None))).story_id
    failed = await store.reserve_post(here.id, "k2", DigestKind.LIVE, [other], now=NOW)
    await store.mark_post(failed.id, PostState.FAILED, NOW)
    assert await store.delivered(here.id, [story, other]) == {story}
    await store.reserve_post(here.id, "k3", DigestKind.LIVE, [other], now=NOW)  # free again


async def test_slots_and_recent_posts(store: Store) -> None:
    here = await store.ensure_destination(HERE, DestinationSettings(), NOW)
    assert await store.last_slot(here.id) is None
    monday = datetime(2024, 4, 29, 7, 0, tzinfo=UTC)
    tuesday = monday + timedelta(days=1)
    await store.reserve_post(
        here.id, "d1", DigestKind.SCHEDULED, [], now=NOW, slot=monday, state=PostState.SKIPPED
    )
    await store.reserve_post(here.id, "d2", DigestKind.CATCH_UP, [], now=NOW, slot=tuesday)
    await store.reserve_post(here.id, "l1", DigestKind.LIVE, [], now=NOW + timedelta(hours=1))
    assert await store.last_slot(here.id) == tuesday
    live = await store.posts_since(here.id, NOW + timedelta(minutes=30), {DigestKind.LIVE})
    assert [p.key for p in live] == ["l1"]
    assert await store.posts_since(here.id, NOW + timedelta(hours=2), {DigestKind.LIVE}) == []


async def test_the_last_post_that_did_not_fail_marks_what_a_channel_has_seen(
    store: Store,
) -> None:
    here = await store.ensure_destination(HERE, DestinationSettings(), NOW)
    there = await store.ensure_destination(THERE, DestinationSettings(), NOW)
    assert await store.last_post_at(here.id) is None
    hour = timedelta(hours=1)
    await store.reserve_post(
        here.id, "s", DigestKind.SCHEDULED, [], now=NOW, state=PostState.SKIPPED
    )
    sent = await store.reserve_post(here.id, "l1", DigestKind.LIVE, [], now=NOW + hour)
    await store.mark_post(sent.id, PostState.SENT, NOW + hour)
    failed = await store.reserve_post(here.id, "l2", DigestKind.LIVE, [], now=NOW + 2 * hour)
    await store.mark_post(failed.id, PostState.FAILED, NOW + 2 * hour)
    await store.reserve_post(there.id, "t", DigestKind.LIVE, [], now=NOW + 3 * hour)
    assert await store.last_post_at(here.id) == NOW + hour  # the failed one is not counted
    assert await store.last_post_at(there.id) == NOW + 3 * hour


async def test_subscriptions_are_counted_per_destination(store: Store) -> None:
    here = await store.ensure_destination(HERE, DestinationSettings(), NOW)
    there = await store.ensure_destination(THERE, DestinationSettings(), NOW)
    feed = await store.ensure_feed("https://a.example/feed", timedelta(minutes=15), NOW)
    await store.add_subscription(here.id, SubscriptionKind.FEED, feed.url, feed.id, NOW)
    topic = await store.add_subscription(here.id, SubscriptionKind.TOPIC, "ceasefire", None, NOW)
    await store.add_subscription(there.id, SubscriptionKind.TOPIC, "ceasefire", None, NOW)
    assert await store.count_subscriptions(here.id) == 2
    assert await store.count_subscriptions(there.id) == 1
    await store.remove_subscription(here.id, topic.id)
    assert await store.count_subscriptions(here.id) == 1


async def test_feeds_are_counted_once_per_workspace(store: Store) -> None:
    next_door = Destination(Platform.SLACK, "T1", "C2")
    other_team = Destination(Platform.SLACK, "T2", "C1")
    same_ids = Destination(Platform.DISCORD, "T1", "C1")  # another platform: another tenant
    records = [
        await store.ensure_destination(d, DestinationSettings(), NOW)
        for d in (HERE, next_door, other_team, same_ids)
    ]
    a, b, c = [
        await store.ensure_feed(f"https://{n}.example/feed", timedelta(minutes=15), NOW)
        for n in "abc"
    ]
    for record, feed in [(0, a), (0, b), (1, a), (2, c), (3, c)]:
        await store.add_subscription(
            records[record].id, SubscriptionKind.FEED, feed.url, feed.id, NOW
        )
    await store.add_subscription(records[0].id, SubscriptionKind.TOPIC, "a topic", None, NOW)
    assert await store.count_feeds(Platform.SLACK, "T1") == 2  # a in two channels counts once
    assert await store.count_feeds(Platform.SLACK, "T2") == 1
    assert await store.count_feeds(Platform.DISCORD, "T1") == 1
    assert await store.count_feeds(Platform.DISCORD, "nobody") == 0
    assert await store.count_feeds(Platform.SLACK, "T1", including=[a.id]) == 2  # followed
    assert await store.count_feeds(Platform.SLACK, "T1", including=[a.id, c.id]) == 3


async def _follow(store: Store, destination: Destination, url: str) -> tuple[int, int]:
    """A destination following one feed, with one sent post of one story: (its id, the feed's)."""
    record = await store.ensure_destination(destination, DestinationSettings(), NOW)
    feed = await store.ensure_feed(url, timedelta(minutes=15), NOW)
    await store.add_subscription(record.id, SubscriptionKind.FEED, url, feed.id, NOW)
    await store.add_subscription(record.id, SubscriptionKind.TOPIC, "ceasefire", None, NOW)
    story = (await store.add_article(article(f"{url}/1", feed_id=feed.id))).story_id
    post = await store.reserve_post(record.id, f"k-{url}", DigestKind.LIVE, [story], now=NOW)
    await store.mark_post(post.id, PostState.SENT, NOW)
    await store.reserve_post(record.id, f"p-{url}", DigestKind.SCHEDULED, [], now=NOW, slot=NOW)
    return record.id, feed.id


async def test_forgetting_a_channel_deletes_its_rows_and_stops_its_lone_feeds(store: Store) -> None:
    next_door = Destination(Platform.SLACK, "T1", "C2")
    here, lone = await _follow(store, HERE, "https://lone.example/feed")
    kept, shared = await _follow(store, next_door, "https://shared.example/feed")
    await store.add_subscription(
        here, SubscriptionKind.FEED, "https://shared.example/feed", shared, NOW
    )
    assert await store.forget_channel(HERE) == 1
    assert await store.forget_channel(HERE) == 0  # forgetting twice is harmless
    assert [r.id for r in await store.destinations()] == [kept]
    assert {s.destination_id for s in await store.subscriptions()} == {kept}
    assert [f.id for f in await store.due_feeds(NOW)] == [shared]  # the lone feed is not polled
    assert await store.last_slot(here) is None
    assert [p.destination_id for p in await store.pending_posts()] == [kept]
    assert await store.posts_since(here, NOW, set(DigestKind)) == []
    assert await store.feed(lone) is not None  # the feed and its articles stay for others


async def test_forgetting_a_tenant_deletes_only_its_channels(store: Store) -> None:
    next_door = Destination(Platform.SLACK, "T1", "C2")
    same_ids = Destination(Platform.DISCORD, "T1", "C1")  # another platform: another tenant
    await _follow(store, HERE, "https://a.example/feed")
    await _follow(store, next_door, "https://a.example/feed2")
    kept, feed = await _follow(store, same_ids, "https://b.example/feed")
    assert await store.forget_tenant(Platform.SLACK, "T1") == 2
    assert [r.destination for r in await store.destinations()] == [same_ids]
    assert {s.destination_id for s in await store.subscriptions()} == {kept}
    assert [f.id for f in await store.due_feeds(NOW)] == [feed]
    assert await store.count_feeds(Platform.SLACK, "T1") == 0
    assert await store.forget_tenant(Platform.SLACK, "T1") == 0


async def test_refusals_in_a_row_pause_a_destination_until_cleared(store: Store) -> None:
    record = await store.ensure_destination(HERE, DestinationSettings(), NOW)
    other = await store.ensure_destination(THERE, DestinationSettings(), NOW)
    assert (record.refusals, record.paused_at, record.paused_reason) == (0, None, None)
    first = await store.record_refusal(record.id, "not_in_channel", NOW, pause_after=3)
    assert (first.refusals, first.paused_at) == (1, None)
    await store.record_refusal(record.id, "not_in_channel", NOW, pause_after=3)
    later = NOW + timedelta(hours=1)
    paused = await store.record_refusal(record.id, "channel_not_found", later, pause_after=3)
    assert (paused.refusals, paused.paused_at, paused.paused_reason) == (
        3,
        later,
        "channel_not_found",
    )
    again = await store.record_refusal(record.id, "is_archived", later + timedelta(hours=1), 3)
    assert (again.paused_at, again.paused_reason) == (later, "channel_not_found")  # the first
    stored = {r.id: r for r in await store.destinations()}
    assert stored[record.id].paused_at == later and stored[other.id].paused_at is None
    assert stored[other.id].refusals == 0
    assert await store.clear_refusals(record.id) is True
    assert await store.clear_refusals(record.id) is False  # nothing left to clear
    cleared = await store.ensure_destination(HERE, DestinationSettings(), NOW)
    assert (cleared.refusals, cleared.paused_at, cleared.paused_reason) == (0, None, None)


async def test_clearing_refusals_that_did_not_pause_says_not_paused(store: Store) -> None:
    record = await store.ensure_destination(HERE, DestinationSettings(), NOW)
    await store.record_refusal(record.id, "not_in_channel", NOW, pause_after=3)
    assert await store.clear_refusals(record.id) is False
    assert (await store.record_refusal(record.id, "x", NOW, pause_after=3)).refusals == 1

"""Per-feed filters: `/subscribe <feed> only:<topic>`, what gets through, listing, OPML."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.clock import FakeClock
from bot.commands.arguments import _ONLY, split_only
from bot.commands.handlers import (
    CommandError,
    CommandRequest,
    DigestReply,
    FilterReplaced,
    OpmlExported,
    OpmlImported,
    Subscribed,
    SubscriptionList,
)
from bot.commands.spec import SPECS, command_line
from bot.domain import (
    Article,
    Destination,
    DestinationSettings,
    DigestMode,
    Platform,
    Story,
    Subscription,
    SubscriptionKind,
)
from bot.fakes import FakePublisher, MemoryFeedSource
from bot.news.digests import Interests, deliverable, relevant
from bot.news.topics import parse_filter
from bot.render.text import render_text
from bot.store.memory import MemoryStore
from summaries import Actor, ActorKind, Analyzer
from tests.support.samples import BRIDGE_A, CHOIR_A, MARKET_A, entry
from tests.support.stack import CHANNEL, Stack, build

FEED = "https://lindmoor-post.example/feed.xml"
ELSEWHERE = Destination(Platform.SLACK, "T1", "C7")


@pytest.fixture
def stack(
    analyzer: Analyzer, source: MemoryFeedSource, clock: FakeClock, publisher: FakePublisher
) -> Stack:
    return build(MemoryStore(), source, analyzer, clock, publisher)


async def run(
    stack: Stack, text: str, attachment: str | None = None, where: Destination = CHANNEL
) -> object:
    return await stack.commands.handle(CommandRequest(where, text, attachment))


def headlines(reply: object) -> list[str]:
    assert isinstance(reply, DigestReply)
    return [entry.headline for entry in reply.digest.entries]


@pytest.mark.asyncio
async def test_only_keeps_the_feeds_items_that_match_on_demand(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock
) -> None:
    source.put(FEED, [entry("bridge", BRIDGE_A, clock.now()), entry("choir", CHOIR_A, clock.now())])
    reply = await run(stack, f"/subscribe {FEED} only:Esker OR actor:Vogt")
    assert isinstance(reply, Subscribed) and reply.subscription.filter == "Esker OR actor:Vogt"
    assert "only items matching Esker OR actor:Vogt" in render_text(reply)
    assert headlines(await run(stack, "/digest")) == ["Bridge"]


@pytest.mark.asyncio
async def test_only_filters_what_is_posted_unasked(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock, publisher: FakePublisher
) -> None:
    source.put(FEED, [])
    record = await stack.channel()
    live = DestinationSettings(mode=DigestMode.LIVE, live_limit=10)
    await stack.engine.change_settings(record, live)
    assert isinstance(await run(stack, f"/subscribe {FEED} only:-coffee"), Subscribed)
    clock.advance(timedelta(minutes=20))
    items = [entry(slug, text, clock.now()) for slug, text in (("market", MARKET_A),)]
    source.put(FEED, [*items, entry("choir", CHOIR_A, clock.now())])
    await stack.scheduler.tick()
    shown = [digest.entries[0].headline for _, digest in publisher.posts.values()]
    assert shown == ["Choir"]


@pytest.mark.asyncio
async def test_a_bad_filter_is_one_line_with_an_example_and_nothing_is_stored(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock
) -> None:
    source.put(FEED, [entry("bridge", BRIDGE_A, clock.now())])
    for line, reason in (
        (f"/subscribe {FEED} only:(bridge", "a bracket is not closed"),
        (f"/subscribe {FEED} only:", "only: needs a topic"),
        (f"/subscribe {FEED} only:bridge OR", "ends where a word was expected"),
        ("/subscribe only:bridge", "put the feed before it"),
    ):
        error = await run(stack, line)
        assert isinstance(error, CommandError), line
        assert reason in error.message and error.example == SPECS["subscribe"].example
        assert "only:climate" in command_line(error.example), "the example shows a filter"
        assert "\n" not in render_text(error)
    topic = await run(stack, "/subscribe ceasefire only:Gaza")
    assert isinstance(topic, CommandError) and "topic is a filter already" in topic.message
    assert await stack.store.subscriptions() == []


@pytest.mark.asyncio
async def test_subscribing_again_replaces_the_filter_and_says_so(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock
) -> None:
    source.put(FEED, [entry("bridge", BRIDGE_A, clock.now())])
    first = await run(stack, f"/subscribe {FEED} only:bridge")
    assert isinstance(first, Subscribed)
    clock.advance(timedelta(hours=1))
    changed = await run(stack, f"/subscribe {FEED} only:choir")
    assert isinstance(changed, FilterReplaced) and changed.previous == "bridge"
    assert changed.subscription.id == first.subscription.id
    assert changed.subscription.created_at == clock.now()  # counted from now: no back-posting
    assert "Replaced the filter of #" in render_text(changed)
    same = await run(stack, f"/subscribe {FEED} only:choir")
    assert isinstance(same, CommandError) and "already follows" in same.message
    everything = await run(stack, f"/subscribe {FEED}")
    assert isinstance(everything, FilterReplaced) and everything.subscription.filter is None
    assert "every item from now on (before: only choir)" in render_text(everything)
    assert len(await stack.store.subscriptions()) == 1


@pytest.mark.asyncio
async def test_subscriptions_show_the_filter_and_link_replies(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock
) -> None:
    source.put(FEED, [entry("bridge", BRIDGE_A, clock.now())])
    await run(stack, f'/subscribe {FEED} only:actor:"Hanna Vogt" -sport')
    listing = await run(stack, "/subscriptions")
    assert isinstance(listing, SubscriptionList) and listing.link_replies is True  # Slack
    text = render_text(listing)
    assert f'feed: {FEED} only: actor:"Hanna Vogt" AND -sport (' in text
    assert "Link replies: on" in text
    await run(stack, "/links off")
    assert "Link replies: off" in render_text(await run(stack, "/subscriptions"))


@pytest.mark.asyncio
async def test_opml_keeps_the_filter_in_the_projects_namespace(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock
) -> None:
    source.put(FEED, [entry("bridge", BRIDGE_A, clock.now())])
    await run(stack, f'/subscribe {FEED} only:actor:"Hanna Vogt" OR bridge')
    exported = await run(stack, "/export-opml")
    assert isinstance(exported, OpmlExported)
    assert 'xmlns:newsdigest="https://newsdigest.invalid/opml"' in exported.document
    assert 'newsdigest:only="actor:&quot;Hanna Vogt&quot; OR bridge"' in exported.document
    imported = await run(stack, "/import-opml", exported.document, where=ELSEWHERE)
    assert isinstance(imported, OpmlImported) and len(imported.added) == 1
    assert imported.added[0].filter == 'actor:"Hanna Vogt" OR bridge'


@pytest.mark.asyncio
async def test_an_imported_filter_that_does_not_parse_leaves_its_feed_out(stack: Stack) -> None:
    document = (
        '<opml version="2.0" xmlns:newsdigest="https://newsdigest.invalid/opml"><body>'
        f'<outline xmlUrl="{FEED}" newsdigest:only="(bridge"/>'
        '<outline xmlUrl="https://harbour-times.example/rss"/></body></opml>'
    )
    imported = await run(stack, "/import-opml", document)
    assert isinstance(imported, OpmlImported)
    assert [sub.target for sub in imported.added] == ["https://harbour-times.example/rss"]
    assert imported.unreadable == (FEED,)
    assert "Not imported: 1 whose only: filter does not parse" in render_text(imported)


WORDS = st.from_regex(r"-?[A-Za-z][a-z]{0,12}", fullmatch=True)


@given(
    head=st.from_regex(r"https://[a-z]{1,10}\.example/[a-z]{0,10}( [1-9])?", fullmatch=True),
    marker=st.from_regex(_ONLY, fullmatch=True).map(str.strip),
    gap=st.sampled_from([" ", "  ", "\t"]),
    words=st.lists(WORDS, min_size=1, max_size=4),
)
def test_only_splits_off_at_its_marker_in_any_case_and_spacing(
    head: str, marker: str, gap: str, words: list[str]
) -> None:
    text = " ".join(["climate", *words])
    target, only = split_only(f"{head}{gap}{marker}{text}")
    assert target == head and only == parse_filter(text)


# --- selection on hand-made stories: which article of a story a filter looks at -------------

SINCE = datetime(2024, 5, 1, tzinfo=UTC)


def article(feed_id: int, text: str, *, minutes: int = 10, backfill: bool = False) -> Article:
    return Article(
        url=f"https://example.org/{feed_id}/{minutes}",
        title=None,
        source="example.org",
        published=None,
        ingested_at=SINCE + timedelta(minutes=minutes),
        content_hash="",
        summary=(),
        actors=(Actor("Esker River", ActorKind.PLACE, 1),),
        text=text,
        feed_id=feed_id,
        backfill=backfill,
    )


def feed_sub(feed_id: int, only: str | None) -> Subscription:
    return Subscription(feed_id, 1, SubscriptionKind.FEED, f"feed{feed_id}", SINCE, feed_id, only)


def test_a_filtered_feed_lets_through_only_its_own_matching_articles() -> None:
    interests = Interests.of([feed_sub(1, "bridge"), feed_sub(2, None)])
    matching = Story(1, (article(1, "the bridge closed"),))
    off_topic = Story(2, (article(1, "a choir sang"),))
    # the filtered feed's item is off topic; another outlet's article on the bridge does not
    # carry it through (that outlet's feed is not followed here)
    carried = Story(3, (article(1, "a choir sang"), article(9, "the bridge closed")))
    unfiltered = Story(4, (article(2, "a choir sang"),))
    for check in (relevant, deliverable):
        assert [
            s.id for s in (matching, off_topic, carried, unfiltered) if check(s, interests)
        ] == [
            1,
            4,
        ]
    places = Interests.of([feed_sub(1, "place:Esker")])
    assert deliverable(off_topic, places)
    all_but_choirs = Interests.of([feed_sub(1, "-choir")])  # a feed may exclude only
    assert deliverable(matching, all_but_choirs) and not deliverable(off_topic, all_but_choirs)
    history = Story(5, (article(1, "the bridge closed", backfill=True),))
    assert relevant(history, interests) and not deliverable(history, interests)


def test_a_stored_filter_that_no_longer_parses_drops_the_feed_not_widens_it() -> None:
    broken = replace(feed_sub(1, None), filter="(bridge")
    story = Story(1, (article(1, "the bridge closed"),))
    assert not relevant(story, Interests.of([broken]))

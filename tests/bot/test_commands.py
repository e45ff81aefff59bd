"""Platform-neutral commands: results, and one-line errors with a correct example."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.commands.handlers import (
    CommandError,
    CommandRequest,
    DigestReply,
    HelpReply,
    OpmlExported,
    OpmlImported,
    SettingsChanged,
    Subscribed,
    SubscriptionList,
    Unsubscribed,
)
from bot.commands.spec import command_line
from bot.domain import Destination, DigestLayout, DigestMode, Platform, SubscriptionKind
from bot.fakes import FakePublisher, MemoryFeedSource
from bot.feeds.local import LocalFeedSource, RoutedFeedSource
from bot.ports import FeedError
from bot.render.text import render_text
from bot.render.titles import digest_title
from bot.store.memory import MemoryStore
from summaries import Analyzer
from tests.conftest import EXAMPLES
from tests.support.samples import BRIDGE_A, BRIDGE_B, CHOIR_A, entry, later
from tests.support.stack import CHANNEL, Stack, build

pytestmark = pytest.mark.asyncio

FEED = "https://lindmoor-post.example/feed.xml"
OTHER = "https://harbour-times.example/rss"


@pytest.fixture
def stack(
    analyzer: Analyzer, source: MemoryFeedSource, clock: FakeClock, publisher: FakePublisher
) -> Stack:
    routed = RoutedFeedSource(source, LocalFeedSource([EXAMPLES]))
    return build(MemoryStore(), routed, analyzer, clock, publisher)


async def run(stack: Stack, text: str, attachment: str | None = None) -> object:
    return await stack.commands.handle(CommandRequest(CHANNEL, text, attachment))


async def test_subscribe_to_feeds_and_digest_clusters_their_stories(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock
) -> None:
    source.put(FEED, [entry("bridge", BRIDGE_A, clock.now()), entry("choir", CHOIR_A, clock.now())])
    source.put(
        OTHER, [entry("bridge", BRIDGE_B, later(clock.now(), 1), host="harbour-times.example")]
    )
    first = await run(stack, f"/subscribe {FEED}")
    second = await run(stack, f"subscribe {OTHER}")
    assert isinstance(first, Subscribed) and first.new_articles == 2 and first.feed is not None
    assert isinstance(second, Subscribed) and second.subscription.kind is SubscriptionKind.FEED
    reply = await run(stack, "/digest")
    assert isinstance(reply, DigestReply)
    entries = reply.digest.entries
    assert [entry.covered_by for entry in entries] == [2, 1]
    assert {link.url for link in entries[0].sources} == {
        "https://lindmoor-post.example/bridge",
        "https://harbour-times.example/bridge",
    }
    assert "Hanna Vogt (transport director)" in entries[0].actors
    assert entries[0].summary and entries[0].dates


async def test_digest_takes_a_topic_and_a_window(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock
) -> None:
    source.put(FEED, [entry("bridge", BRIDGE_A, clock.now()), entry("choir", CHOIR_A, clock.now())])
    await run(stack, f"/subscribe {FEED}")
    clock.advance(timedelta(hours=3))
    choir = await run(stack, '/digest actor:"Ruth Amsel" OR choir 4h')
    assert isinstance(choir, DigestReply) and choir.topic == 'actor:"Ruth Amsel" OR choir'
    assert [e.headline for e in choir.digest.entries] == ["Choir"]
    assert digest_title(choir.digest) == 'Digest: actor:"Ruth Amsel" OR choir, last 4 hours'
    stale = await run(stack, "/digest 2h")
    assert isinstance(stale, DigestReply) and stale.digest.entries == ()


async def test_topic_subscriptions_list_and_unsubscribe(stack: Stack) -> None:
    topic = await run(stack, "/subscribe place:Lindmoor bridge -football")
    assert isinstance(topic, Subscribed)
    assert topic.subscription.target == "place:Lindmoor AND bridge AND -football"
    listed = await run(stack, "/subscriptions")
    assert isinstance(listed, SubscriptionList) and len(listed.items) == 1
    gone = await run(stack, f"/unsubscribe {topic.subscription.id}")
    assert isinstance(gone, Unsubscribed)
    listed = await run(stack, "/subscriptions")
    assert isinstance(listed, SubscriptionList) and listed.items == ()


async def test_subscriptions_show_feed_health(stack: Stack, source: MemoryFeedSource) -> None:
    source.failures[FEED] = FeedError(FEED, "HTTP 503")
    reply = await run(stack, f"/subscribe {FEED}")
    assert isinstance(reply, Subscribed) and reply.error == "HTTP 503"  # kept: may recover
    listed = await run(stack, "/subscriptions")
    assert isinstance(listed, SubscriptionList)
    feed = listed.items[0].feed
    assert feed is not None and feed.last_error == "HTTP 503" and feed.errors == 1


async def test_a_feed_that_can_never_work_is_not_subscribed(stack: Stack) -> None:
    reply = await run(stack, "/subscribe /etc/passwd.xml")
    assert isinstance(reply, CommandError)
    assert "local files are read only from the demo folders" in reply.message
    missing = await run(stack, f"/subscribe {FEED}")  # MemoryFeedSource: 404, permanent
    assert isinstance(missing, CommandError) and "HTTP 404" in missing.message
    listed = await run(stack, "/subscriptions")
    assert isinstance(listed, SubscriptionList) and listed.items == ()


async def test_the_bundled_demo_feed_is_read_from_disk(stack: Stack) -> None:
    reply = await run(stack, f"/subscribe {EXAMPLES / 'feeds' / 'world.xml'}")
    assert isinstance(reply, Subscribed) and reply.new_articles == 7
    digest = await run(stack, "/digest")
    assert isinstance(digest, DigestReply)
    covered = {e.headline: e.covered_by for e in digest.digest.entries}
    assert len(covered) == 6 and sorted(covered.values()) == [1, 1, 1, 1, 1, 2]
    assert "Iraq Wants to Kick Out US Troops" in covered
    french = next(e for e in digest.digest.entries if e.headline.startswith("Saint-Arlon"))
    assert french.summary[0].startswith("Le pont suspendu de Saint-Arlon a rouvert")


async def test_schedule_and_mode(stack: Stack, clock: FakeClock) -> None:
    reply = await run(stack, "/schedule 07:30 Europe/Berlin mon-fri max=4")
    assert isinstance(reply, SettingsChanged)
    settings = reply.settings
    assert (settings.digest_time, settings.timezone) == (time(7, 30), "Europe/Berlin")
    assert settings.weekdays == frozenset(range(5)) and settings.max_stories == 4
    assert reply.next_digest is not None and reply.next_digest > clock.now()
    live = await run(stack, "/mode live 3")
    assert isinstance(live, SettingsChanged)
    assert live.settings.mode is DigestMode.LIVE and live.settings.live_limit == 3
    assert live.settings.timezone == "Europe/Berlin"


async def test_schedule_chooses_the_layout_and_subscriptions_show_it(stack: Stack) -> None:
    listed = await run(stack, "/subscriptions")
    assert isinstance(listed, SubscriptionList) and listed.layout is DigestLayout.THREAD
    assert "Digest layout: thread" in render_text(listed)
    reply = await run(stack, "/schedule 08:00 layout:inline")
    assert isinstance(reply, SettingsChanged) and reply.settings.layout is DigestLayout.INLINE
    assert "; layout inline;" in render_text(reply)
    kept = await run(stack, "/schedule 09:00 max=3")
    assert isinstance(kept, SettingsChanged) and kept.settings.layout is DigestLayout.INLINE
    back = await run(stack, "/schedule 09:00 LAYOUT:Thread")
    assert isinstance(back, SettingsChanged) and back.settings.layout is DigestLayout.THREAD


async def test_opml_round_trip(stack: Stack, tmp_path: Path) -> None:
    opml = f"""<?xml version="1.0"?><opml version="2.0"><head/><body>
      <outline text="News"><outline text="Lindmoor" xmlUrl="{FEED}"/>
      <outline text="Harbour" xmlUrl="{OTHER}"/></outline></body></opml>"""
    imported = await run(stack, "/import-opml", opml)
    assert isinstance(imported, OpmlImported) and len(imported.added) == 2
    again = await run(stack, "/import-opml", opml)
    assert isinstance(again, OpmlImported) and again.already == (FEED, OTHER)
    exported = await run(stack, "/export-opml")
    assert isinstance(exported, OpmlExported) and exported.feeds == 2
    assert f'xmlUrl="{FEED}"' in exported.document
    round_trip = await run(stack, "/import-opml", exported.document)
    assert isinstance(round_trip, OpmlImported) and len(round_trip.already) == 2


async def test_help_lists_every_command(stack: Stack) -> None:
    reply = await run(stack, "/help")
    assert isinstance(reply, HelpReply)
    assert {spec.name for spec in reply.specs} >= {
        "digest",
        "subscribe",
        "unsubscribe",
        "subscriptions",
        "schedule",
        "import-opml",
        "export-opml",
        "help",
    }
    one = await run(stack, "/help /schedule")
    assert isinstance(one, HelpReply) and [s.name for s in one.specs] == ["schedule"]


@pytest.mark.parametrize(
    ("text", "message", "example"),
    [
        ("/frobnicate", "unknown command 'frobnicate'", "/help"),
        ("/subscribe", "needs a feed URL, a site or a topic", "/subscribe https://"),
        ('/subscribe actor:"Joe', "quote is not closed", "/subscribe https://"),
        ("/subscribe -sport", "not only exclusions", "/subscribe https://"),
        ("/unsubscribe three", "needs a subscription id (a number)", "/unsubscribe 3"),
        ("/unsubscribe 42", "has no subscription 42", "/unsubscribe 3"),
        ("/schedule", "needs a time like 09:00", "/schedule 09:00"),
        ("/schedule 9am", "'9am' is not a 24-hour time", "/schedule 09:00"),
        ("/schedule 09:00 Mars/Base", "is not an IANA timezone", "/schedule 09:00"),
        ("/schedule 09:00 UTC max=0", "max must be a whole number from 1 to 50", "/schedule"),
        ("/schedule 09:00 layout:sideways", "layout is thread or inline", "/schedule"),
        ("/mode loud", "mode is quiet or live", "/mode live 5"),
        ("/digest 90d", "within the last 30 days", "/digest"),
        ("/digest (ceasefire", "bracket is not closed", "/digest"),
        ("/import-opml", "attach an OPML file", "/import-opml"),
        ("/help nothing", "no command 'nothing'", "/help schedule"),
    ],
)
async def test_argument_errors_are_one_line_with_an_example(
    stack: Stack, text: str, message: str, example: str
) -> None:
    reply = await run(stack, text)
    assert isinstance(reply, CommandError)
    assert message in reply.message
    assert command_line(reply.example).startswith(example)
    assert "\n" not in reply.message


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("not xml", "not well-formed XML"),
        ("<rss/>", "not <opml>"),
        ('<!DOCTYPE x [<!ENTITY a "b">]><opml/>', "DOCTYPE"),
        ("<opml><body><outline text='x'/></body></opml>", "no outline has an xmlUrl"),
    ],
)
async def test_bad_opml_is_explained(stack: Stack, document: str, message: str) -> None:
    reply = await run(stack, "/import-opml", document)
    assert isinstance(reply, CommandError) and message in reply.message


@pytest.mark.parametrize("platform", [Platform.SLACK, Platform.DISCORD])
async def test_listings_and_exports_keep_to_the_invoking_channel(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock, platform: Platform
) -> None:
    source.put(FEED, [entry("bridge", BRIDGE_A, clock.now())])
    source.put(OTHER, [entry("bridge", BRIDGE_B, clock.now(), host="harbour-times.example")])
    mine, theirs = Destination(platform, "W1", "100"), Destination(platform, "W1", "200")
    for where, text in ((mine, f"subscribe {FEED}"), (theirs, f"subscribe {OTHER}")):
        assert isinstance(await stack.commands.handle(CommandRequest(where, text)), Subscribed)
    await stack.commands.handle(CommandRequest(theirs, "subscribe Merger talks"))
    listing = await stack.commands.handle(CommandRequest(mine, "subscriptions"))
    assert isinstance(listing, SubscriptionList)
    assert [item.subscription.target for item in listing.items] == [FEED]
    exported = await stack.commands.handle(CommandRequest(mine, "export-opml"))
    assert isinstance(exported, OpmlExported) and exported.feeds == 1
    assert FEED in exported.document and OTHER not in exported.document
    record = await stack.engine.destination(mine)
    assert [sub.target for sub in await stack.engine.completions(record)] == [FEED]


async def test_only_a_managing_command_that_succeeds_resumes_a_paused_channel(
    stack: Stack, clock: FakeClock
) -> None:
    record = await stack.channel()
    for _ in range(3):
        await stack.store.record_refusal(record.id, "not_in_channel", clock.now(), 3)
    listing = await run(stack, "subscriptions")
    assert isinstance(listing, SubscriptionList) and listing.paused_reason == "not_in_channel"
    assert isinstance(await run(stack, "schedule 25:00"), CommandError)
    assert (await stack.channel()).paused_at is not None, "a refused command changes nothing"
    assert isinstance(await run(stack, "schedule 09:00"), SettingsChanged)
    resumed = await stack.channel()
    assert (resumed.refusals, resumed.paused_at, resumed.paused_reason) == (0, None, None)

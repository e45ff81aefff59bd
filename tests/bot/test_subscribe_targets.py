"""What /subscribe follows: a URL, a web address typed without `https://`, a path, or a topic."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.clock import FakeClock
from bot.commands.arguments import _WEB_ADDRESS, FeedTarget, feed_target
from bot.commands.handlers import CommandRequest, FeedChoices, Subscribed
from bot.fakes import FakePublisher, MemoryFeedSource
from bot.ports import ArticleBody, FeedLink, NotAFeedError
from bot.render.text import render_text
from bot.store.memory import MemoryStore
from summaries import Analyzer
from tests.support.samples import BRIDGE_A, entry
from tests.support.stack import CHANNEL, Stack, build


@given(st.from_regex(_WEB_ADDRESS, fullmatch=True))
def test_a_web_address_without_a_scheme_is_https(address: str) -> None:
    assert feed_target(address) == FeedTarget(f"https://{address}")


@given(st.from_regex(_WEB_ADDRESS, fullmatch=True), st.integers(1, 99))
def test_a_number_after_a_web_address_picks_a_feed(address: str, pick: int) -> None:
    assert feed_target(f"{address} {pick}") == FeedTarget(f"https://{address}", pick)


@given(st.from_regex(r"[A-Za-z][a-z]{0,20}", fullmatch=True))
def test_a_bare_word_stays_a_topic(word: str) -> None:
    assert feed_target(word) is None


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("example.com/rss", FeedTarget("https://example.com/rss")),
        ("example.com/rss.xml", FeedTarget("https://example.com/rss.xml")),
        ("news.example.org:8080/world?x=1", FeedTarget("https://news.example.org:8080/world?x=1")),
        ("http://example.com/feed 2", FeedTarget("http://example.com/feed", 2)),
        ("examples/feeds/world.xml", FeedTarget("examples/feeds/world.xml")),
        ("world.xml", FeedTarget("world.xml")),
        ("floods", None),
        ("floods 2", None),
        ("U.S.", None),
        ("place:U.S.", None),
        ("e.g", None),
        ("flood example.com", None),
        ('actor:"Joe Biden"', None),
    ],
)
def test_feed_targets_and_topics(text: str, target: FeedTarget | None) -> None:
    assert feed_target(text) == target


HOME = """<html><head><link rel="alternate" type="application/rss+xml" title="World"
href="/world.xml"><link rel="alternate" type="application/atom+xml" href="/sport.atom">
</head><body></body></html>"""


@pytest.fixture
def stack(
    analyzer: Analyzer, source: MemoryFeedSource, clock: FakeClock, publisher: FakePublisher
) -> Stack:
    return build(MemoryStore(), source, analyzer, clock, publisher)


@pytest.mark.asyncio
async def test_a_site_typed_without_a_scheme_lists_its_feeds_and_a_number_follows_one(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock
) -> None:
    source.failures["https://example.com"] = NotAFeedError("https://example.com", "not a feed")
    source.pages["https://example.com"] = ArticleBody(html=HOME)
    source.put("https://example.com/world.xml", [entry("bridge", BRIDGE_A, clock.now())])
    listing = await stack.commands.handle(CommandRequest(CHANNEL, "/subscribe example.com"))
    assert listing == FeedChoices(
        "https://example.com",
        (
            FeedLink("https://example.com/world.xml", "World"),
            FeedLink("https://example.com/sport.atom"),
        ),
    )
    assert "1. World <https://example.com/world.xml>" in render_text(listing)
    picked = await stack.commands.handle(CommandRequest(CHANNEL, "/subscribe example.com 1"))
    assert isinstance(picked, Subscribed) and picked.new_articles == 1
    assert picked.subscription.target == "https://example.com/world.xml"


@pytest.mark.asyncio
async def test_a_redirected_page_resolves_its_links_and_common_paths_where_it_says_it_is(
    stack: Stack, source: MemoryFeedSource, clock: FakeClock
) -> None:
    source.failures["https://example.com"] = NotAFeedError("https://example.com", "not a feed")
    moved = "https://www.example.com/en/"
    source.pages["https://example.com"] = ArticleBody(html="<p>no links</p>", canonical_url=moved)
    source.put("https://www.example.com/rss.xml", [entry("bridge", BRIDGE_A, clock.now())])
    reply = await stack.commands.handle(CommandRequest(CHANNEL, "/subscribe example.com"))
    assert isinstance(reply, Subscribed)
    assert reply.subscription.target == "https://www.example.com/rss.xml"
    assert source.fetched[-3:-1] == [
        "https://www.example.com/feed",
        "https://www.example.com/rss.xml",
    ]

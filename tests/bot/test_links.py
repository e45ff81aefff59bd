"""Shared links: read through the FeedSource port, analyzed like feed articles, never stored."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.app import engine_options
from bot.clock import FakeClock
from bot.commands.handlers import CommandRequest
from bot.commands.links import NOTHING_TO_DIGEST, LinkFailed, LinkReader
from bot.config import load_settings
from bot.domain import Destination, DigestKind, Platform
from bot.fakes import FakePublisher, MemoryFeedSource
from bot.ports import ArticleBody
from bot.render.titles import LINK_TITLE, digest_title
from bot.store.memory import MemoryStore
from summaries import Analyzer
from tests.support.samples import BRIDGE_A
from tests.support.stack import build

pytestmark = pytest.mark.asyncio

URL = "https://lindmoor-post.example/bridge?utm_source=chat"
CANONICAL = "https://lindmoor-post.example/bridge"
NOW = datetime(2024, 1, 5, 9, 0, tzinfo=UTC)
PAGE = f"""<!doctype html><html><head><title>Lindmoor shuts its swing bridge</title>
<link rel="canonical" href="{CANONICAL}"></head><body><article><h1>Lindmoor shuts its swing
bridge</h1><p>{BRIDGE_A}</p></article></body></html>"""


def reader(source: MemoryFeedSource, analyzer: Analyzer) -> tuple[LinkReader, MemoryStore]:
    store = MemoryStore()
    stack = build(store, source, analyzer, FakeClock(NOW), FakePublisher())
    return LinkReader(stack.engine), store


async def test_a_page_becomes_a_one_story_digest(analyzer: Analyzer) -> None:
    source = MemoryFeedSource()
    source.pages[URL] = ArticleBody(html=PAGE, canonical_url=CANONICAL)
    links, store = reader(source, analyzer)
    digest = await links.digest(URL)
    assert not isinstance(digest, LinkFailed)
    assert digest.kind is DigestKind.LINK and digest_title(digest) == LINK_TITLE
    (story,) = digest.entries
    assert story.headline == "Lindmoor shuts its swing bridge"
    assert story.summary and "Hanna Vogt" in story.actors
    assert [link.url for link in story.sources] == [CANONICAL]
    assert story.sources[0].outlet == "lindmoor-post.example"
    assert await store.recent_articles(NOW.replace(year=2000)) == []


async def test_an_unreadable_link_says_why(analyzer: Analyzer) -> None:
    links, _ = reader(MemoryFeedSource(), analyzer)  # it serves no page: HTTP 404
    assert await links.digest(URL) == LinkFailed(URL, "HTTP 404")


async def test_a_page_without_text_says_there_is_nothing_to_digest(analyzer: Analyzer) -> None:
    source = MemoryFeedSource()
    source.pages[URL] = ArticleBody(text="")
    links, _ = reader(source, analyzer)
    assert await links.digest(URL) == LinkFailed(URL, NOTHING_TO_DIGEST)


async def test_link_replies_default_per_platform_from_the_settings_until_a_channel_chooses(
    analyzer: Analyzer,
) -> None:
    options = engine_options(load_settings(slack_link_replies=False, discord_link_replies=True))
    assert options.link_replies == {Platform.SLACK: False, Platform.DISCORD: True}
    assert engine_options(load_settings()).link_replies == {
        Platform.SLACK: True,
        Platform.DISCORD: False,
    }
    store = MemoryStore()
    stack = build(store, MemoryFeedSource(), analyzer, FakeClock(NOW), FakePublisher(), options)
    links = LinkReader(stack.engine)
    slack, discord = (
        Destination(Platform.SLACK, "T1", "C1"),
        Destination(Platform.DISCORD, "G", "1"),
    )
    assert not await links.wanted(slack) and await links.wanted(discord)
    assert await store.destinations() == []  # asking stored no channel
    await stack.commands.handle(CommandRequest(slack, "/links on"))
    await stack.commands.handle(CommandRequest(discord, "/links off"))
    assert await links.wanted(slack) and not await links.wanted(discord)

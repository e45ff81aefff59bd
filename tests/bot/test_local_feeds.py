"""Feeds on disk: the standard-library reader, the folder guard, routing by URL scheme."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.feeds.htmltext import html_to_text
from bot.feeds.local import LocalFeedSource, RoutedFeedSource, parse_feed_xml
from bot.feeds.parse import parse_feed
from bot.ports import FeedEntry, FeedError, Validators
from tests.conftest import EXAMPLES

ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom news</title>
<entry><title>One</title><id>tag:a,2024:1</id><link rel="alternate" href="https://a.example/1"/>
<published>2024-01-05T10:00:00+01:00</published><summary>Short.</summary></entry>
<entry><title>No link</title><id>tag:a,2024:2</id></entry></feed>"""


@pytest.mark.asyncio
async def test_the_demo_feed_parses_with_relative_links_resolved() -> None:
    source = LocalFeedSource([EXAMPLES])
    poll = await source.fetch(str(EXAMPLES / "feeds" / "world.xml"), Validators())
    assert poll.title == "newsdigest demo: world" and poll.interval == timedelta(minutes=60)
    assert len(poll.entries) == 7
    seed = poll.entries[-1]
    assert seed.url == str(EXAMPLES / "iraq-us-troops.txt")
    assert seed.published == datetime(2024, 1, 5, 16, 0, tzinfo=UTC)
    body = await source.article(seed)
    assert body.text is not None and body.text.startswith("Iraq Wants to Kick Out US Troops")
    again = await source.fetch(str(EXAMPLES / "feeds" / "world.xml"), Validators(poll.etag))
    assert again.not_modified


def test_atom_entries_and_times() -> None:
    poll = parse_feed_xml(ATOM, "https://a.example/atom")
    assert poll.title == "Atom news"
    assert [e.url for e in poll.entries] == ["https://a.example/1"]  # linkless entries dropped
    assert poll.entries[0].published == datetime(2024, 1, 5, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'<!DOCTYPE r [<!ENTITY x "y">]><rss><channel/></rss>', "DOCTYPE"),
        (b"<rss><channel>", "not well-formed XML"),
        (b"<html><body/></html>", "is not an RSS or Atom feed"),
    ],
)
def test_what_is_not_a_feed_is_refused_for_good(data: bytes, reason: str) -> None:
    with pytest.raises(FeedError) as caught:
        parse_feed_xml(data, "feed.xml")
    assert reason in caught.value.reason and caught.value.permanent


@pytest.mark.asyncio
async def test_files_outside_the_allowed_folders_are_refused(tmp_path: Path) -> None:
    source = LocalFeedSource([tmp_path / "feeds"])
    (tmp_path / "feeds").mkdir()
    (tmp_path / "secret.xml").write_text("<rss><channel/></rss>")
    for path in (tmp_path / "secret.xml", tmp_path / "feeds" / ".." / "secret.xml"):
        with pytest.raises(FeedError, match="read only from the demo folders"):
            await source.fetch(str(path), Validators())
    with pytest.raises(FeedError, match="no such file"):
        await source.fetch(str(tmp_path / "feeds" / "missing.xml"), Validators())
    with pytest.raises(FeedError, match="read only from the demo folders"):
        await source.article(FeedEntry(url="/etc/passwd"))


@pytest.mark.asyncio
async def test_routing_refuses_what_is_not_enabled() -> None:
    routed = RoutedFeedSource(None, LocalFeedSource([EXAMPLES]))
    with pytest.raises(FeedError, match="web feeds are not enabled") as caught:
        await routed.fetch("https://example.com/feed.xml", Validators())
    assert caught.value.permanent
    with pytest.raises(FeedError, match="local files are not enabled"):
        await RoutedFeedSource(None, None).fetch("feed.xml", Validators())


def test_feed_html_becomes_readable_text() -> None:
    fragment = "<p>First &amp; <b>bold</b>.</p><script>alert(1)</script><p>Second</p>"
    assert html_to_text(fragment) == "First & bold.\nSecond"
    assert html_to_text("plain &lt;text&gt;") == "plain <text>"


def test_feeds_declare_their_language_and_items_may_override_it() -> None:
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"<language>fr-FR</language><item><title>a</title><link>https://x.example/a</link>"
        b"<description>d</description></item></channel></rss>"
    )
    poll = parse_feed(rss, "https://x.example/feed")
    assert (poll.language, poll.entries[0].language) == ("fr-FR", "fr-FR")
    atom = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">'
        b'<title>t</title><entry xml:lang="es"><title>a</title><link href="https://x.example/a"/>'
        b"<summary>s</summary></entry></feed>"
    )
    assert parse_feed(atom, "https://x.example/feed").entries[0].language == "es"
    undeclared = rss.replace(b"<language>fr-FR</language>", b"")
    assert parse_feed(undeclared, "https://x.example/feed").entries[0].language is None

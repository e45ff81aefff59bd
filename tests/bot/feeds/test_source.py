"""HttpFeedSource against a loopback server: RSS, Atom, JSON Feed, pages, charsets, non-feeds."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio
from aiohttp import web

from bot.feeds.http import FetchOptions
from bot.feeds.parse import parse_feed
from bot.feeds.source import HttpFeedSource, open_http_feed_source
from bot.ports import FeedEntry, FeedError, Validators
from tests.support.loopback import serve_on_loopback

pytestmark = pytest.mark.asyncio

RSS2 = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Lindmoor Post</title><ttl>30</ttl>
<item><title>Bridge reopens</title><link>/news/bridge?utm_source=rss#top</link>
<guid isPermaLink="false">b-1</guid><pubDate>Fri, 05 Jan 2024 08:00:00 +0100</pubDate>
<description>&lt;p&gt;The &lt;b&gt;bridge&lt;/b&gt; reopened.&lt;/p&gt;</description></item>
<item><title>No date</title><link>https://lindmoor.example/news/nodate</link></item>
<item><title>No link at all</title><description>orphan</description></item>
</channel></rss>"""

RSS1 = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<channel rdf:about="http://x.example/"><title>RDF News</title>
<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>2</sy:updateFrequency></channel>
<item rdf:about="http://x.example/1"><title>One</title><link>http://x.example/1</link></item>
</rdf:RDF>"""

RSS091 = """<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="0.91"><channel><title>Caf\xe9 News</title>
<item><title>Caf\xe9 opens</title><link>http://x.example/cafe</link></item></channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom News</title>
<entry><title>Atom one</title><id>urn:uuid:1</id><link rel="alternate" href="story/1"/>
<updated>2024-01-04T10:00:00Z</updated><content type="html">&lt;p&gt;Full text&lt;/p&gt;</content>
</entry></feed>"""

JSON_FEED = """{"version": "https://jsonfeed.org/version/1.1", "title": "JSON News",
 "items": [{"id": "j1", "url": "/j/1", "title": "Json one", "content_text": "Hello.",
            "date_published": "2024-01-03T09:00:00Z"}, {"id": "no-url"}, "junk"]}"""

PAGE = """<!doctype html><html><head><title>Story</title>
<link rel="alternate" type="application/rss+xml" href="/feed.xml"></head>
<body><p>Na\u00efve caf\u00e9 story.</p></body></html>"""


RSS2_CAFE = """<?xml version="1.0"?><rss version="2.0"><channel><title>Caf\xe9 News</title>
<item><title>Caf\xe9 opens at last</title><link>http://x.example/cafe</link></item>
</channel></rss>"""


def served(body: str | bytes, content_type: str, status: int = 200) -> web.Response:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return web.Response(body=data, status=status, headers={"Content-Type": content_type})


ROUTES: dict[str, tuple[str | bytes, str]] = {
    "/rss2.xml": (RSS2, "application/rss+xml"),
    "/rss1.xml": (RSS1, "application/rdf+xml"),
    "/rss091.xml": (RSS091.encode("latin-1"), "text/xml"),
    "/atom/index.xml": (ATOM, "application/atom+xml"),
    "/feed.json": (JSON_FEED, "application/feed+json"),
    "/page.html": (PAGE, "text/html; charset=utf-8"),
    "/latin1.html": (PAGE.replace("\u00ef", "i").encode("latin-1"), "text/html"),
    "/wrong-charset.html": (PAGE, "text/html; charset=nonsense-42"),
    "/image.png": (b"\x89PNG\r\n", "image/png"),
    "/latin1-said-utf8.xml": (RSS2_CAFE.encode("latin-1"), "application/rss+xml; charset=utf-8"),
    "/utf8-said-latin1.xml": (RSS2_CAFE, "application/rss+xml; charset=iso-8859-1"),
    "/bogus-charset.xml": (RSS2_CAFE.encode("latin-1"), "text/xml; charset=nonsense-42"),
    "/cp1252-as-text.xml": (
        RSS2_CAFE.replace("?>", ' encoding="windows-1252"?>', 1).encode("cp1252"),
        "text/plain",
    ),
    "/amp/story": (
        PAGE.replace("<head>", '<head><link rel="canonical" href="/story">'),
        "text/html",
    ),
}


@pytest_asyncio.fixture
async def source() -> AsyncIterator[tuple[HttpFeedSource, str]]:
    async def handler(request: web.Request) -> web.Response:
        if request.headers.get("If-None-Match") == '"same"':
            return web.Response(status=304)
        body, kind = ROUTES[request.path]
        response = served(body, kind)
        response.headers["ETag"] = '"same"'
        return response

    app = web.Application()
    app.router.add_get("/{tail:.*}", handler)
    options = FetchOptions(total_timeout=2, connect_timeout=1)
    async with (
        serve_on_loopback(app) as base,
        open_http_feed_source("127.0.0.1", options) as feeds,
    ):
        yield feeds, base


async def test_rss2_items_links_dates_and_ttl(source: tuple[HttpFeedSource, str]) -> None:
    feeds, base = source
    poll = await feeds.fetch(f"{base}/rss2.xml", Validators())
    assert poll.title == "Lindmoor Post" and poll.interval == timedelta(minutes=30)
    assert poll.etag == '"same"' and not poll.not_modified
    first, second = poll.entries  # the item without any link is dropped
    assert first.url == f"{base}/news/bridge"
    assert first.published == datetime(2024, 1, 5, 7, 0, tzinfo=UTC)
    assert first.guid == "b-1" and "<b>bridge</b>" in (first.summary or "")
    assert second.published is None


async def test_not_modified_keeps_the_validators(source: tuple[HttpFeedSource, str]) -> None:
    feeds, base = source
    poll = await feeds.fetch(f"{base}/rss2.xml", Validators(etag='"same"'))
    assert poll.not_modified and poll.entries == () and poll.etag == '"same"'


async def test_rss1_and_syndication_interval(source: tuple[HttpFeedSource, str]) -> None:
    feeds, base = source
    poll = await feeds.fetch(f"{base}/rss1.xml", Validators())
    assert [entry.url for entry in poll.entries] == ["http://x.example/1"]
    assert poll.interval == timedelta(minutes=30)


async def test_rss091_in_latin1_with_a_missing_charset(source: tuple[HttpFeedSource, str]) -> None:
    feeds, base = source
    poll = await feeds.fetch(f"{base}/rss091.xml", Validators())
    assert poll.title == "Café News" and poll.entries[0].title == "Café opens"


@pytest.mark.parametrize(
    "path",
    ["/latin1-said-utf8.xml", "/utf8-said-latin1.xml", "/bogus-charset.xml", "/cp1252-as-text.xml"],
)
async def test_feeds_with_wrong_charsets_still_read(
    source: tuple[HttpFeedSource, str], path: str
) -> None:
    feeds, base = source
    poll = await feeds.fetch(f"{base}{path}", Validators())
    assert poll.title == "Café News"
    assert poll.entries[0].title == "Café opens at last"


async def test_atom_relative_links_and_content(source: tuple[HttpFeedSource, str]) -> None:
    feeds, base = source
    (entry,) = (await feeds.fetch(f"{base}/atom/index.xml", Validators())).entries
    assert entry.url == f"{base}/atom/story/1"
    assert entry.content == "<p>Full text</p>" and entry.guid == "urn:uuid:1"


async def test_json_feed(source: tuple[HttpFeedSource, str]) -> None:
    feeds, base = source
    poll = await feeds.fetch(f"{base}/feed.json", Validators())
    (entry,) = poll.entries
    assert (poll.title, entry.url, entry.content) == ("JSON News", f"{base}/j/1", "Hello.")
    assert entry.published == datetime(2024, 1, 3, 9, 0, tzinfo=UTC)


async def test_html_served_as_a_feed_names_the_real_feed(
    source: tuple[HttpFeedSource, str],
) -> None:
    feeds, base = source
    with pytest.raises(FeedError) as failed:
        await feeds.fetch(f"{base}/page.html", Validators())
    assert failed.value.permanent
    assert failed.value.reason == f"not a feed: the page is HTML; its feed is {base}/feed.xml"


async def test_article_pages_decode_with_any_charset(source: tuple[HttpFeedSource, str]) -> None:
    feeds, base = source
    for path in ("/page.html", "/wrong-charset.html"):
        body = await feeds.article(FeedEntry(url=f"{base}{path}"))
        assert body.html is not None and "Naïve café story." in body.html
    latin = await feeds.article(FeedEntry(url=f"{base}/latin1.html"))
    assert latin.html is not None and "Naive caf" in latin.html


async def test_an_article_page_names_its_canonical_url(
    source: tuple[HttpFeedSource, str],
) -> None:
    feeds, base = source
    body = await feeds.article(FeedEntry(url=f"{base}/amp/story"))
    assert body.canonical_url == f"{base}/story"
    assert (await feeds.article(FeedEntry(url=f"{base}/page.html"))).canonical_url is None


async def test_a_non_html_article_is_an_error_the_ingestor_falls_back_on(
    source: tuple[HttpFeedSource, str],
) -> None:
    feeds, base = source
    with pytest.raises(FeedError, match=r"not an HTML page \(image/png\)"):
        await feeds.article(FeedEntry(url=f"{base}/image.png"))


@pytest.mark.parametrize("padding", ["", f"<!-- {'x' * 50_000} -->"])
async def test_entity_declarations_are_refused(padding: str) -> None:
    laughs = (
        f'<?xml version="1.0"?><!DOCTYPE r [{padding}<!ENTITY a "aa"><!ENTITY b "&a;&a;">]><rss/>'
    )
    with pytest.raises(FeedError, match="entities are refused"):
        parse_feed(laughs.encode(), "https://x.example/feed")


async def test_a_public_doctype_and_entity_text_in_content_are_fine() -> None:
    netscape = (
        '<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        '"http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel>'
        "<title>XML tips</title><item><title>Entities</title><link>http://x.example/e</link>"
        "<description><![CDATA[Never write <!ENTITY lol 'lol'> in a feed.]]></description>"
        "</item></channel></rss>"
    )
    poll = parse_feed(netscape.encode(), "https://x.example/feed")
    assert poll.title == "XML tips" and "ENTITY lol" in (poll.entries[0].summary or "")


@pytest.mark.parametrize(
    "page",
    [
        b"\xef\xbb\xbf<!DOCTYPE html><html><head><title>T</title></head><body>x</body></html>",
        b'<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        b'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        b'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>T</title></head></html>',
    ],
)
async def test_pages_with_a_bom_or_an_xml_declaration_are_named_as_html(page: bytes) -> None:
    with pytest.raises(FeedError) as failed:
        parse_feed(page, "https://x.example/news")
    assert failed.value.reason == "not a feed: the page is HTML"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"plain words, no markup", "neither RSS, Atom nor JSON Feed"),
        (b"{not json", "malformed JSON"),
        (b'{"version": 1}', "JSON, but not a JSON Feed"),
        (b"\xff\xfe\x00garbage\x00", "neither RSS, Atom nor JSON Feed"),
    ],
)
async def test_non_feeds_say_why(data: bytes, reason: str) -> None:
    with pytest.raises(FeedError) as failed:
        parse_feed(data, "https://x.example/feed")
    assert reason in failed.value.reason

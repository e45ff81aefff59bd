"""Article pages: decoded whatever their charset claims; non-pages are errors to fall back on."""

from __future__ import annotations

import codecs
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from aiohttp import web

from bot.feeds.articles import decode_page
from bot.feeds.http import FetchOptions, FetchResult, HttpStatusError
from bot.feeds.source import HttpFeedSource, open_http_feed_source
from bot.ports import FeedEntry, FeedError
from tests.support.loopback import serve_on_loopback

PAGE = (
    "<!doctype html><html><body><p>Caf\u00e9 \u2014 na\u00efve r\u00e9sum\u00e9</p></body></html>"
)
WORDS = "Caf\u00e9 \u2014 na\u00efve r\u00e9sum\u00e9"


def fetched(body: bytes, content_type: str = "text/html") -> FetchResult:
    return FetchResult("https://x.example/a", 200, body, {"content-type": content_type})


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (PAGE.encode("utf-8"), "text/html; charset=utf-8"),
        (PAGE.encode("utf-8"), "text/html; charset=iso-8859-1"),  # a server that got it wrong
        (PAGE.encode("utf-8"), "text/html"),
        (codecs.BOM_UTF8 + PAGE.encode("utf-8"), "text/html; charset=iso-8859-1"),
        (codecs.BOM_UTF16_LE + PAGE.encode("utf-16-le"), "text/html"),
        (PAGE.encode("cp1252"), "text/html"),  # nothing said, not UTF-8: as browsers do
        (PAGE.encode("cp1252"), "text/html; charset=windows-1252"),
        (PAGE.encode("cp1252"), "text/html; charset=nonsense-42"),
        (PAGE.replace("<html>", '<html><meta charset="cp1252">').encode("cp1252"), "text/html"),
    ],
)
def test_pages_decode_whatever_their_charset_claims(body: bytes, content_type: str) -> None:
    assert WORDS in decode_page(fetched(body, content_type))


def test_a_declared_legacy_charset_is_used_when_the_bytes_are_not_utf8() -> None:
    page = "<html><body>\u041d\u043e\u0432\u043e\u0441\u0442\u0438</body></html>"
    result = fetched(page.encode("koi8-r"), "text/html; charset=koi8-r")
    assert "\u041d\u043e\u0432\u043e\u0441\u0442\u0438" in decode_page(result)


ROUTES = {
    "/untyped-page": (PAGE.encode("utf-8"), None, 200),
    "/untyped-binary": (b"\x89PNG\r\n\x1a\n\x00\x00", None, 200),
    "/paywall": (b"<html>subscribe</html>", "text/html", 403),
    "/pdf": (b"%PDF-1.7", "application/pdf", 200),
}


@pytest_asyncio.fixture
async def source() -> AsyncIterator[tuple[HttpFeedSource, str]]:
    async def handler(request: web.Request) -> web.Response:
        body, kind, status = ROUTES[request.path]
        response = web.Response(body=body, status=status)
        if kind is None:
            response.headers["Content-Type"] = ""  # aiohttp would otherwise add one
        else:
            response.headers["Content-Type"] = kind
        return response

    app = web.Application()
    app.router.add_get("/{tail:.*}", handler)
    async with (
        serve_on_loopback(app) as url,
        open_http_feed_source("127.0.0.1", FetchOptions(total_timeout=2)) as feeds,
    ):
        yield feeds, url


@pytest.mark.asyncio
async def test_an_untyped_page_is_read_when_it_is_html(
    source: tuple[HttpFeedSource, str],
) -> None:
    feeds, base = source
    body = await feeds.article(FeedEntry(url=f"{base}/untyped-page"))
    assert body.html is not None and WORDS in body.html
    with pytest.raises(FeedError, match="no content type, and no HTML in it"):
        await feeds.article(FeedEntry(url=f"{base}/untyped-binary"))


@pytest.mark.asyncio
async def test_paywalls_and_documents_are_errors_to_fall_back_on(
    source: tuple[HttpFeedSource, str],
) -> None:
    feeds, base = source
    with pytest.raises(HttpStatusError) as paywalled:
        await feeds.article(FeedEntry(url=f"{base}/paywall"))
    assert paywalled.value.reason == "HTTP 403"
    with pytest.raises(FeedError, match=r"not an HTML page \(application/pdf\)"):
        await feeds.article(FeedEntry(url=f"{base}/pdf"))

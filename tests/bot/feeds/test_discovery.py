"""Feed discovery: a page's feed links, the common paths, and /subscribe of a site on loopback."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp import web

from bot.app import Overrides, console_chat
from bot.config import load_settings
from bot.feeds.discovery import common_feed_urls, feed_links
from bot.ports import FeedLink
from summaries import Analyzer
from tests.bot.feeds.test_bot_web_feeds import FEED
from tests.support.loopback import serve_on_loopback

RSS = '<link rel="alternate" type="application/rss+xml" title="{title}" href="{href}">'
ATOM = '<link rel="alternate" type="application/atom+xml" href="{href}">'
JSON = '<link rel="alternate" type="application/feed+json" href="{href}">'


def home(*links: str) -> str:
    head = "".join(links)
    return f"<!doctype html><html><head><title>Home</title>{head}</head><body>Hi</body></html>"


PAGES = {
    "/one/": home(RSS.format(title="All news", href="feed.xml")),
    "/three/": home(
        RSS.format(title="All news", href="/three/rss.xml"),
        ATOM.format(href="https://127.0.0.1:1/atom"),  # never fetched: only listed
        JSON.format(href="/three/feed.json"),
    ),
    "/private/": home(RSS.format(title="Intranet", href="http://10.0.0.1/feed.xml")),
    "/metadata/": home(ATOM.format(href="http://169.254.169.254/latest/feed")),
    "/none/": home(),
}
FEEDS = ("/one/feed.xml", "/three/rss.xml", "/feed")


def test_feed_links_are_absolute_typed_alternates_in_page_order() -> None:
    page = home(
        RSS.format(title="News", href="news.xml"),
        '<link rel="stylesheet" type="text/css" href="/a.css">',
        '<link rel="alternate" type="text/html" hreflang="de" href="/de/">',
        '<LINK REL="Alternate" TYPE="Application/Atom+XML; charset=utf-8" HREF=" /atom ">',
        JSON.format(href="mailto:feeds@example.com"),
        RSS.format(title="Again", href="/sec/news.xml"),
    )
    assert feed_links(page, "https://example.com/sec/page") == [
        FeedLink("https://example.com/sec/news.xml", "News"),
        FeedLink("https://example.com/atom", None),
    ]


def test_common_feed_urls_are_at_the_site_root() -> None:
    urls = common_feed_urls("https://example.com:8443/a/b?c=1#d")
    assert urls[:4] == [
        "https://example.com:8443/feed",
        "https://example.com:8443/rss.xml",
        "https://example.com:8443/atom.xml",
        "https://example.com:8443/index.xml",
    ]


async def page(request: web.Request) -> web.Response:
    return web.Response(text=PAGES[request.path], content_type="text/html")


async def feed(request: web.Request) -> web.Response:
    return web.Response(text=FEED, content_type="application/rss+xml")


def site_app(with_common_feed: bool) -> web.Application:
    app = web.Application()
    for path in PAGES:
        app.router.add_get(path, page)
    for path in FEEDS if with_common_feed else FEEDS[:2]:
        app.router.add_get(path, feed)
    return app


@pytest_asyncio.fixture
async def site() -> AsyncIterator[str]:
    async with serve_on_loopback(site_app(with_common_feed=True)) as url:
        yield url


@pytest_asyncio.fixture
async def bare_site() -> AsyncIterator[str]:
    async with serve_on_loopback(site_app(with_common_feed=False)) as url:
        yield url


async def chat(tmp_path: Path, analyzer: Analyzer, script: list[str]) -> str:
    settings = load_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path}/bot.db", allow_hosts="127.0.0.1"
    )
    out = io.StringIO()
    await console_chat(settings, script, out, overrides=Overrides(summariser=analyzer))
    return out.getvalue()


@pytest.mark.asyncio
async def test_a_home_page_with_one_feed_link_subscribes_that_feed(
    tmp_path: Path, analyzer: Analyzer, site: str
) -> None:
    text = await chat(tmp_path, analyzer, [f"/subscribe {site}/one/", "/subscriptions"])
    assert f"Subscribed (#1) to {site}/one/feed.xml: 1 article(s) read now" in text
    assert f"#1 feed: {site}/one/feed.xml (ok" in text


@pytest.mark.asyncio
async def test_a_home_page_with_three_feed_links_lists_them_and_a_number_picks_one(
    tmp_path: Path, analyzer: Analyzer, site: str
) -> None:
    script = [f"/subscribe {site}/three/", f"/subscribe {site}/three/ 3", "/subscriptions"]
    text = await chat(tmp_path, analyzer, script)
    assert f"{site}/three/ names 3 feeds; follow one by its number:" in text
    assert f"1. All news <{site}/three/rss.xml>" in text
    assert "2. https://127.0.0.1:1/atom" in text
    assert f"3. {site}/three/feed.json" in text
    assert f"Example: /subscribe {site}/three/ 1" in text
    # the third is missing: its failure in one line, nothing subscribed
    assert f"Error: cannot follow {site}/three/feed.json: HTTP 404" in text
    assert "No subscriptions." in text
    script = [f"/subscribe {site}/three/ 1", f"/subscribe {site}/three/ 4"]
    text = await chat(tmp_path, analyzer, script)
    assert f") to {site}/three/rss.xml: 1 article(s) read now" in text
    assert f"Error: {site}/three/ has 3 feed(s); pick 1 to 3." in text


@pytest.mark.asyncio
async def test_a_home_page_without_feed_links_finds_the_feed_at_a_common_path(
    tmp_path: Path, analyzer: Analyzer, site: str
) -> None:
    text = await chat(tmp_path, analyzer, [f"/subscribe {site}/none/"])
    assert f"Subscribed (#1) to {site}/feed: 1 article(s) read now" in text


@pytest.mark.asyncio
async def test_a_site_without_any_feed_is_a_clear_error(
    tmp_path: Path, analyzer: Analyzer, bare_site: str
) -> None:
    text = await chat(tmp_path, analyzer, [f"/subscribe {bare_site}/none/", "/subscriptions"])
    assert (
        f"Error: no feed found at {bare_site}/none/: the page names none, and "
        "/feed, /rss.xml, /atom.xml, /index.xml are no feeds." in text
    )
    assert "No subscriptions." in text


@pytest.mark.parametrize(
    ("path", "refusal"),
    [
        ("/private/", "http://10.0.0.1/feed.xml: refused: 10.0.0.1 is a private address"),
        ("/metadata/", "http://169.254.169.254/latest/feed: refused: 169.254.169.254 is a"),
    ],
)
@pytest.mark.asyncio
async def test_a_feed_link_to_a_private_address_is_refused_with_its_reason(
    tmp_path: Path, analyzer: Analyzer, site: str, path: str, refusal: str
) -> None:
    text = await chat(tmp_path, analyzer, [f"/subscribe {site}{path}", "/subscriptions"])
    assert f"Error: cannot follow {refusal}" in text
    assert "No subscriptions." in text

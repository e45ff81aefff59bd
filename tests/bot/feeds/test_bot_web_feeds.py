"""The whole bot on a web feed: subscribe over HTTP, read the linked page, digest it; and refuse."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp import web

from bot.app import Overrides, console_chat
from bot.config import load_settings
from summaries import Analyzer
from tests.support.loopback import serve_on_loopback

pytestmark = pytest.mark.asyncio

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Lindmoor Post</title>
<item><title>Lindmoor bridge reopens after repairs</title><link>/news/bridge?utm_source=rss</link>
<guid>bridge-1</guid><pubDate>Fri, 05 Jan 2024 08:00:00 GMT</pubDate>
<description>The bridge is open.</description></item></channel></rss>"""

PAGE = """<!doctype html><html><head><title>Lindmoor bridge reopens after repairs</title></head>
<body><article><h1>Lindmoor bridge reopens after repairs</h1>
<p>The old stone bridge over the river Lind reopened to traffic on Thursday after eight months of
repairs that cost the town council 4.2 million euros.</p>
<p>Mayor Ilse Brandt cut a ribbon at the western end of the bridge while a brass band played.</p>
<p>Engineers replaced two of the five arches, which had cracked in the floods of last spring.</p>
<p>Buses will use the bridge again from Monday, the transport company Lindmoor Verkehr said.</p>
<p>Shopkeepers on the eastern bank said the closure had cost them a third of their trade.</p>
</article></body></html>"""


async def feed(request: web.Request) -> web.Response:
    return web.Response(text=FEED, content_type="text/xml")


async def page(request: web.Request) -> web.Response:
    return web.Response(text=PAGE, content_type="text/html")


@pytest_asyncio.fixture
async def site() -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_get("/feed.xml", feed)
    app.router.add_get("/news/bridge", page)
    async with serve_on_loopback(app) as url:
        yield url


async def test_a_web_feed_is_followed_and_its_page_digested(
    tmp_path: Path, analyzer: Analyzer, site: str
) -> None:
    settings = load_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path}/bot.db", allow_hosts="127.0.0.1"
    )
    out = io.StringIO()
    script = [f"/subscribe {site}/feed.xml", "/digest", "/subscriptions"]
    await console_chat(settings, script, out, overrides=Overrides(summariser=analyzer))
    text = out.getvalue()
    assert "1 article(s) read now" in text
    assert "Mayor Ilse Brandt" in text or "eight months of" in text  # from the page, not the feed
    assert f"{site}/news/bridge" in text and "utm_source" not in text


async def test_a_private_feed_is_refused_in_one_line(
    tmp_path: Path, analyzer: Analyzer, site: str
) -> None:
    settings = load_settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/bot.db")
    out = io.StringIO()
    await console_chat(
        settings, [f"/subscribe {site}/feed.xml"], out, overrides=Overrides(summariser=analyzer)
    )
    assert "refused: 127.0.0.1 is a loopback address" in out.getvalue()


async def test_a_bad_allow_list_is_reported_at_start() -> None:
    with pytest.raises(Exception, match="NEWSDIGEST_ALLOW_HOSTS"):
        load_settings(allow_hosts="10.0.0.0/33")

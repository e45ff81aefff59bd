"""Fixtures of the feed tests."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
from aiohttp import web

from tests.bot.feeds.test_bot_web_feeds import PAGE

FEED_WITH_A_MISSING_PAGE = """<?xml version="1.0"?><rss version="2.0"><channel><title>Post</title>
<item><title>Lindmoor bridge reopens after repairs</title><link>/news/bridge</link>
<pubDate>Fri, 05 Jan 2024 08:00:00 GMT</pubDate></item>
<item><title>Council approves the budget</title><link>/news/missing</link>
<pubDate>Fri, 05 Jan 2024 09:00:00 GMT</pubDate><description>&lt;p&gt;The town council approved
next year's budget on Thursday after a debate of six hours. Spending on roads rises by a tenth,
the council said.&lt;/p&gt;</description></item></channel></rss>"""


@pytest.fixture
def threaded_site() -> Iterator[str]:
    """A loopback page server on its own event loop in a thread (the CLI runs its own loop)."""
    loop = asyncio.new_event_loop()
    started = threading.Event()
    holder: dict[str, object] = {}

    async def page(request: web.Request) -> web.Response:
        return web.Response(text=PAGE, content_type="text/html")

    async def bare_page(request: web.Request) -> web.Response:
        body = PAGE[PAGE.index("<title>") :].replace("</head>", "")
        return web.Response(text=f'<meta charset="utf-8">{body}', content_type="text/html")

    async def feed(request: web.Request) -> web.Response:
        return web.Response(text=FEED_WITH_A_MISSING_PAGE, content_type="application/rss+xml")

    async def start() -> None:
        app = web.Application()
        app.router.add_get("/news/bridge", page)
        app.router.add_get("/news/bare", bare_page)
        app.router.add_get("/feed.xml", feed)
        runner = web.AppRunner(app, shutdown_timeout=0.1)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        holder["runner"], holder["port"] = runner, runner.addresses[0][1]

    def serve() -> None:
        loop.run_until_complete(start())
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert started.wait(10)
    yield f"http://127.0.0.1:{holder['port']}"
    runner = holder["runner"]
    assert isinstance(runner, web.AppRunner)
    asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)

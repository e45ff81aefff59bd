"""A news site on 127.0.0.1: an RSS feed and its article pages, for tests of private feeds.

The bot reaches it through the real guarded HTTP seam only when 127.0.0.1 is on the allow list
(NEWSDIGEST_ALLOW_HOSTS), as a company's intranet feed would be. A test adds items while the
bot runs (`publish`) to see what a later poll brings.
"""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime

from aiohttp import web

from tests.support.loopback import serve_on_loopback


@dataclass(frozen=True)
class SiteItem:
    """One article of the site: its slug (path `/news/<slug>`), title, text and date."""

    slug: str
    title: str
    text: str
    published: datetime


@dataclass
class NewsSite:
    """The site's items, newest last; `url` is set once it is served."""

    name: str
    items: list[SiteItem] = field(default_factory=list)
    url: str = ""

    @property
    def feed(self) -> str:
        """The feed's URL."""
        return f"{self.url}/feed.xml"

    def link(self, slug: str) -> str:
        """An article's URL."""
        return f"{self.url}/news/{slug}"

    def publish(self, item: SiteItem) -> None:
        """Put an item on the site (the next poll sees it)."""
        self.items.append(item)

    async def rss(self, request: web.Request) -> web.Response:
        entries = "".join(self._entry(item) for item in self.items)
        body = (
            '<?xml version="1.0"?><rss version="2.0"><channel>'
            f"<title>{html.escape(self.name)}</title><link>{self.url}/</link>{entries}"
            "</channel></rss>"
        )
        return web.Response(text=body, content_type="application/rss+xml")

    def _entry(self, item: SiteItem) -> str:
        return (
            f"<item><title>{html.escape(item.title)}</title><link>{self.link(item.slug)}</link>"
            f"<guid>{self.link(item.slug)}</guid>"
            f"<pubDate>{format_datetime(item.published)}</pubDate>"
            f"<description>{html.escape(item.text)}</description></item>"
        )

    async def page(self, request: web.Request) -> web.Response:
        slug = request.match_info["slug"]
        item = next((i for i in self.items if i.slug == slug), None)
        if item is None:
            raise web.HTTPNotFound()
        paragraphs = "".join(f"<p>{html.escape(line)}.</p>" for line in item.text.split(". "))
        body = (
            f"<!doctype html><html><head><title>{html.escape(item.title)}</title></head><body>"
            f"<article><h1>{html.escape(item.title)}</h1>{paragraphs}</article></body></html>"
        )
        return web.Response(text=body, content_type="text/html")


@asynccontextmanager
async def serve_site(site: NewsSite) -> AsyncIterator[NewsSite]:
    """Serve `site` on a free loopback port for the block."""
    app = web.Application()
    app.router.add_get("/feed.xml", site.rss)
    app.router.add_get("/news/{slug}", site.page)
    async with serve_on_loopback(app) as url:
        site.url = url
        yield site

"""The FeedSource port over the web: feeds and article pages through the guarded HTTP seam."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import replace

from bot.feeds.articles import read_article_page
from bot.feeds.guard import AllowList, UrlGuard
from bot.feeds.http import FetchOptions, HttpFetcher, open_fetcher
from bot.feeds.parse import parse_feed
from bot.ports import ArticleBody, FeedEntry, FeedPoll, Validators

log = logging.getLogger(__name__)


class HttpFeedSource:
    """Polls feeds and reads article pages over HTTP(S)."""

    def __init__(self, fetcher: HttpFetcher) -> None:
        """Fetch everything through `fetcher` (and so through its guard)."""
        self.fetcher = fetcher

    async def fetch(self, url: str, validators: Validators) -> FeedPoll:
        """Poll a feed; a 304 answers not-modified with the validators kept."""
        result = await self.fetcher.get(url, validators)
        if result.not_modified:
            return FeedPoll(
                etag=validators.etag, last_modified=validators.last_modified, not_modified=True
            )
        content_type = result.headers.get("content-type", "")
        # feedparser is CPU-bound on big feeds: keep it off the event loop
        poll = await asyncio.to_thread(parse_feed, result.body, result.url, content_type)
        return replace(
            poll, etag=result.headers.get("etag"), last_modified=result.headers.get("last-modified")
        )

    async def article(self, entry: FeedEntry) -> ArticleBody:
        """The linked page's HTML (see `read_article_page`).

        Raises:
            FeedError: The page cannot be had or is not HTML (the caller falls back to the feed).
        """
        return await read_article_page(self.fetcher, entry.url)


@contextlib.asynccontextmanager
async def open_http_feed_source(
    allow_hosts: str = "", options: FetchOptions | None = None
) -> AsyncIterator[HttpFeedSource]:
    """An HttpFeedSource on its own HTTP session; `allow_hosts` is NEWSDIGEST_ALLOW_HOSTS."""
    async with open_fetcher(UrlGuard(AllowList.parse(allow_hosts)), options) as fetcher:
        yield HttpFeedSource(fetcher)

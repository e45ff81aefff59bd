"""The FeedSource port over the web: feeds and article pages through the guarded HTTP seam."""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import logging
import re
from collections.abc import AsyncIterator
from dataclasses import replace

from bot.feeds.guard import AllowList, UrlGuard
from bot.feeds.http import FetchOptions, FetchResult, HttpFetcher, open_fetcher
from bot.feeds.parse import parse_feed
from bot.feeds.urls import page_canonical_url
from bot.ports import ArticleBody, FeedEntry, FeedError, FeedPoll, Validators

log = logging.getLogger(__name__)

_PAGE_TYPES = ("text/html", "application/xhtml+xml", "")
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_.:-]+)", re.I)


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
        """The linked page's HTML.

        Raises:
            FeedError: The page cannot be had or is not HTML (the caller falls back to the feed).
        """
        result = await self.fetcher.get(entry.url)
        if result.content_type not in _PAGE_TYPES:
            raise FeedError(entry.url, f"not an HTML page ({result.content_type})")
        page = decode_page(result)
        return ArticleBody(html=page, canonical_url=page_canonical_url(page, result.url))


def decode_page(result: FetchResult) -> str:
    """A page's text: the declared charset, else a <meta> charset, else UTF-8 (never fails)."""
    for candidate in (result.charset, _meta_charset(result.body), "utf-8"):
        if candidate and _known_codec(candidate):
            return result.body.decode(candidate, errors="replace")
    return result.body.decode("utf-8", errors="replace")


def _meta_charset(body: bytes) -> str | None:
    found = _META_CHARSET.search(body[:4096])
    return found.group(1).decode("ascii").lower() if found else None


def _known_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


@contextlib.asynccontextmanager
async def open_http_feed_source(
    allow_hosts: str = "", options: FetchOptions | None = None
) -> AsyncIterator[HttpFeedSource]:
    """An HttpFeedSource on its own HTTP session; `allow_hosts` is NEWSDIGEST_ALLOW_HOSTS."""
    async with open_fetcher(UrlGuard(AllowList.parse(allow_hosts)), options) as fetcher:
        yield HttpFeedSource(fetcher)

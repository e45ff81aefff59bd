"""One-off reads for the command line: an article page, a feed and its items' texts.

`newsdigest analyze URL` and `newsdigest feed URL` read through the same guarded HTTP seam and
local-file routing as the bot's polls (`routed_source`), each on its own short-lived session.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.feeds.htmltext import html_to_text
from bot.feeds.local import LocalFeedSource, RoutedFeedSource
from bot.feeds.source import open_http_feed_source
from bot.ports import FeedEntry, FeedError, FeedPoll, FeedSource, Validators

log = logging.getLogger(__name__)


def routed_source(feed_dirs: Sequence[Path], web: FeedSource | None) -> FeedSource:
    """Web feeds through the guarded HTTP seam; local files from the demo folders."""
    local = LocalFeedSource(tuple(feed_dirs)) if feed_dirs else None
    return RoutedFeedSource(web, local)


async def fetch_article_page(allow_hosts: str, url: str) -> str:
    """One article page's HTML through the guarded HTTP seam (`newsdigest analyze URL`).

    Raises:
        FeedError: Refused, unreachable, or not an HTML page, with the reason in one line.
    """
    async with open_http_feed_source(allow_hosts) as web:
        body = await web.article(FeedEntry(url=url))
    return body.html or body.text or ""


@dataclass(frozen=True)
class FeedItemText:
    """One feed item and the text `newsdigest feed` digests: its page, else the feed's excerpt."""

    entry: FeedEntry
    html: str | None
    text: str | None
    excerpt: bool


async def read_feed_items(
    allow_hosts: str, feed_dirs: Sequence[Path], url: str, limit: int
) -> AsyncIterator[FeedItemText | FeedPoll]:
    """The feed itself, then up to `limit` of its items, each with its page or its excerpt.

    Raises:
        FeedError: The feed cannot be read, with the reason in one line.
    """
    async with open_http_feed_source(allow_hosts) as web:
        source = routed_source(feed_dirs, web)
        poll = await source.fetch(url, Validators())
        yield poll
        for entry in poll.entries[:limit]:
            yield await _item_text(source, entry)


async def _item_text(source: FeedSource, entry: FeedEntry) -> FeedItemText:
    try:
        body = await source.article(entry)
    except FeedError as error:
        log.info("page %s not read (%s); using the feed's excerpt", entry.url, error.reason)
        excerpt = html_to_text(entry.content or entry.summary or "")
        return FeedItemText(entry, None, excerpt, excerpt=True)
    return FeedItemText(entry, body.html, body.text, excerpt=False)

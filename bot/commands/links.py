"""Links shared in chat: read the page, digest it, answer with a one-story Digest.

The platform-neutral half of "a link posted in a watched channel gets a threaded reply": the
page comes through the engine's FeedSource port (the guarded HTTP seam in production) and is
analyzed on the same path as feed articles (off the event loop, one at a time). Nothing is
stored: a shared link is answered, not subscribed to.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime

from bot.domain import Article, Destination, Digest, outlet_name
from bot.engine import Engine
from bot.ports import FeedEntry, FeedError

log = logging.getLogger(__name__)

NOTHING_TO_DIGEST = "no article text to summarise was found on the page"


@dataclass(frozen=True)
class LinkFailed:
    """A shared link that could not be digested.

    Attributes:
        url: The link.
        reason: Why, in one line.
    """

    url: str
    reason: str


class LinkReader:
    """Digests single links through the engine (its feed source, analyzer and clock)."""

    def __init__(self, engine: Engine) -> None:
        """Read pages through the engine."""
        self.engine = engine

    async def wanted(self, destination: Destination) -> bool:
        """Whether links posted in this channel get a reply (`links on|off`, else the default)."""
        return await self.engine.answers_links(destination)

    async def digest(self, url: str) -> Digest | LinkFailed:
        """A one-story digest of the page at `url`, or why there is none."""
        article = await self._read(url)
        if isinstance(article, str):
            return LinkFailed(url, article)
        return self.engine.stories.link_digest(article)

    async def _read(self, url: str) -> Article | str:
        """The page read and analysed as an article that is never stored, or why not."""
        entry = FeedEntry(url=url)
        ingestor = self.engine.ingestor
        try:
            body = await ingestor.source.article(entry)
        except FeedError as error:
            log.info("shared link %s not read: %s", url, error.reason)
            return error.reason
        analysed = await ingestor.digest_article(entry, body)
        if analysed is None:
            return NOTHING_TO_DIGEST
        link = body.canonical_url or url
        return Article(
            url=link,
            title=analysed.title,
            source=outlet_name(link),
            published=_midnight(analysed.published),
            ingested_at=self.engine.now(),
            content_hash="",
            summary=analysed.summary,
            actors=analysed.actors,
            dates=analysed.dates,
        )


def _midnight(day: date | None) -> datetime | None:
    return None if day is None else datetime(day.year, day.month, day.day, tzinfo=UTC)

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

from bot.digests import compose_digest
from bot.domain import Article, Digest, DigestKind, Story, outlet_name
from bot.engine import Engine
from bot.ports import ArticleBody, FeedEntry, FeedError
from summaries import ArticleDigest

log = logging.getLogger(__name__)

LINK_TITLE = "Shared link"
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
    """Digests single links through the engine's feed source and analyzer."""

    def __init__(self, engine: Engine) -> None:
        """Read pages with the engine's ingestor (its FeedSource, Summariser and clock)."""
        self.engine = engine

    async def digest(self, url: str) -> Digest | LinkFailed:
        """A one-story digest of the page at `url`, or why there is none."""
        ingestor = self.engine.ingestor
        entry = FeedEntry(url=url)
        try:
            body = await ingestor.source.article(entry)
        except FeedError as error:
            log.info("shared link %s not read: %s", url, error.reason)
            return LinkFailed(url, error.reason)
        analysed = await ingestor.digest_article(entry, body)
        if analysed is None:
            return LinkFailed(url, NOTHING_TO_DIGEST)
        return self._compose(self._article(url, body, analysed))

    def _article(self, url: str, body: ArticleBody, analysed: ArticleDigest) -> Article:
        link = body.canonical_url or url
        return Article(
            url=link,
            title=analysed.title,
            source=outlet_name(link),
            published=_midnight(analysed.published),
            ingested_at=self.engine.clock.now(),
            content_hash="",
            summary=analysed.summary,
            actors=analysed.actors,
            dates=analysed.dates,
        )

    def _compose(self, article: Article) -> Digest:
        now = self.engine.clock.now()
        return compose_digest(
            [Story(0, (article,))],
            kind=DigestKind.ON_DEMAND,
            title=LINK_TITLE,
            since=now,
            until=now,
            limit=1,
            options=self.engine.options.compose,
        )


def _midnight(day: date | None) -> datetime | None:
    return None if day is None else datetime(day.year, day.month, day.day, tzinfo=UTC)

"""Links shared in chat: read the page, digest it, answer with a one-story Digest.

The platform-neutral half of "a link posted in a watched channel gets a threaded reply": the
page comes through the engine's FeedSource port (the guarded HTTP seam in production) and is
analyzed on the same path as feed articles (off the event loop, one at a time). Nothing is
stored: a shared link is answered, not subscribed to.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.domain import Destination, Digest
from bot.engine import Engine

log = logging.getLogger(__name__)


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
        article = await self.engine.read_link(url)
        if isinstance(article, str):
            return LinkFailed(url, article)
        return self.engine.link_digest(article)

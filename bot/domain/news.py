"""What was read: articles, their clustering signatures, and stories (one event, many outlets)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from summaries import Actor, ActorKind, DateMention


@dataclass(frozen=True)
class Article:
    """One ingested article with its digest and clustering features.

    Attributes:
        url: Canonical link (or local path).
        title: Headline, if known.
        source: The outlet's name (feed title or host).
        published: Publication time, if the feed gave one.
        ingested_at: When the bot stored it.
        content_hash: Hash of the normalised text, for dedupe across URLs.
        summary: Verbatim summary sentences.
        actors: Key actors, most salient first.
        dates: Dates named in the article.
        terms: Content-word counts of the whole text, used for clustering.
        lead_terms: Content-word counts of the title and lead, used for clustering.
        text: The article text (kept for topic queries), possibly cut.
        feed_id: The feed it came from, if any.
        guid: The feed item's id, if any.
        backfill: Read on its feed's first poll: history, never delivered by schedule.
        excerpt_only: Digested from the feed's own excerpt because the page could not be had.
        id: Store id (0 before storing).
        story_id: The story it belongs to (0 before storing).
    """

    url: str
    title: str | None
    source: str
    published: datetime | None
    ingested_at: datetime
    content_hash: str
    summary: tuple[str, ...] = ()
    actors: tuple[Actor, ...] = ()
    dates: tuple[DateMention, ...] = ()
    terms: dict[str, int] = field(default_factory=dict, hash=False, compare=False)
    lead_terms: dict[str, int] = field(default_factory=dict, hash=False, compare=False)
    text: str = ""
    feed_id: int | None = None
    guid: str | None = None
    backfill: bool = False
    excerpt_only: bool = False
    id: int = 0
    story_id: int = 0

    @property
    def places(self) -> tuple[Actor, ...]:
        """The actors that are places."""
        return tuple(actor for actor in self.actors if actor.kind is ActorKind.PLACE)


@dataclass(frozen=True)
class Signature:
    """A stored article's clustering features only: no text, summary or links.

    Attributes:
        id: Store id of the article.
        story_id: Its story.
        ingested_at: When it was stored (decides when it leaves the window).
        published: Publication time, if known.
        actors: Key actors, most salient first.
        dates: Dates named in the article.
        terms: Content-word counts of the whole text.
        lead_terms: Content-word counts of the title and lead.
        source: The outlet it came from (its host), "" if unknown.
    """

    id: int
    story_id: int
    ingested_at: datetime
    published: datetime | None
    actors: tuple[Actor, ...]
    dates: tuple[DateMention, ...]
    terms: dict[str, int] = field(hash=False, compare=False)
    lead_terms: dict[str, int] = field(default_factory=dict, hash=False, compare=False)
    source: str = ""


@dataclass(frozen=True)
class Story:
    """One real-world event, reported by one or more articles.

    Attributes:
        id: Store id.
        articles: Its articles in ingestion order.
    """

    id: int
    articles: tuple[Article, ...]

    @property
    def first_seen(self) -> datetime:
        """When its first article was ingested."""
        return min(article.ingested_at for article in self.articles)

    @property
    def last_seen(self) -> datetime:
        """When its latest article was ingested."""
        return max(article.ingested_at for article in self.articles)


def outlet_name(url: str, fallback: str = "local") -> str:
    """The outlet a link belongs to: its host without "www.", or `fallback` for a local path."""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or fallback

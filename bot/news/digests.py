"""Which stories a destination gets, and how they are composed into a digest.

A story is relevant to a destination when one of its articles came from a subscribed feed (and
matches that feed's filter, if it has one) or the story matches a subscribed topic. It is
deliverable (scheduled or live) only through an article ingested after the subscription was made
and not read as the feed's history (backfill).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain import (
    Article,
    Digest,
    DigestEntry,
    DigestKind,
    EntryDate,
    Heading,
    MostNamed,
    SourceLink,
    Story,
    Subscription,
    SubscriptionKind,
)
from bot.news.clustering import terms_of
from bot.news.story_actors import most_named, story_actors
from bot.news.topics import (
    Query,
    TopicError,
    articles_document,
    matches,
    parse_filter,
    parse_topic,
    story_document,
)
from summaries.model import Actor

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ComposeOptions:
    """How much of each story a digest shows.

    Attributes:
        sentences: Summary sentences per story.
        actors: Actors per story.
        dates: Dates per story.
    """

    sentences: int = 2
    actors: int = 5
    dates: int = 3


@dataclass(frozen=True)
class FeedInterest:
    """A followed feed: since when, and the filter its items must match (None: every item)."""

    since: datetime
    only: Query | None = None


@dataclass(frozen=True)
class Interests:
    """What a destination follows: feeds (with their filters) and parsed topics, with since when."""

    feeds: Mapping[int, FeedInterest]
    topics: tuple[tuple[Query, datetime], ...]

    @classmethod
    def of(cls, subscriptions: Iterable[Subscription]) -> Interests:
        """What these subscriptions follow (a stored query that no longer parses is left out)."""
        feeds: dict[int, FeedInterest] = {}
        topics: list[tuple[Query, datetime]] = []
        for sub in subscriptions:
            if sub.kind is SubscriptionKind.FEED and sub.feed_id is not None:
                feeds.update(_feed(sub))
            elif sub.kind is SubscriptionKind.TOPIC:
                parsed = _parsed(sub, sub.target, parse_topic)
                topics.extend((query, sub.created_at) for query in parsed)
        return cls(feeds, tuple(topics))

    @classmethod
    def topic(cls, query: Query, since: datetime) -> Interests:
        """Interest in one topic only (an on-demand `digest <topic>`)."""
        return cls({}, ((query, since),))


def muted_outlets(subscriptions: Iterable[Subscription]) -> frozenset[str]:
    """The outlets a destination muted (its `mute` subscriptions' targets)."""
    return frozenset(sub.target for sub in subscriptions if sub.kind is SubscriptionKind.MUTE)


def without_outlets(stories: Iterable[Story], muted: Collection[str]) -> list[Story]:
    """The stories with the muted outlets' articles taken out; a story left with none is dropped.

    Taken out before relevance is judged, so a muted outlet's article neither brings its story
    in nor shows among its links.
    """
    if not muted:
        return list(stories)
    kept = [Story(s.id, tuple(a for a in s.articles if a.source not in muted)) for s in stories]
    return [story for story in kept if story.articles]


def _feed(sub: Subscription) -> dict[int, FeedInterest]:
    """The feed's interest; a filter that no longer parses drops the feed rather than widen it."""
    if sub.feed_id is None:
        return {}
    if sub.filter is None:
        return {sub.feed_id: FeedInterest(sub.created_at)}
    parsed = _parsed(sub, sub.filter, parse_filter)
    return {sub.feed_id: FeedInterest(sub.created_at, parsed[0])} if parsed else {}


def _parsed(sub: Subscription, text: str, parse: Callable[[str], Query]) -> list[Query]:
    try:
        return [parse(text)]
    except TopicError as error:
        log.warning("subscription %s: stored query no longer parses: %s", sub.id, error)
        return []


def relevant(story: Story, interests: Interests) -> bool:
    """Whether a story concerns the destination at all (for on-demand digests).

    A story counts through a feed when one of its articles came from a followed feed and, if
    that feed is filtered, that article itself matches the filter (another outlet's article in
    the same story does not let a filtered feed's off-topic item through).
    """
    if any(_through_feed(article, interests, lambda _a, _s: True) for article in story.articles):
        return True
    return _matches_topic(story, interests, lambda _: True)


def deliverable(story: Story, interests: Interests) -> bool:
    """Whether a story may be posted unasked: new since a matching subscription, not history."""
    if any(_through_feed(article, interests, _fresh) for article in story.articles):
        return True
    return _matches_topic(story, interests, lambda since: _fresh_story(story, since))


def _through_feed(
    article: Article, interests: Interests, fresh: Callable[[Article, datetime], bool]
) -> bool:
    interest = interests.feeds.get(article.feed_id or 0)
    if interest is None or not fresh(article, interest.since):
        return False
    return interest.only is None or matches(interest.only, articles_document((article,)))


def _matches_topic(story: Story, interests: Interests, fresh: Callable[[datetime], bool]) -> bool:
    if not interests.topics:
        return False
    document = story_document(story)
    return any(fresh(since) and matches(query, document) for query, since in interests.topics)


def _fresh(article: Article, since: datetime) -> bool:
    return not article.backfill and article.ingested_at >= since


def _fresh_story(story: Story, since: datetime) -> bool:
    return any(_fresh(article, since) for article in story.articles)


def compose_digest(
    stories: Sequence[Story],
    *,
    kind: DigestKind,
    heading: Heading,
    since: datetime,
    until: datetime,
    limit: int,
    options: ComposeOptions | None = None,
) -> Digest:
    """Rank stories (most outlets first, then newest) and show the best `limit` of them."""
    chosen = options or ComposeOptions()
    ranked = sorted(stories, key=_rank, reverse=True)
    entries = tuple(story_entry(story, chosen) for story in ranked[:limit])
    more = max(0, len(ranked) - limit)
    named = most_named([_story_actors(story) for story in ranked[:limit]])
    top = MostNamed(named[0].shown, named[1]) if named else None
    return Digest(kind, heading, since, until, entries, more=more, most_named=top)


def _story_actors(story: Story, limit: int | None = None) -> list[Actor]:
    return story_actors([article.actors for article in story.articles], limit)


def _rank(story: Story) -> tuple[int, float, int]:
    outlets = len({article.source for article in story.articles})
    latest = max(_when(article).timestamp() for article in story.articles)
    return outlets, latest, story.id


def _when(article: Article) -> datetime:
    return article.published or article.ingested_at


def story_entry(story: Story, options: ComposeOptions) -> DigestEntry:
    """One digest entry: the central article's best sentences, merged actors, dates, all links."""
    words = [_shown_words(article) for article in story.articles]
    lead = _lead(story.articles, words)
    summary = lead.summary[: options.sentences]
    published = [article.published for article in story.articles if article.published]
    actors = _story_actors(story, options.actors)
    return DigestEntry(
        story_id=story.id,
        headline=_headline(lead, story.articles, words) or (summary[0] if summary else lead.url),
        summary=summary,
        actors=tuple(actor.shown for actor in actors),
        dates=_dates(lead, story.articles, options.dates),
        sources=_sources(story.articles),
        published=min(published, default=None),
        actor_names=tuple(actor.name for actor in actors),
    )


def lead_article(story: Story) -> Article:
    """The article a story's entry takes its summary from (the most central one)."""
    return _lead(story.articles, [_shown_words(article) for article in story.articles])


def _shown_words(article: Article) -> set[str]:
    """The content words of what a digest shows of an article: its title and summary.

    Not its clustering terms: a digest is composed from the columns it shows (the store reads
    no more), and a rebuilt post then words its stories as the first attempt did.
    """
    return set(terms_of(" ".join((article.title or "", *article.summary))))


def _lead(articles: Sequence[Article], words: Sequence[set[str]]) -> Article:
    """The article sharing the most content words with the others (ties: longest summary)."""

    def centrality(index: int) -> tuple[int, int, int]:
        shared = sum(len(words[index] & other) for i, other in enumerate(words) if i != index)
        return bool(articles[index].summary), shared, len(articles[index].summary)

    return articles[max(range(len(articles)), key=centrality)]


def _headline(lead: Article, articles: Sequence[Article], words: Sequence[set[str]]) -> str | None:
    """The most informative title: the one naming most of what the other articles are about.

    A title scores the content words it shares with the other articles' titles and summaries
    (so a teaser such as "You won't believe this" scores nothing); ties go to the lead's title.
    """
    titled = [index for index, article in enumerate(articles) if article.title]
    if not titled:
        return None

    def informative(index: int) -> tuple[int, bool]:
        title = terms_of(articles[index].title or "").keys()
        shared = sum(len(title & other) for i, other in enumerate(words) if i != index)
        return shared, articles[index] is lead

    return articles[max(titled, key=informative)].title


def _dates(lead: Article, articles: Sequence[Article], limit: int) -> tuple[EntryDate, ...]:
    seen: dict[str, EntryDate] = {}
    others = [article for article in articles if article is not lead]
    for article in (lead, *others):
        for mention in article.dates:
            if mention.value and mention.value[:4].isdigit() and mention.value not in seen:
                seen[mention.value] = EntryDate(mention.text.strip(), mention.value)
    return tuple(seen.values())[:limit]


def _sources(articles: Sequence[Article]) -> tuple[SourceLink, ...]:
    links: dict[str, SourceLink] = {}
    for article in articles:
        link = SourceLink(article.source, article.title, article.url, article.excerpt_only)
        links.setdefault(article.url, link)
    return tuple(links.values())

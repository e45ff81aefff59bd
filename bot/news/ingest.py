"""Feed polls: fetch, dedupe, read the article, analyze off the event loop, cluster, store.

One poll of one feed, in numbered steps. A feed's failure goes into its health record (with a
back-off), never out as an exception; one bad item is skipped and the poll goes on.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import TypeVar

from bot.clock import Clock
from bot.domain import Article, FeedState, outlet_name
from bot.feeds.htmltext import html_to_text, looks_like_page
from bot.news.analysis import NotDigested, analyse_safely, excerpt_digest
from bot.news.candidates import SignatureCache
from bot.news.clustering import ClusterOptions, lead_of, terms_of
from bot.news.story_index import StoryIndex
from bot.ports import (
    ArticleBody,
    FeedEntry,
    FeedError,
    FeedPoll,
    FeedSource,
    NotAFeedError,
    Summariser,
    Validators,
)
from bot.store.port import Store
from summaries import ArticleDigest

log = logging.getLogger(__name__)
_T = TypeVar("_T")


@dataclass(frozen=True)
class IngestOptions:
    """Limits of feed polling and ingestion.

    Attributes:
        interval: Poll interval of a feed that gives no hint of its own.
        min_interval: No feed is polled more often, whatever it says.
        max_interval: No feed is polled less often, whatever it says.
        max_backoff: Longest wait after repeated failures.
        max_items: New items taken per poll (newest first); the rest wait for the next poll.
        min_content_chars: Feed content at least this long is read instead of fetching the page.
        max_text_chars: Article text kept for topic queries.
        clustering: Story clustering settings.
    """

    interval: timedelta = timedelta(minutes=15)
    min_interval: timedelta = timedelta(minutes=5)
    max_interval: timedelta = timedelta(hours=24)
    max_backoff: timedelta = timedelta(hours=6)
    max_items: int = 50
    min_content_chars: int = 400
    max_text_chars: int = 20_000
    clustering: ClusterOptions = field(default_factory=ClusterOptions)


@dataclass(frozen=True)
class PollResult:
    """What one poll did.

    Attributes:
        feed: The feed's state after the poll.
        articles: Articles stored by this poll.
        error: Why the poll failed, if it did.
        permanent: The failure cannot be helped by retrying (refused address, not a feed).
        not_a_feed: What was fetched is no feed (a web page's feeds may be discovered).
    """

    feed: FeedState
    articles: tuple[Article, ...] = ()
    error: str | None = None
    permanent: bool = False
    not_a_feed: bool = False


@dataclass(frozen=True)
class IngestJob:
    """One new feed item whose reading and analysis is handed to a worker (scaled mode).

    Attributes:
        feed_id: The feed it came from.
        feed_title: The feed's title at the poll (names the outlet when the item's link does not).
        entry: The item.
        backfill: It came with the feed's first poll: history, never posted unasked.
    """

    feed_id: int
    feed_title: str | None
    entry: FeedEntry
    backfill: bool


Defer = Callable[[IngestJob], Awaitable[None]]


@dataclass(frozen=True)
class _Read:
    text: str
    digest: ArticleDigest | None
    canonical_url: str | None = None
    excerpt_only: bool = False


class Ingestor:
    """Polls feeds into stored, clustered articles."""

    def __init__(
        self,
        store: Store,
        source: FeedSource,
        summariser: Summariser,
        clock: Clock,
        options: IngestOptions | None = None,
        defer: Defer | None = None,
    ) -> None:
        """Wire the ports; one Ingestor per process (it serialises polls of the same feed).

        With `defer` (scaled mode), a poll hands each new item to it instead of reading and
        analysing the item itself; a worker then calls `ingest_job` with it.
        """
        self.store = store
        self.source = source
        self.summariser = summariser
        self.clock = clock
        self.options = options or IngestOptions()
        self.defer = defer
        self._feed_locks: dict[int, asyncio.Lock] = {}
        self._nlp_lock = asyncio.Lock()
        self._cluster_lock = asyncio.Lock()  # clustering and storing, one article at a time
        self._signatures = SignatureCache(store)
        self._stories = StoryIndex(self.options.clustering)

    async def poll(self, feed: FeedState) -> PollResult:
        """Poll one feed and ingest its new items; failures land in the feed's health."""
        async with self._feed_locks.setdefault(feed.id, asyncio.Lock()):
            current = await self.store.feed(feed.id) or feed
            # 1. conditional fetch
            try:
                answer = await self.source.fetch(
                    current.url, Validators(current.etag, current.last_modified)
                )
            except FeedError as error:
                return await self._failed(current, error)
            # 2. new items, read, analyzed, clustered and stored (or handed to a worker)
            if self.defer is not None:
                deferred = await self._defer_all(current, answer, self.defer)
                return PollResult(await self._succeeded(current, answer, 0, deferred))
            articles = await self._ingest_all(current, answer)
            # 3. health and next poll
            return PollResult(await self._succeeded(current, answer, len(articles)), articles)

    async def ingest_job(self, job: IngestJob) -> Article | None:
        """Read, analyse, cluster and store one deferred item; None when it is not new.

        The clustering candidates are read after the analysis, so that articles stored by other
        workers in the meantime are seen; only their signatures, and only the ones this process
        has not read before (`SignatureCache`).
        """
        feed = await self.store.feed(job.feed_id)
        if feed is None:
            return None
        answer = FeedPoll(title=job.feed_title)
        return await self._ingest(feed, answer, job.entry, job.backfill)

    async def _defer_all(self, feed: FeedState, answer: FeedPoll, defer: Defer) -> int:
        backfill = feed.last_success_at is None
        deferred = 0
        for entry in _newest(answer.entries, self.options.max_items):
            if not await self.store.known_article(feed.id, entry.url, entry.guid, "-"):
                await defer(IngestJob(feed.id, answer.title or feed.title, entry, backfill))
                deferred += 1
        return deferred

    async def _ingest_all(self, feed: FeedState, answer: FeedPoll) -> tuple[Article, ...]:
        backfill = feed.last_success_at is None
        stored: list[Article] = []
        for entry in _newest(answer.entries, self.options.max_items):
            article = await self._ingest(feed, answer, entry, backfill)
            if article is not None:
                stored.append(article)
        return tuple(stored)

    async def _ingest(
        self,
        feed: FeedState,
        answer: FeedPoll,
        entry: FeedEntry,
        backfill: bool,
    ) -> Article | None:
        # a. dedupe on link and guid before reading anything
        if await self.store.known_article(feed.id, entry.url, entry.guid, "-"):
            return None
        # b. the article's text: the feed's own content, or the linked page
        read = await self._read(entry)
        content_hash = _hash(read.text or entry.url)
        # c. dedupe on content (the same text under a new link) and on the page's own URL
        entry = replace(entry, url=read.canonical_url or entry.url)
        if await self.store.known_article(feed.id, entry.url, entry.guid, content_hash):
            return None
        article = self._article(feed, answer, entry, read, content_hash, backfill)
        # d. cluster with recent articles, then store: one article at a time, and with the
        # candidates read just before, so that feeds polled at once (a tick's parallel polls)
        # see each other's articles of the same story
        async with self._cluster_lock:
            window = self.clock.now() - self.options.clustering.window
            self._stories.sync(await self._signatures.since(window))
            match = self._stories.best_story(article)
            if match is not None:
                article = replace(article, story_id=match[0])
            return await self.store.add_article(article)

    async def _read(self, entry: FeedEntry) -> _Read:
        feed_text = html_to_text(entry.content or entry.summary or "")
        short = len(feed_text) < self.options.min_content_chars
        if short:
            page = await self._page(entry)
            if page is not None and len(page.text) > len(feed_text):
                return page
            if page is not None:  # a paywall's teaser, a cookie wall: the feed says more
                log.info("page %s says less than its feed; using the feed's text", entry.url)
        outcome = await self._analyze(entry, ArticleBody(text=feed_text))
        if isinstance(outcome, NotDigested):
            # a bug in the core still lets the item through, with the feed's own excerpt
            digest = excerpt_digest(entry, feed_text, outcome) if outcome.shows_excerpt else None
            return _Read(feed_text, digest, excerpt_only=digest is not None or short)
        return _Read(feed_text, outcome, excerpt_only=short)

    async def _page(self, entry: FeedEntry) -> _Read | None:
        try:
            body = await self.source.article(entry)
        except FeedError as error:
            log.info("article %s not read (%s); using the feed's text", entry.url, error.reason)
            return None
        digest = await self._analyze(entry, body)
        if isinstance(digest, NotDigested):  # the feed's text is tried next, like a paywall's
            return None
        return _Read(digest.text or body.text or "", digest, body.canonical_url)

    async def in_worker(self, work: Callable[[Summariser], _T]) -> _T:
        """Run `work` on the summariser in a worker thread, one analysis at a time (as feeds)."""
        async with self._nlp_lock:
            return await asyncio.to_thread(work, self.summariser)

    async def digest_article(self, entry: FeedEntry, body: ArticleBody) -> ArticleDigest | None:
        """Digest a page or text in a worker thread, one at a time; None when there is nothing."""
        outcome = await self._analyze(entry, body)
        return None if isinstance(outcome, NotDigested) else outcome

    async def _analyze(self, entry: FeedEntry, body: ArticleBody) -> ArticleDigest | NotDigested:
        text, page = body.text, body.html
        if page is not None and not looks_like_page(page):
            text, page = html_to_text(page), None
        if not (text or page):
            return NotDigested("no text", internal=False)
        async with self._nlp_lock:
            outcome = await asyncio.to_thread(
                analyse_safely,
                self.summariser,
                text=text,
                html=page,
                title=entry.title,
                url=entry.url,
                published=entry.published.date() if entry.published else None,
                language=entry.language,
            )
        if isinstance(outcome, NotDigested):
            log.info("article %s not digested: %s", entry.url, outcome.reason)
        return outcome

    def _article(
        self,
        feed: FeedState,
        answer: FeedPoll,
        entry: FeedEntry,
        read: _Read,
        content_hash: str,
        backfill: bool,
    ) -> Article:
        digest = read.digest
        title = entry.title or (digest.title if digest else None)
        return Article(
            url=entry.url,
            title=title,
            source=outlet_name(entry.url, answer.title or feed.title or "local"),
            published=entry.published,
            ingested_at=self.clock.now(),
            content_hash=content_hash,
            summary=digest.summary if digest else (),
            actors=digest.actors if digest else (),
            dates=digest.dates if digest else (),
            terms=terms_of(f"{title or ''}\n{read.text}"),
            lead_terms=terms_of(lead_of(title, read.text)),
            text=read.text[: self.options.max_text_chars],
            feed_id=feed.id,
            guid=entry.guid,
            backfill=backfill,
            excerpt_only=read.excerpt_only,
        )

    async def _succeeded(
        self, feed: FeedState, answer: FeedPoll, new: int, deferred: int = 0
    ) -> FeedState:
        now = self.clock.now()
        interval = self._interval(answer.interval or feed.interval)
        updated = replace(
            feed,
            title=answer.title or feed.title,
            etag=answer.etag if not answer.not_modified else feed.etag,
            last_modified=answer.last_modified if not answer.not_modified else feed.last_modified,
            interval=interval,
            next_poll_at=now + interval,
            last_polled_at=now,
            last_success_at=now,
            last_error=None,
            errors=0,
            articles=feed.articles + new,
        )
        await self.store.save_feed(updated)
        if deferred:
            log.info("polled %s: %s new item(s) handed to the workers", feed.url, deferred)
        else:
            log.info("polled %s: %s new article(s)", feed.url, new)
        return updated

    async def _failed(self, feed: FeedState, error: FeedError) -> PollResult:
        now = self.clock.now()
        errors = feed.errors + 1
        wait = min(feed.interval * 2 ** min(errors, 10), self.options.max_backoff)
        if error.retry_after is not None:  # the server said when; never come back sooner
            wait = max(wait, timedelta(seconds=min(error.retry_after, 7 * 86_400)))
        updated = replace(
            feed,
            last_polled_at=now,
            last_error=error.reason,
            errors=errors,
            next_poll_at=now + wait,
        )
        await self.store.save_feed(updated)
        log.warning("feed %s failed (%s); next try in %s", feed.url, error.reason, wait)
        return PollResult(
            updated,
            error=error.reason,
            permanent=error.permanent,
            not_a_feed=isinstance(error, NotAFeedError),
        )

    def _interval(self, wanted: timedelta) -> timedelta:
        return max(self.options.min_interval, min(wanted, self.options.max_interval))


def _newest(entries: tuple[FeedEntry, ...], limit: int) -> list[FeedEntry]:
    """Up to `limit` entries, newest first by publication (undated ones in feed order, last)."""
    dated = sorted((entry for entry in entries if entry.published), key=_timestamp, reverse=True)
    undated = [entry for entry in entries if not entry.published]
    return [*dated, *undated][:limit]


def _timestamp(entry: FeedEntry) -> float:
    return entry.published.timestamp() if entry.published else 0.0


def _hash(text: str) -> str:
    folded = " ".join(text.casefold().split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:40]

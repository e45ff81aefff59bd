"""Prometheus metrics of one process, and the port wrappers that count what passes through them.

The registry belongs to the process's composition root (no global default registry): the
wrappers decorate the feed source, the summariser and the publisher, so the engine itself knows
nothing about metrics.
"""

from __future__ import annotations

import re
import time
from datetime import date

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from bot.domain import Destination, Digest
from bot.ports import (
    ArticleBody,
    Explainer,
    FeedEntry,
    FeedError,
    FeedPoll,
    FeedSource,
    Publisher,
    PublishError,
    Summariser,
    Validators,
)
from summaries import ArticleDigest, InputError
from summaries.explain import SentenceExplanation

_HTTP_STATUS = re.compile(r"\bHTTP (\d)\d\d\b")
_REASONS = (
    ("timed out", "timeout"),
    ("timeout", "timeout"),
    ("refused", "refused"),
    ("private", "refused"),
    ("not allowed", "refused"),
    ("too large", "too_large"),
    ("not a feed", "not_a_feed"),
    ("parse", "not_a_feed"),
    ("dns", "dns"),
    ("resolve", "dns"),
    ("connect", "connection"),
    ("reset", "connection"),
    ("tls", "tls"),
    ("ssl", "tls"),
    ("no such file", "not_found"),
)


def fetch_error_reason(reason: str) -> str:
    """A fetch failure's one-line reason folded into a few label values (`http_4xx`, ...)."""
    match = _HTTP_STATUS.search(reason)
    if match:
        return f"http_{match.group(1)}xx"
    lowered = reason.lower()
    return next((label for needle, label in _REASONS if needle in lowered), "other")


class Metrics:
    """The bot's metrics, registered on a registry of their own."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        """Register every metric on `registry` (a new one by default)."""
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.feeds_polled = Counter("newsdigest_feeds_polled", "Feed fetches", registry=r)
        self.fetch_errors = Counter(
            "newsdigest_fetch_errors", "Failed feed fetches by reason", ["reason"], registry=r
        )
        self.articles_analysed = Counter(
            "newsdigest_articles_analysed",
            "Articles run through the NLP core, by outcome (ok, refused, error)",
            ["outcome"],
            registry=r,
        )
        self.analysis_seconds = Histogram(
            "newsdigest_analysis_seconds",
            "Seconds spent analysing one article",
            buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
            registry=r,
        )
        self.digests_delivered = Counter(
            "newsdigest_digests_delivered", "Digests posted to a platform", ["platform"], registry=r
        )
        self.delivery_failures = Counter(
            "newsdigest_delivery_failures", "Posts a platform refused", ["platform"], registry=r
        )
        self.queue_depth = Gauge(
            "newsdigest_queue_depth",
            "Jobs per task queue and status",
            ["queue", "status"],
            registry=r,
        )

    def set_queue_depth(self, depth: dict[tuple[str, str], int]) -> None:
        """Record the jobs waiting and running per queue."""
        for (queue, status), count in depth.items():
            self.queue_depth.labels(queue=queue, status=status).set(count)


class CountedSource:
    """A FeedSource that counts polls and their failures."""

    def __init__(self, inner: FeedSource, metrics: Metrics) -> None:
        """Count the fetches of `inner`."""
        self.inner = inner
        self.metrics = metrics

    async def fetch(self, url: str, validators: Validators) -> FeedPoll:
        """Poll through the inner source, counting the poll (and its failure)."""
        self.metrics.feeds_polled.inc()
        try:
            return await self.inner.fetch(url, validators)
        except FeedError as error:
            self.metrics.fetch_errors.labels(reason=fetch_error_reason(error.reason)).inc()
            raise

    async def article(self, entry: FeedEntry) -> ArticleBody:
        """The inner source's article page."""
        return await self.inner.article(entry)


class TimedSummariser:
    """A Summariser that counts and times analyses (thread-safe: it runs in worker threads)."""

    def __init__(self, inner: Summariser, metrics: Metrics) -> None:
        """Time the analyses of `inner`."""
        self.inner = inner
        self.metrics = metrics

    def analyze(
        self,
        *,
        text: str | None = None,
        html: str | None = None,
        title: str | None = None,
        url: str | None = None,
        published: date | None = None,
        language: str | None = None,
    ) -> ArticleDigest:
        """Analyse through the inner summariser, counting it and its seconds."""
        start, outcome = time.perf_counter(), "error"
        try:
            digest = self.inner.analyze(
                text=text, html=html, title=title, url=url, published=published, language=language
            )
            outcome = "ok"
            return digest
        except InputError:
            outcome = "refused"  # the input's fault (no text, a language not supported yet)
            raise
        finally:
            self.metrics.analysis_seconds.observe(time.perf_counter() - start)
            self.metrics.articles_analysed.labels(outcome=outcome).inc()

    def explain(
        self,
        *,
        text: str | None = None,
        title: str | None = None,
        url: str | None = None,
        published: date | None = None,
    ) -> tuple[ArticleDigest, tuple[SentenceExplanation, ...]]:
        """The inner summariser's explanation (not counted: an analysis asked by a reader).

        Raises:
            InputError: The inner summariser cannot explain (or refuses the input).
        """
        if not isinstance(self.inner, Explainer):
            raise InputError("this summariser cannot explain its choices")
        return self.inner.explain(text=text, title=title, url=url, published=published)


class CountedPublisher:
    """A Publisher that counts digests delivered and refused, per platform."""

    def __init__(self, inner: Publisher, metrics: Metrics) -> None:
        """Count the posts of `inner`."""
        self.inner = inner
        self.metrics = metrics

    async def publish(self, destination: Destination, digest: Digest, key: str) -> None:
        """Post through the inner publisher, counting the outcome."""
        platform = destination.platform.value
        try:
            await self.inner.publish(destination, digest, key)
        except PublishError:
            self.metrics.delivery_failures.labels(platform=platform).inc()
            raise
        self.metrics.digests_delivered.labels(platform=platform).inc()

    async def lookup(self, destination: Destination, key: str) -> bool | None:
        """Ask the inner publisher."""
        return await self.inner.lookup(destination, key)

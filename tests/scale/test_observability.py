"""Metrics, /healthz and /metrics over 127.0.0.1, and JSON log lines."""

from __future__ import annotations

import io
import json
import logging
from datetime import UTC, datetime

import aiohttp
import pytest

from bot.domain import Destination, Digest, DigestKind, Heading, Platform
from bot.fakes import FakePublisher, MemoryFeedSource
from bot.observability.logs import JsonFormatter, configure_logging
from bot.observability.metrics import (
    CountedPublisher,
    CountedSource,
    Metrics,
    TimedSummariser,
    fetch_error_reason,
)
from bot.observability.server import serve_health
from bot.ports import FeedError, Validators
from summaries import Analyzer

CHANNEL = Destination(Platform.SLACK, "T1", "C1")
NOW = datetime(2024, 3, 28, 12, tzinfo=UTC)


async def get(port: int, path: str) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}{path}") as answer,
    ):
        return answer.status, await answer.text()


@pytest.mark.asyncio
async def test_metrics_count_polls_errors_analyses_and_posts(analyzer: Analyzer) -> None:
    metrics = Metrics()
    source = MemoryFeedSource()
    source.failures["https://a.example/feed"] = FeedError("https://a.example/feed", "HTTP 503")
    counted = CountedSource(source, metrics)
    with pytest.raises(FeedError):
        await counted.fetch("https://a.example/feed", Validators())
    with pytest.raises(FeedError):
        await counted.fetch("https://b.example/feed", Validators())  # 404: unknown feed
    TimedSummariser(analyzer, metrics).analyze(text="The council met on Monday. " * 5)
    fake = FakePublisher(refuse={"k2"})
    publisher = CountedPublisher(fake, metrics)
    digest = Digest(DigestKind.LIVE, Heading(), NOW, NOW, ())
    await publisher.publish(CHANNEL, digest, "k1")
    with pytest.raises(Exception, match="channel_not_found"):
        await publisher.publish(CHANNEL, digest, "k2")
    metrics.set_queue_depth({("analysis", "todo"): 7})
    async with serve_health(metrics, "127.0.0.1", 0) as port:
        status, text = await get(port, "/metrics")
    assert status == 200
    for line in (
        "newsdigest_feeds_polled_total 2.0",
        'newsdigest_fetch_errors_total{reason="http_5xx"} 1.0',
        'newsdigest_fetch_errors_total{reason="http_4xx"} 1.0',
        'newsdigest_articles_analysed_total{outcome="ok"} 1.0',
        "newsdigest_analysis_seconds_count 1.0",
        'newsdigest_digests_delivered_total{platform="slack"} 1.0',
        'newsdigest_delivery_failures_total{platform="slack"} 1.0',
        'newsdigest_queue_depth{queue="analysis",status="todo"} 7.0',
    ):
        assert line in text


@pytest.mark.asyncio
async def test_healthz_says_ok_or_why_not() -> None:
    healthy = True

    async def check() -> None:
        if not healthy:
            raise RuntimeError("the database cannot be reached")

    refreshed: list[int] = []

    async def refresh() -> None:
        refreshed.append(1)

    async with serve_health(Metrics(), "127.0.0.1", 0, check=check, refresh=refresh) as port:
        assert await get(port, "/healthz") == (200, '{"status": "ok"}')
        healthy = False
        status, text = await get(port, "/healthz")
        await get(port, "/metrics")
    assert status == 503
    assert json.loads(text) == {
        "status": "unhealthy",
        "reason": "the database cannot be reached",
    }
    assert refreshed == [1]


@pytest.mark.parametrize(
    ("reason", "label"),
    [
        ("HTTP 404", "http_4xx"),
        ("HTTP 503 from the server", "http_5xx"),
        ("timed out after 20 s", "timeout"),
        ("refused: 10.0.0.1 is a private address", "refused"),
        ("not a feed (HTML page)", "not_a_feed"),
        ("something odd", "other"),
    ],
)
def test_fetch_error_reasons_fold_into_few_labels(reason: str, label: str) -> None:
    assert fetch_error_reason(reason) == label


def test_json_logs_are_one_object_per_line() -> None:
    stream = io.StringIO()
    configure_logging(logging.INFO, "json", stream)
    try:
        logging.getLogger("bot.test").info("polled %s", "feed", extra={"feed_id": 7})
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("bot.test").exception("failed")
    finally:
        configure_logging(logging.WARNING, "text")
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == "polled feed"
    assert first["level"] == "info" and first["logger"] == "bot.test" and first["feed_id"] == 7
    assert "ValueError: boom" in second["exception"]
    assert isinstance(JsonFormatter().format(logging.makeLogRecord({"msg": "x"})), str)

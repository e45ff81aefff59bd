"""Bounded storage: the retention setting, and the scheduler pruning at most once per period."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.app import compose
from bot.clock import FakeClock
from bot.config import ConfigError, load_settings, retention_floor_days
from bot.delivery.scheduler import SchedulerOptions
from bot.engine import EngineOptions, Pruned
from bot.fakes import FakePublisher, MemoryFeedSource
from bot.store.memory import MemoryStore
from summaries import Analyzer
from tests.bot.test_store_contract import article

DAY = timedelta(days=1)
MONTH = 30 * DAY


def test_retention_defaults_to_the_longest_digest_window() -> None:
    assert retention_floor_days() == 30  # `/digest since 30d`; the lookback is 7 days
    assert load_settings(_env_file=None).retention_days == 30
    assert load_settings(_env_file=None, retention_days=90).retention_days == 90


def test_a_retention_shorter_than_a_digest_window_is_refused_in_one_line() -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings(_env_file=None, retention_days=7)
    (line,) = refused.value.problems
    assert line.startswith("NEWSDIGEST_RETENTION_DAYS: must be at least 30")
    assert "NEWSDIGEST_RETENTION_DAYS=30" in line and "(got 7)" in line


class Harness:
    """A scheduler with a 30-day retention over a MemoryStore the test fills directly."""

    def __init__(self, analyzer: Analyzer, clock: FakeClock, retention: timedelta | None) -> None:
        self.store, self.clock = MemoryStore(), clock
        pace = SchedulerOptions(retention=retention)
        core = compose(
            self.store, MemoryFeedSource(), analyzer, clock, FakePublisher(), EngineOptions(), pace
        )
        self.scheduler, self.engine = core.scheduler, core.engine

    async def ingested(self, url: str, ago: timedelta) -> None:
        moment = self.clock.now() - ago
        await self.store.add_article(replace(article(url, feed_id=None), ingested_at=moment))

    async def articles(self) -> int:
        return len(await self.store.recent_articles(self.clock.now() - 365 * DAY))


@pytest.mark.asyncio
async def test_the_scheduler_prunes_on_its_first_tick_then_at_most_hourly(
    analyzer: Analyzer, clock: FakeClock
) -> None:
    bot = Harness(analyzer, clock, MONTH)
    await bot.ingested("https://a.example/old", MONTH + timedelta(minutes=1))
    await bot.ingested("https://a.example/new", DAY)
    assert (await bot.scheduler.tick()).pruned == Pruned(articles=1, stories=1)
    assert await bot.articles() == 1

    await bot.ingested("https://a.example/aged", MONTH + timedelta(minutes=1))
    clock.advance(timedelta(minutes=59))
    assert (await bot.scheduler.tick()).pruned is None
    assert await bot.articles() == 2
    clock.advance(timedelta(minutes=1))
    assert (await bot.scheduler.tick()).pruned == Pruned(articles=1, stories=1)


@pytest.mark.asyncio
async def test_without_a_retention_nothing_is_pruned(analyzer: Analyzer, clock: FakeClock) -> None:
    bot = Harness(analyzer, clock, None)
    await bot.ingested("https://a.example/old", 10 * MONTH)
    assert (await bot.scheduler.tick()).pruned is None
    assert await bot.articles() == 1


@pytest.mark.asyncio
async def test_the_engine_never_prunes_inside_a_digest_window(
    analyzer: Analyzer, clock: FakeClock
) -> None:
    bot = Harness(analyzer, clock, None)
    with pytest.raises(ValueError, match="shorter than a digest's window"):
        await bot.engine.prune(7 * DAY)

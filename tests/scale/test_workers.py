"""Two worker processes and the periodic scheduler on the real Postgres, one worker killed mid-task.

A loopback news site serves three feeds whose pages answer slowly; a Slack stand-in is the
platform the workers post to. Channel C1 follows all three feeds, C2 the first two; both are in
live mode. After the first poll (history, never posted), twelve new items appear; once pages are
being read by both workers, one worker gets SIGKILL. Every item must end up stored once, and
every new story posted once to each channel that follows it.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import migrate
from bot.config import load_settings
from bot.domain import Destination, DestinationSettings, DigestMode, Platform, SubscriptionKind
from bot.store.sql import open_store
from tests.bot.slack.standin import TOKEN, SlackStandIn, slack_standin
from tests.scale.conftest import NewsSite
from tests.scale.processes import ROOT, fetch, workers
from tests.support.waiting import wait_until

pytestmark = pytest.mark.asyncio

C1 = Destination(Platform.SLACK, "T1", "C1")
C2 = Destination(Platform.SLACK, "T1", "C2")
FOLLOWS = {C1: (1, 2, 3), C2: (1, 2)}
FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)
NEW_ITEMS = {1: range(10, 14), 2: range(20, 24), 3: range(30, 34)}


def worker_env(database_url: str, standin: SlackStandIn) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSDIGEST_", "SLACK_"))}
    return env | {
        "NEWSDIGEST_DATABASE_URL": database_url,
        "NEWSDIGEST_ALLOW_HOSTS": "127.0.0.1",
        "NEWSDIGEST_TICK_SECONDS": "1",
        "NEWSDIGEST_WORKER_CONCURRENCY": "2",
        "NEWSDIGEST_WORKER_HEARTBEAT_SECONDS": "0.5",
        "NEWSDIGEST_WORKER_STALLED_SECONDS": "2",
        "NEWSDIGEST_LOG_FORMAT": "json",
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_API_URL": standin.url,
        "PYTHONPATH": str(ROOT),
    }


async def seed(database_url: str, site: NewsSite) -> None:
    settings = load_settings(database_url=database_url, _env_file=None)
    await migrate(settings)
    live = DestinationSettings(mode=DigestMode.LIVE, live_limit=50)
    async with open_store(database_url) as store:
        now = site.start
        feeds = {
            n: await store.ensure_feed(site.feed_url(n), timedelta(minutes=15), now)
            for n in (1, 2, 3)
        }
        for destination, numbers in FOLLOWS.items():
            record = await store.ensure_destination(destination, live, now)
            for n in numbers:
                url = feeds[n].url
                await store.add_subscription(
                    record.id, SubscriptionKind.FEED, url, feeds[n].id, now
                )


async def make_due(database_url: str) -> None:
    async with open_store(database_url) as store:
        for feed in await store.due_feeds(FAR_FUTURE):
            await store.save_feed(replace(feed, next_poll_at=None))


def posted_keys(standin: SlackStandIn) -> Counter[str]:
    keys: Counter[str] = Counter()
    for post in standin.posts():
        metadata = post.get("metadata") or {}
        keys[str(metadata.get("event_payload", {}).get("key"))] += 1
    return keys


@pytest.mark.postgres
@pytest.mark.slow  # two worker processes, each loading spaCy, and a SIGKILL mid-task
async def test_two_workers_deliver_every_story_once_when_one_is_killed_mid_task(
    database_url: str, news_site: NewsSite, tmp_path: Path
) -> None:
    news_site.feeds = {1: [1], 2: [2], 3: [3]}  # history: read, never posted
    news_site.page_delay = 0.8
    await seed(database_url, news_site)
    async with (
        slack_standin() as standin,
        workers([worker_env(database_url, standin)] * 2, tmp_path) as procs,
    ):
        stored = "SELECT url, backfill, feed_id, story_id FROM articles"
        await wait_until(
            lambda: _count(database_url, stored, 3), "the first polls", timeout=60, interval=0.1
        )
        for feed, items in NEW_ITEMS.items():
            news_site.feeds[feed] += list(items)
        await make_due(database_url)
        await wait_until(
            lambda: _in_flight(news_site, 3), "both workers reading pages", timeout=30, interval=0.1
        )
        procs[0].kill()  # SIGKILL: its running jobs are left 'doing' until recovered
        await wait_until(
            lambda: _count(database_url, stored, 15), "every item stored", timeout=60, interval=0.1
        )
        expected = await _expected_posts(database_url)
        await wait_until(
            lambda: _posted(standin, expected), "every story posted", timeout=60, interval=0.1
        )
        rows = await fetch(database_url, stored)
        retried = await fetch(
            database_url,
            "SELECT job_id FROM procrastinate_events WHERE type = 'deferred_for_retry'",
        )
        pending = await fetch(database_url, "SELECT id FROM posts WHERE state = 'pending'")
    urls = Counter(row["url"] for row in rows)
    assert len(urls) == 15 and set(urls.values()) == {1}, urls
    keys = posted_keys(standin)
    assert set(keys.values()) == {1}, keys  # no post twice
    assert set(keys) == expected
    assert retried, "no job was running on the killed worker"
    assert not pending


async def _count(database_url: str, query: str, wanted: int) -> bool:
    return len(await fetch(database_url, query)) >= wanted


async def _in_flight(site: NewsSite, wanted: int) -> bool:
    return site.in_flight >= wanted


async def _expected_posts(database_url: str) -> set[str]:
    rows = await fetch(
        database_url,
        "SELECT DISTINCT d.id AS destination, a.story_id FROM articles a "
        "JOIN subscriptions s ON s.feed_id = a.feed_id "
        "JOIN destinations d ON d.id = s.destination_id WHERE NOT a.backfill",
    )
    return {f"live:{row['destination']}:{row['story_id']}" for row in rows}


async def _posted(standin: SlackStandIn, expected: set[str]) -> bool:
    return expected <= set(posted_keys(standin))

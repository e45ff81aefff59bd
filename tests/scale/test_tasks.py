"""Task arguments, the queue's locks and the schedule, on procrastinate's in-memory connector."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from procrastinate import App
from procrastinate.testing import InMemoryConnector

from bot.news.ingest import IngestJob
from bot.ports import FeedEntry
from bot.tasks.jobs import TaskOptions, cron_every, register_tasks
from bot.tasks.payloads import decode_job, encode_job
from bot.tasks.queue import ANALYSIS, POLLS, QueueConfigError, TaskQueue, conninfo

ENTRY = FeedEntry(
    url="https://news.example/a",
    title="A",
    guid="a-1",
    published=datetime(2024, 1, 5, 8, tzinfo=UTC),
    summary="<p>short</p>",
)


def test_a_deferred_item_survives_json() -> None:
    job = IngestJob(3, "World news", ENTRY, backfill=True)
    assert decode_job(encode_job(job)) == job
    bare = IngestJob(4, None, FeedEntry(url="https://news.example/b"), backfill=False)
    assert decode_job(encode_job(bare)) == bare


def test_the_queue_needs_postgres() -> None:
    assert conninfo("postgresql+asyncpg://u:p@db:5432/news") == "postgresql://u:p@db:5432/news"
    with pytest.raises(QueueConfigError, match="needs Postgres"):
        conninfo("sqlite+aiosqlite:///./data/newsdigest.db")


def test_the_schedule_fires_every_tick() -> None:
    assert cron_every(30) == "* * * * * */30"
    assert cron_every(300) == "*/5 * * * *"


@pytest.mark.asyncio
async def test_one_job_per_feed_waits_in_the_queue() -> None:
    connector = InMemoryConnector()
    app = App(connector=connector)
    register_tasks(app, TaskOptions())
    async with app.open_async():
        queue = TaskQueue(app)
        assert await queue.poll(7) is True
        assert await queue.poll(7) is False  # queueing lock: already waiting
        assert await queue.poll(8) is True
        await queue.analyse(IngestJob(7, None, ENTRY, backfill=False))
        await queue.analyse(IngestJob(7, None, ENTRY, backfill=False))
        depth = await queue.depth()
    jobs = list(connector.jobs.values())
    assert [job["queue_name"] for job in jobs] == [POLLS, POLLS, ANALYSIS]
    assert {job["lock"] for job in jobs} == {"feed:7", "feed:8", jobs[2]["lock"]}
    assert depth[(POLLS, "todo")] == 2
    assert set(app.periodic_registry.periodic_tasks) == {("schedule", "tick")}

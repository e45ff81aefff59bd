"""The procrastinate App on the bot's Postgres database, and the queue the bot defers work to.

Locks: every job carries a `lock` and a `queueing_lock` named after what it works on
(`feed:17`, `article:17:<hash>`, `destination:4`). The queueing lock keeps a second job for the
same thing out of the queue while one waits; the lock keeps two workers from running jobs for the
same thing at once. So one feed is never polled twice at the same time, however many schedulers
and workers there are.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from procrastinate import App, PsycopgConnector
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.jobs import Job
from sqlalchemy.engine import make_url

from bot.news.ingest import IngestJob
from bot.tasks.payloads import encode_job

log = logging.getLogger(__name__)

POLL_FEED = "poll_feed"
ANALYSE_ARTICLE = "analyse_article"
DELIVER = "deliver"
SCHEDULE = "schedule"

POLLS = "polls"
ANALYSIS = "analysis"
DELIVERIES = "deliveries"
SCHEDULING = "scheduling"

#: Jobs per batched insert (one round trip each).
BATCH = 500

_WAITING_LOCKS = (
    "SELECT queueing_lock FROM procrastinate_jobs "
    "WHERE status = 'todo' AND queueing_lock = ANY(%(locks)s)"
)


class QueueConfigError(ValueError):
    """The database cannot carry the task queue (it is not Postgres)."""


def conninfo(database_url: str) -> str:
    """The libpq connection string of a `postgresql+asyncpg://` SQLAlchemy URL.

    Raises:
        QueueConfigError: The URL is not a Postgres one.
    """
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise QueueConfigError(
            "the task queue needs Postgres: set NEWSDIGEST_DATABASE_URL to postgresql+asyncpg://..."
        )
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def build_app(database_url: str, *, pool_size: int = 10) -> App:
    """A procrastinate App on the bot's database (not opened; see `open_app`)."""
    connector = PsycopgConnector(conninfo=conninfo(database_url), min_size=1, max_size=pool_size)
    return App(connector=connector)


@asynccontextmanager
async def open_app(app: App) -> AsyncIterator[App]:
    """Open the App's connection pool for the duration of the block."""
    async with app.open_async():
        yield app


async def ensure_schema(app: App) -> bool:
    """Create procrastinate's tables when the database has none; True when it created them."""
    if await schema_present(app):
        return False
    await app.schema_manager.apply_schema_async()
    log.info("task queue schema created")
    return True


class TaskQueue:
    """Defers polls, analyses and deliveries; a job already waiting is not queued twice."""

    def __init__(self, app: App) -> None:
        """Defer through `app` (opened by the caller)."""
        self.app = app

    async def poll(self, feed_id: int) -> bool:
        """Queue a poll of the feed; False when one is already waiting."""
        return await self._defer(POLL_FEED, POLLS, f"feed:{feed_id}", feed_id=feed_id)

    async def poll_many(self, feed_ids: Sequence[int]) -> int:
        """Queue polls of many feeds, a batch per round trip; how many were queued.

        Feeds whose poll already waits are left out; should one be queued by someone else in
        between, its batch falls back to one job at a time.
        """
        queued = 0
        for start in range(0, len(feed_ids), BATCH):
            queued += await self._poll_batch(feed_ids[start : start + BATCH])
        return queued

    async def _poll_batch(self, feed_ids: Sequence[int]) -> int:
        locks = {f"feed:{feed_id}": feed_id for feed_id in dict.fromkeys(feed_ids)}
        waiting = await self.app.connector.execute_query_all_async(
            _WAITING_LOCKS, locks=list(locks)
        )
        for row in waiting:
            locks.pop(str(row["queueing_lock"]), None)
        jobs = [_poll_job(lock, feed_id) for lock, feed_id in locks.items()]
        if not jobs:
            return 0
        try:
            await self.app.job_manager.batch_defer_jobs_async(jobs)
        except AlreadyEnqueued:
            return sum([await self.poll(feed_id) for feed_id in locks.values()])
        return len(jobs)

    async def analyse(self, job: IngestJob) -> None:
        """Queue the reading and analysis of one new feed item."""
        digest = hashlib.sha256(job.entry.url.encode("utf-8")).hexdigest()[:20]
        lock = f"article:{job.feed_id}:{digest}"
        await self._defer(ANALYSE_ARTICLE, ANALYSIS, lock, job=encode_job(job))

    async def deliver(self, destination_id: int) -> bool:
        """Queue a delivery round for one destination; False when one is already waiting."""
        lock = f"destination:{destination_id}"
        return await self._defer(DELIVER, DELIVERIES, lock, destination_id=destination_id)

    async def depth(self) -> dict[tuple[str, str], int]:
        """Jobs waiting (`todo`) and running (`doing`) per queue."""
        counts: dict[tuple[str, str], int] = {}
        for row in await self.app.job_manager.list_queues_async():
            for status in ("todo", "doing"):
                counts[(str(row["name"]), status)] = int(row.get(status) or 0)
        return counts

    async def _defer(self, task: str, queue: str, lock: str, **kwargs: Any) -> bool:
        deferrer = self.app.configure_task(task, queue=queue, lock=lock, queueing_lock=lock)
        try:
            await deferrer.defer_async(**kwargs)
        except AlreadyEnqueued:
            log.debug("%s for %s is already queued", task, lock)
            return False
        return True


def _poll_job(lock: str, feed_id: int) -> Job:
    return Job(
        queue=POLLS,
        task_name=POLL_FEED,
        lock=lock,
        queueing_lock=lock,
        task_kwargs={"feed_id": feed_id},
    )


async def schema_present(app: App) -> bool:
    """Whether procrastinate's tables exist in the database."""
    row = await app.connector.execute_query_one_async(
        "SELECT to_regclass('procrastinate_jobs') IS NOT NULL AS present"
    )
    return bool(row["present"])

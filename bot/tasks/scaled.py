"""Scaled mode's processes: the task queue on the bot's Postgres, workers, health and metrics.

Called by the composition root (bot/app/), which builds the platform publishers and the engine;
this module builds the procrastinate App, hands the tasks their `Work` and serves `/healthz` and
`/metrics`. Nothing here knows about Slack or Discord.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.config import ConfigError, Settings
from bot.delivery.scheduler import Scheduler
from bot.engine import Engine
from bot.observability.metrics import Metrics
from bot.observability.server import serve_health
from bot.store.port import Store
from bot.tasks.jobs import TaskOptions, Work, register_tasks
from bot.tasks.queue import (
    QueueConfigError,
    TaskQueue,
    build_app,
    ensure_schema,
    open_app,
    schema_present,
)
from bot.tasks.worker import WorkerOptions, run_worker

log = logging.getLogger(__name__)


@asynccontextmanager
async def open_queue(settings: Settings) -> AsyncIterator[TaskQueue]:
    """The task queue on the configured Postgres database, open for the block.

    Raises:
        ConfigError: The database is not Postgres, or `newsdigest migrate` has not run.
    """
    try:
        app = build_app(settings.database_url, pool_size=settings.worker_concurrency + 4)
    except QueueConfigError as error:
        raise ConfigError((f"NEWSDIGEST_DATABASE_URL: {error}",)) from None
    async with open_app(app):
        if not await schema_present(app):
            raise ConfigError(("the task queue has no tables yet: run `newsdigest migrate`",))
        yield TaskQueue(app)


async def migrate_queue(settings: Settings) -> str | None:
    """Create the task queue's tables on Postgres when missing; what was done (None on SQLite)."""
    if not settings.database_url.startswith("postgresql"):
        return None
    async with open_app(build_app(settings.database_url, pool_size=2)) as app:
        created = await ensure_schema(app)
    return "task queue tables created" if created else "task queue tables present"


def task_options(settings: Settings) -> TaskOptions:
    """Retry and schedule options from the settings."""
    return TaskOptions(
        tick_seconds=settings.tick_seconds,
        max_attempts=settings.task_attempts,
        stalled_after=settings.worker_stalled_seconds,
    )


async def work(
    settings: Settings,
    store: Store,
    engine: Engine,
    scheduler: Scheduler,
    queue: TaskQueue,
    metrics: Metrics,
) -> None:
    """Run this process's worker until stopped, with health and metrics when configured."""
    options = task_options(settings)
    register_tasks(queue.app, options)
    deps = Work(store, engine.ingestor, scheduler, queue, engine.clock, options)
    worker = WorkerOptions(
        name=f"{socket.gethostname()}-{os.getpid()}",
        concurrency=settings.worker_concurrency,
        heartbeat=settings.worker_heartbeat_seconds,
    )
    async with serve_operations(settings, metrics, queue):
        await run_worker(queue.app, deps, worker)


@asynccontextmanager
async def serve_operations(
    settings: Settings, metrics: Metrics, queue: TaskQueue | None = None
) -> AsyncIterator[None]:
    """`/healthz` and `/metrics` for the block when NEWSDIGEST_METRICS_PORT is set."""
    if settings.metrics_port is None:
        yield
        return

    async def check() -> None:
        if queue is not None and not await queue.app.check_connection_async():
            raise RuntimeError("the task queue's database cannot be reached")

    async def refresh() -> None:
        if queue is not None:
            metrics.set_queue_depth(await queue.depth())

    async with serve_health(
        metrics, settings.metrics_host, settings.metrics_port, check=check, refresh=refresh
    ):
        yield

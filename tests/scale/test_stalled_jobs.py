"""A dead worker's jobs on the real Postgres queue: queued again, or left to the same job waiting.

procrastinate's in-memory connector does not enforce queueing locks on retry, so these run on
Postgres: a worker takes jobs, its heartbeat goes stale, and `recover_stalled` settles them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from procrastinate import App

from bot.config import load_settings
from bot.tasks.jobs import TaskOptions, recover_stalled, register_tasks
from bot.tasks.queue import TaskQueue, build_app, open_app
from bot.tasks.scaled import migrate_queue
from tests.scale.processes import fetch

pytestmark = [pytest.mark.asyncio, pytest.mark.postgres]


@pytest_asyncio.fixture
async def queue(database_url: str) -> AsyncIterator[TaskQueue]:
    await migrate_queue(load_settings(database_url=database_url, _env_file=None))
    app = build_app(database_url, pool_size=2)
    register_tasks(app, TaskOptions())
    async with open_app(app):
        yield TaskQueue(app)


async def take_and_die(app: App, database_url: str) -> list[int]:
    """A worker takes every waiting delivery, then stops sending heartbeats; the jobs' ids."""
    worker = await app.job_manager.register_worker()
    taken = []
    while (job := await app.job_manager.fetch_job(None, worker)) is not None:
        assert job.id is not None
        taken.append(job.id)
    await fetch(
        database_url,
        "UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 hour'",
    )
    return taken


async def statuses(database_url: str) -> dict[int, str]:
    rows = await fetch(database_url, "SELECT id, status FROM procrastinate_jobs")
    return {row["id"]: str(row["status"]) for row in rows}


async def test_a_dead_workers_job_is_queued_again(queue: TaskQueue, database_url: str) -> None:
    await queue.deliver(1)
    [job] = await take_and_die(queue.app, database_url)
    assert await recover_stalled(queue.app, stalled_after=30) == 1
    assert await statuses(database_url) == {job: "todo"}


async def test_a_dead_job_whose_twin_waits_is_ended_so_that_the_twin_runs(
    queue: TaskQueue, database_url: str
) -> None:
    await queue.deliver(1)
    await queue.deliver(2)
    dead_one, dead_two = await take_and_die(queue.app, database_url)
    assert await queue.deliver(1)  # the next tick's round for destination 1 waits behind it
    [twin] = set(await statuses(database_url)) - {dead_one, dead_two}
    assert await recover_stalled(queue.app, stalled_after=30) == 2
    assert await statuses(database_url) == {dead_one: "failed", dead_two: "todo", twin: "todo"}
    assert await recover_stalled(queue.app, stalled_after=30) == 0  # settled, not every tick
    worker = await queue.app.job_manager.register_worker()
    runnable = [await queue.app.job_manager.fetch_job(None, worker) for _ in range(3)]
    assert {job.id for job in runnable if job is not None} == {twin, dead_two}
    assert runnable[2] is None

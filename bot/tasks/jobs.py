"""The tasks a worker runs, and their registration on the procrastinate App.

Each task is a thin shell: it takes the worker's `Work` (built once at worker start and handed to
procrastinate as additional context) and calls the engine coroutine the embedded scheduler calls
too. Retries back off exponentially; a job whose worker died (no heartbeat) is put back in the
queue by the next `schedule` run, unless a job for the same thing (its queueing lock) already
waits there: then the dead one is ended as failed, which frees its lock for the waiting one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from procrastinate import App, JobContext, RetryStrategy
from procrastinate.exceptions import UniqueViolation
from procrastinate.jobs import Job, Status

from bot.clock import Clock
from bot.delivery.scheduler import Scheduler
from bot.news.ingest import Ingestor
from bot.store.port import Store
from bot.tasks.payloads import decode_job
from bot.tasks.queue import (
    ANALYSE_ARTICLE,
    ANALYSIS,
    DELIVER,
    DELIVERIES,
    POLL_FEED,
    POLLS,
    SCHEDULE,
    SCHEDULING,
    TaskQueue,
)

log = logging.getLogger(__name__)

WORK = "newsdigest_work"


@dataclass(frozen=True)
class TaskOptions:
    """How tasks are retried and scheduled.

    Attributes:
        tick_seconds: Seconds between `schedule` runs (the periodic task).
        max_attempts: Attempts of a failing job before it is left failed.
        backoff: Base of the exponential wait between attempts, in seconds.
        stalled_after: Seconds without a worker heartbeat after which its jobs are retried.
    """

    tick_seconds: int = 30
    max_attempts: int = 5
    backoff: int = 2
    stalled_after: float = 30.0


@dataclass(frozen=True)
class Work:
    """What the tasks work with, built once per worker process by the composition root."""

    store: Store
    ingestor: Ingestor
    scheduler: Scheduler
    queue: TaskQueue
    clock: Clock
    options: TaskOptions


@dataclass(frozen=True)
class ScheduleReport:
    """What one `schedule` run queued, recovered and pruned."""

    polls: int = 0
    deliveries: int = 0
    recovered: int = 0
    pruned: int = 0


async def poll_feed(work: Work, feed_id: int) -> str:
    """Poll one feed if it is (still) due; its new items are queued for analysis."""
    feed = await work.store.feed(feed_id)
    if feed is None:
        return "no such feed"
    if feed.next_poll_at is not None and feed.next_poll_at > work.clock.now():
        return "not due"  # polled by an earlier job since this one was queued
    result = await work.ingestor.poll(feed)
    return result.error or "polled"


async def analyse_article(work: Work, job: dict[str, Any]) -> str:
    """Read, analyse, cluster and store one new item (nothing when it is already stored)."""
    article = await work.ingestor.ingest_job(decode_job(job))
    return "already stored" if article is None else f"stored in story {article.story_id}"


async def deliver(work: Work, destination_id: int) -> str:
    """Settle the destination's unconfirmed posts, then its live posts and due digest."""
    record = next((r for r in await work.store.destinations() if r.id == destination_id), None)
    if record is None:
        return "no such destination"
    await work.scheduler.settle(destination_id)
    posts = await work.scheduler.deliver(record)
    return f"{len(posts)} post(s)"


async def schedule(work: Work) -> ScheduleReport:
    """Queue due polls and a delivery round per destination; put stalled jobs back; prune.

    The prune runs here, in the one `schedule` job at a time (procrastinate's lock), at most
    once per `prune_every` of this worker's scheduler: with several workers, each prunes at
    most that often, and a prune after another finds little left to delete.
    """
    recovered = await recover_stalled(work.queue.app, work.options.stalled_after)
    due = await work.store.due_feeds(work.clock.now())
    polls = await work.queue.poll_many([feed.id for feed in due])
    deliveries = 0
    for record in await work.store.destinations():
        deliveries += await work.queue.deliver(record.id)
    pruned = await work.scheduler.prune()
    return ScheduleReport(polls, deliveries, recovered, pruned.articles if pruned else 0)


async def recover_stalled(app: App, stalled_after: float) -> int:
    """Put the jobs of workers without a recent heartbeat back in the queue; how many."""
    stalled = list(await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after))
    for job in stalled:
        await _recover(app, job)
    return len(stalled)


async def _recover(app: App, job: Job) -> None:
    """Queue a dead worker's job again, or leave its work to the same job already waiting.

    The dead job still holds its lock, so a job queued for the same thing since (a `deliver`
    for the same destination, say) waits behind it, and the queueing lock refuses a second
    waiting one: retrying would fail on every tick and the waiting job would never run.
    """
    log.warning("job %s (%s) lost its worker; queueing it again", job.id, job.task_name)
    try:
        await app.job_manager.retry_job(job)
    except UniqueViolation as taken:
        if taken.queueing_lock is None:
            raise
        log.warning("job %s: %s already waits in the queue; ending this one", job.id, job.lock)
        await app.job_manager.finish_job(job, Status.FAILED, delete_job=False)


def work_of(context: JobContext) -> Work:
    """The worker's Work from a job's context.

    Raises:
        RuntimeError: The worker was started without it (see `bot.tasks.worker.run_worker`).
    """
    work = context.additional_context.get(WORK)
    if not isinstance(work, Work):
        raise RuntimeError("the worker was started without its Work context")
    return work


async def _poll_feed_task(context: JobContext, feed_id: int) -> str:
    return await poll_feed(work_of(context), feed_id)


async def _analyse_article_task(context: JobContext, job: dict[str, Any]) -> str:
    return await analyse_article(work_of(context), job)


async def _deliver_task(context: JobContext, destination_id: int) -> str:
    return await deliver(work_of(context), destination_id)


async def _schedule_task(context: JobContext, timestamp: int) -> str:
    report = await schedule(work_of(context))
    return f"{report.polls} poll(s), {report.deliveries} delivery round(s) queued"


def register_tasks(app: App, options: TaskOptions) -> None:
    """Register the tasks and the periodic `schedule` on `app` (a worker's App)."""
    retry = RetryStrategy(max_attempts=options.max_attempts, exponential_wait=options.backoff)
    app.task(name=POLL_FEED, queue=POLLS, pass_context=True, retry=retry)(_poll_feed_task)
    app.task(name=ANALYSE_ARTICLE, queue=ANALYSIS, pass_context=True, retry=retry)(
        _analyse_article_task
    )
    app.task(name=DELIVER, queue=DELIVERIES, pass_context=True, retry=retry)(_deliver_task)
    tick = app.task(name=SCHEDULE, queue=SCHEDULING, pass_context=True, lock=SCHEDULE)(
        _schedule_task
    )
    app.periodic(cron=cron_every(options.tick_seconds), periodic_id="tick")(tick)


def cron_every(seconds: int) -> str:
    """A cron expression firing every `seconds` (croniter's sixth field is the second)."""
    if seconds < 60:
        return f"* * * * * */{seconds}"
    return f"*/{max(1, seconds // 60)} * * * *"

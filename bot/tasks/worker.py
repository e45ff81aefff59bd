"""A procrastinate worker running the bot's tasks until it is stopped."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from procrastinate import App

from bot.tasks.jobs import WORK, Work

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerOptions:
    """How a worker runs.

    Attributes:
        name: Shown in procrastinate's logs.
        concurrency: Jobs run at once (analysis itself is one at a time per process).
        heartbeat: Seconds between the worker's heartbeats.
        install_signal_handlers: Stop gracefully on SIGINT/SIGTERM (off inside a bigger app).
        wait: Keep waiting for jobs; False stops the worker once the queues are empty.
    """

    name: str = "worker"
    concurrency: int = 4
    heartbeat: float = 10.0
    install_signal_handlers: bool = True
    wait: bool = True


async def run_worker(app: App, work: Work, options: WorkerOptions) -> None:
    """Run jobs from every queue until stopped (SIGTERM: running jobs finish first)."""
    log.info("worker %s starting, %s job(s) at a time", options.name, options.concurrency)
    await app.run_worker_async(
        name=options.name,
        concurrency=options.concurrency,
        wait=options.wait,
        additional_context={WORK: work},
        install_signal_handlers=options.install_signal_handlers,
        update_heartbeat_interval=options.heartbeat,
        stalled_worker_timeout=max(work.options.stalled_after, 3 * options.heartbeat),
        fetch_job_polling_interval=1.0,
        abort_job_polling_interval=5.0,
    )

"""`/healthz` and Prometheus `/metrics` on a small aiohttp server."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.observability.metrics import Metrics

log = logging.getLogger(__name__)

Check = Callable[[], Awaitable[None]]


@asynccontextmanager
async def serve_health(
    metrics: Metrics,
    host: str,
    port: int,
    *,
    check: Check | None = None,
    refresh: Check | None = None,
) -> AsyncIterator[int]:
    """Serve `/healthz` and `/metrics` for the duration of the block; yields the bound port.

    Args:
        metrics: What `/metrics` shows.
        host: Address to listen on.
        port: Port to listen on (0 picks a free one).
        check: Raises when the process is not healthy (the database is unreachable, say);
            `/healthz` then answers 503 with the reason.
        refresh: Brings gauges up to date (the queue depth) before `/metrics` answers.
    """
    app = web.Application()
    app.router.add_get("/healthz", _health_handler(check))
    app.router.add_get("/metrics", _metrics_handler(metrics, refresh))
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        bound = int(runner.addresses[0][1])
        log.info("health and metrics on http://%s:%s/healthz and /metrics", host, bound)
        yield bound
    finally:
        await runner.cleanup()


def _health_handler(check: Check | None) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def health(_request: web.Request) -> web.Response:
        if check is not None:
            try:
                await check()
            except Exception as error:
                log.warning("health check failed: %s", error)
                return web.json_response({"status": "unhealthy", "reason": str(error)}, status=503)
        return web.json_response({"status": "ok"})

    return health


def _metrics_handler(
    metrics: Metrics, refresh: Check | None
) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def serve(_request: web.Request) -> web.Response:
        if refresh is not None:
            try:
                await refresh()
            except Exception as error:
                log.warning("metrics refresh failed: %s", error)
        body = generate_latest(metrics.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    return serve

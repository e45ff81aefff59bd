"""Loopback servers for tests: serve an aiohttp app on a free port, find one, wait for a bot's."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from tests.support.waiting import wait_until


@asynccontextmanager
async def serve_on_loopback(app: web.Application) -> AsyncIterator[str]:
    """Serve `app` on 127.0.0.1 at a free port for the block; yields `http://127.0.0.1:<port>`."""
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


def free_port() -> int:
    """A loopback port nothing listens on right now (for a server the test does not start)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def listening(port: int) -> bool:
    """Whether something accepts connections on 127.0.0.1:`port`."""
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


async def until_listening(bot: asyncio.Task[None], port: int) -> None:
    """Wait until `bot` listens on `port`; a bot that stopped instead raises its own error."""
    await wait_until(lambda: bot.done() or listening(port), f"a server on port {port}")
    if bot.done():
        bot.result()

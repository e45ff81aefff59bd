"""Shared pieces of the reliability tests: a loopback site, a connection log, mention checks.

Everything here fakes the network at its outermost seam only: a real aiohttp server on 127.0.0.1
serves what a hostile site would, a resolver table stands in for DNS, and the event loop's
connection calls are observed (never replaced) to prove what was and was not dialled.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from slack_sdk.http_retry import builtin_async_handlers
from slack_sdk.http_retry.jitter import RandomJitter

from tests.support.loopback import serve_on_loopback

#: Mentions that would ping on Slack (`<!channel>`, `<@U1>`, `<!subteam^S1>`, a bare `@here`)
#: or Discord (`@everyone`, `<@123>`, `<@!123>`, `<@&123>`); Slack's own `<!date^...>` tokens are
#: not mentions. A zero-width space after `<` or `@` (what bot/render/mentions.py inserts) makes
#: them inert.
ACTIVE_MENTION = re.compile(
    r"<(?:!(?!date\^)|[@#])[A-Za-z0-9^]|@(?:everyone|here|channel|all)\b|<@[!&]?\d+>",
    re.IGNORECASE,
)
#: Bidi overrides and isolates that could reorder what readers see.
BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def active_mentions(text: str) -> list[str]:
    """Every mention in `text` that a chat client would turn into a ping."""
    return [match.group(0) for match in ACTIVE_MENTION.finditer(text)]


@dataclass
class ConnectionLog:
    """Every outbound connection the event loop was asked to make, as (host, port)."""

    attempts: list[tuple[str, int]] = field(default_factory=list)

    def ports(self) -> set[int]:
        return {port for _host, port in self.attempts}


@contextlib.contextmanager
def observed_connections(loop: asyncio.AbstractEventLoop) -> Iterator[ConnectionLog]:
    """Record the loop's outbound connections (aiohttp dials through these two calls)."""
    log = ConnectionLog()
    real_connect = loop.sock_connect
    real_create = loop.create_connection

    async def sock_connect(sock: Any, address: Any) -> None:
        log.attempts.append((str(address[0]), int(address[1])))
        await real_connect(sock, address)

    async def create_connection(*args: Any, **kwargs: Any) -> Any:
        host, port = kwargs.get("host"), kwargs.get("port")
        if len(args) >= 3:
            host, port = args[1], args[2]
        if host is not None and port is not None:
            log.attempts.append((str(host), int(port)))
        return await real_create(*args, **kwargs)

    loop.sock_connect = sock_connect  # type: ignore[method-assign]
    loop.create_connection = create_connection  # type: ignore[method-assign]
    try:
        yield log
    finally:
        del loop.sock_connect
        del loop.create_connection


@dataclass
class Canary:
    """Listeners on 127.0.0.1 (and ::1 when the host has IPv6) that must never be reached."""

    port: int
    port6: int | None
    seen: list[str] = field(default_factory=list)


@contextlib.asynccontextmanager
async def canary_listener() -> AsyncIterator[Canary]:
    """Start the canary; every connection it receives is recorded."""
    seen: list[str] = []

    async def record(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.append(str(writer.get_extra_info("peername")))
        writer.close()

    server = await asyncio.start_server(record, "127.0.0.1", 0)
    server6: asyncio.Server | None = None
    with contextlib.suppress(OSError):
        server6 = await asyncio.start_server(record, "::1", 0)
    port6 = server6.sockets[0].getsockname()[1] if server6 else None
    try:
        yield Canary(server.sockets[0].getsockname()[1], port6, seen)
    finally:
        server.close()
        if server6 is not None:
            server6.close()


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@contextlib.asynccontextmanager
async def loopback_site(routes: Mapping[str, Handler], method: str = "GET") -> AsyncIterator[str]:
    """A real aiohttp server on 127.0.0.1 serving `routes`; yields its base URL."""
    app = web.Application()
    for path, handler in routes.items():
        app.router.add_route(method, path, handler)
    async with serve_on_loopback(app) as base:
        yield base


class _NoJitter:
    @staticmethod
    def random() -> float:
        return 0.0


@pytest.fixture(autouse=True)
def no_slack_jitter(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """slack_sdk adds up to 1 s of random jitter to each retry's wait: none in these tests.

    With Retry-After 0 and `server_error_wait=0.0`, every retry then goes out at once.
    """
    monkeypatch.setattr(builtin_async_handlers, "random", _NoJitter)
    monkeypatch.setattr(RandomJitter, "recalculate", lambda self, value: value)
    yield

"""Where discord.py talks to: the REST base (DISCORD_API_URL) and the gateway it names.

discord.py builds every REST URL from the class attribute `Route.BASE` (interaction callbacks and
webhook follow-ups included) and opens the gateway at `DiscordWebSocket.DEFAULT_GATEWAY` (also
after an invalidated session and for AutoShardedClient with a given shard count), not at the
address `GET /gateway/bot` returns. Both are class attributes, so they are set for the process
while a client is open and put back afterwards; one process talks to one Discord API.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import HTTPClient, Route

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://discord.com/api/v10"


@dataclass(frozen=True)
class GatewayInfo:
    """The answer of `GET /gateway/bot`.

    Attributes:
        url: The websocket address to connect to.
        shards: How many shards Discord recommends.
    """

    url: str
    shards: int


class EndpointsInUseError(RuntimeError):
    """Another Discord client of this process already talks to a different API base.

    Attributes:
        current: The base in use.
        wanted: The base asked for.
    """

    def __init__(self, current: str, wanted: str) -> None:
        super().__init__(f"Discord API base {current} is in use; cannot also use {wanted}")
        self.current = current
        self.wanted = wanted


_open: list[str] = []


@contextmanager
def discord_endpoints(api_url: str = DEFAULT_API_URL) -> Iterator[None]:
    """Send discord.py's REST calls to `api_url` (and its gateway, once set) within the block.

    Raises:
        EndpointsInUseError: A client of this process already uses another base.
    """
    base = api_url.rstrip("/")
    if _open and _open[-1] != base:
        raise EndpointsInUseError(_open[-1], base)
    saved = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = base
    _open.append(base)
    try:
        yield
    finally:
        _open.pop()
        if not _open:
            Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved


async def ask_gateway(http: HTTPClient) -> GatewayInfo:
    """`GET /gateway/bot` at the configured base (raises discord.GatewayNotFound)."""
    shards, url, _limits = await http.get_bot_gateway()
    return GatewayInfo(url=url, shards=shards)


def use_gateway(url: str) -> None:
    """Connect (and reconnect) to `url`, the gateway `GET /gateway/bot` named."""
    gateway = yarl.URL(url)
    if gateway != DiscordWebSocket.DEFAULT_GATEWAY:
        log.info("Discord gateway: %s", gateway)
    DiscordWebSocket.DEFAULT_GATEWAY = gateway

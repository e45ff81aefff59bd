"""Politeness to the sites we read: a few requests per host at a time, and waiting when asked.

A host that answered 429 or 503 with Retry-After is left alone until then: requests to it fail at
once (with the seconds left as `retry_after`, which the feed's schedule honours) instead of every
feed on that host asking again.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from bot.ports import FeedError


class HostWaitError(FeedError):
    """A request not sent: the host asked us (429/503 with Retry-After) to wait a while longer.

    Attributes:
        host: The host that asked.
        retry_after: Seconds left to wait.
    """

    def __init__(self, url: str, host: str, seconds: float) -> None:
        reason = f"{host} asked us to wait; retry after {seconds:.0f} s"
        super().__init__(url, reason, retry_after=seconds)
        self.host = host


class HostWaits:
    """Hosts that asked us to come back later, and when (on a monotonic clock)."""

    def __init__(self, longest: float, clock: Callable[[], float] = time.monotonic) -> None:
        """Never wait longer than `longest` seconds for a host, whatever it says."""
        self.longest = longest
        self.clock = clock
        self._until: dict[str, float] = {}

    def left(self, host: str) -> float | None:
        """Seconds still to wait for the host, or None when it may be asked now."""
        until = self._until.get(host)
        if until is None:
            return None
        left = until - self.clock()
        if left <= 0:
            del self._until[host]
            return None
        return left

    def wait(self, host: str, seconds: float) -> None:
        """Leave the host alone for `seconds` (capped)."""
        self._until[host] = self.clock() + min(seconds, self.longest)


@dataclass
class _HostSlot:
    semaphore: asyncio.Semaphore
    users: int = 0


class HostSlots:
    """At most `per_host` requests to one host at a time; idle hosts cost nothing."""

    def __init__(self, per_host: int) -> None:
        """Allow `per_host` concurrent requests per host."""
        self.per_host = per_host
        self._slots: dict[str, _HostSlot] = {}

    @contextlib.asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Hold one of the host's slots (waiting for one if all are taken)."""
        slot = self._slots.get(host)
        if slot is None:
            slot = self._slots[host] = _HostSlot(asyncio.Semaphore(self.per_host))
        slot.users += 1
        try:
            async with slot.semaphore:
                yield
        finally:
            slot.users -= 1
            if slot.users == 0:
                del self._slots[host]

    def __len__(self) -> int:
        """Hosts with a request in flight or waiting for a slot."""
        return len(self._slots)

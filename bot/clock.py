"""Time as a port: the scheduler asks a Clock, so tests drive time instead of sleeping on it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot.domain import utc


class Clock(Protocol):
    """Where the bot's notion of now comes from."""

    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...

    async def sleep_until(self, moment: datetime) -> None:
        """Return at (or after) `moment`."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """The wall-clock time in UTC."""
        return datetime.now(UTC)

    async def sleep_until(self, moment: datetime) -> None:
        """Sleep on the event loop until `moment`."""
        await asyncio.sleep(max(0.0, (moment - self.now()).total_seconds()))


class FakeClock:
    """A clock that moves only when told to; sleepers wake when it passes their moment."""

    def __init__(self, start: datetime) -> None:
        """Start at `start` (naive values are taken as UTC)."""
        self._now = utc(start)
        self._moved = asyncio.Event()

    def now(self) -> datetime:
        """The fake current instant."""
        return self._now

    def set(self, moment: datetime) -> None:
        """Jump to `moment` (forward or back); sleepers re-check on their next turn."""
        self._now = utc(moment)
        moved, self._moved = self._moved, asyncio.Event()
        moved.set()

    def advance(self, delta: timedelta) -> None:
        """Move forward by `delta`."""
        self.set(self._now + delta)

    async def sleep_until(self, moment: datetime) -> None:
        """Wait until the clock is moved to `moment` or past it."""
        while self._now < moment:
            await self._moved.wait()

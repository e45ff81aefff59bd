"""Command rate limits (per user, and per channel for on-demand digests) and quota refusals.

The limits live in this process's memory: with several front-ends each counts its own share,
which is enough to stop one user's flood; the quotas on what is followed are counted by the store.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.commands.replies import CommandError, CommandRequest
from bot.commands.spec import SPECS, invoke
from bot.domain import Platform
from bot.news.quotas import QuotaExceededError, Quotas, QuotaScope

MINUTE = timedelta(minutes=1)
SWEEP_AT = 10_000  # keys held before idle ones are dropped (at most once a window)
TENANT_WORDS = {Platform.SLACK: "workspace", Platform.DISCORD: "server"}


class SlidingWindow:
    """At most `limit` admissions per key within any `window`; refusals are not counted."""

    def __init__(self, limit: int, window: timedelta, clock: Clock) -> None:
        """Count against `clock`; a limit of 0 admits everything."""
        self.limit = limit
        self.window = window
        self.clock = clock
        self._hits: dict[Hashable, deque[datetime]] = {}
        self._swept_at = clock.now()

    def admit(self, key: Hashable) -> timedelta | None:
        """Count one admission for `key`; None when admitted, else how long until one would be."""
        if not self.limit:
            return None
        now = self.clock.now()
        hits = self._hits.setdefault(key, deque())
        _forget_before(hits, now - self.window)
        if len(hits) >= self.limit:
            return hits[0] + self.window - now
        hits.append(now)
        if len(self._hits) > SWEEP_AT and now >= self._swept_at + self.window:
            self._sweep(now)
        return None

    def _sweep(self, now: datetime) -> None:
        """Drop keys with nothing left in their window, so memory follows active users."""
        self._swept_at = now
        for key, hits in list(self._hits.items()):
            _forget_before(hits, now - self.window)
            if not hits:
                del self._hits[key]


def _forget_before(hits: deque[datetime], start: datetime) -> None:
    while hits and hits[0] <= start:
        hits.popleft()


@dataclass
class RateLimits:
    """The per-user command limit and the per-channel on-demand digest limit."""

    commands: SlidingWindow
    digests: SlidingWindow

    @classmethod
    def of(cls, quotas: Quotas, clock: Clock) -> RateLimits:
        """Both limits per minute, from the quotas."""
        return cls(
            SlidingWindow(quotas.commands_per_minute, MINUTE, clock),
            SlidingWindow(quotas.digests_per_minute, MINUTE, clock),
        )

    def refusal(self, request: CommandRequest, command: str) -> CommandError | None:
        """Count the request; a refusal when its user (or, for `digest`, its channel) is over."""
        if request.user is not None:
            wait = self.commands.admit((request.destination.platform, request.user))
            if wait is not None:
                limit = self.commands.limit
                return CommandError(
                    f"too many commands: {limit} a minute at most; try again in {_span(wait)}",
                    invoke("help"),
                )
        if command == "digest":
            wait = self.digests.admit(request.destination)
            if wait is not None:
                return CommandError(
                    f"this channel asked for {self.digests.limit} digests in the last minute, "
                    f"the most allowed; try again in {_span(wait)} (or /schedule a daily one)",
                    invoke("schedule", time="09:00"),
                )
        return None


def quota_refusal(error: QuotaExceededError, platform: Platform) -> CommandError:
    """The one line that says which quota is full, its limit, and what to do."""
    if error.scope is QuotaScope.CHANNEL:
        return CommandError(
            f"this channel follows {error.limit} feeds and topics, the most allowed; "
            "unsubscribe something first (/subscriptions lists them)",
            SPECS["unsubscribe"].example,
        )
    tenant = TENANT_WORDS.get(platform, "console")
    return CommandError(
        f"this {tenant} follows {error.limit} feeds, the most allowed; unsubscribe a feed "
        "in one of its channels first (/subscriptions there lists them)",
        SPECS["unsubscribe"].example,
    )


def _span(wait: timedelta) -> str:
    """A wait in whole seconds, rounded up ("1 second", "42 seconds")."""
    seconds = max(1, math.ceil(wait.total_seconds()))
    return "1 second" if seconds == 1 else f"{seconds} seconds"

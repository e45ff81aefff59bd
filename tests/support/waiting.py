"""The one bounded wait for tests that watch real loopback servers, processes or tasks.

Only for waits on something running outside the test's control (a socket server, a subprocess,
a task on the event loop); tests on the fake clock advance it instead and never wait.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable

Condition = Callable[[], object | Awaitable[object]]

TIMEOUT = 5.0  # seconds: no loopback exchange in these tests comes near it
INTERVAL = 0.025  # seconds between looks


async def wait_until(
    condition: Condition,
    what: str | Callable[[], str],
    *,
    timeout: float = TIMEOUT,
    interval: float = INTERVAL,
) -> None:
    """Return once `condition()` is truthy; it may be a plain or an async function.

    Args:
        condition: Looked at now and then every `interval` seconds until `timeout`.
        what: What is awaited, in words, for the failure message (or a function giving them
            at the timeout, to show the state the condition was looking at).
        timeout: Seconds on the wall clock before giving up.
        interval: Seconds between looks.

    Raises:
        AssertionError: `condition()` was still falsy after `timeout` seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        if await holds(condition):
            return
        if time.monotonic() >= deadline:
            words = what if isinstance(what, str) else what()
            raise AssertionError(f"timed out after {timeout:g} s waiting for {words}")
        await asyncio.sleep(interval)


async def holds(condition: Condition) -> bool:
    """Whether `condition()` is truthy now (awaiting it when it returns an awaitable)."""
    outcome = condition()
    if inspect.isawaitable(outcome):
        outcome = await outcome
    return bool(outcome)

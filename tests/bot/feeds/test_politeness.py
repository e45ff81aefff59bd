"""Politeness: a few requests per host at a time, and no request to a host that asked us to wait."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from bot.feeds.politeness import HostSlots, HostWaits


@pytest.mark.asyncio
async def test_host_slots_limit_each_host_and_forget_idle_ones() -> None:
    slots = HostSlots(per_host=2)
    inside: Counter[str] = Counter()
    peak: Counter[str] = Counter()
    release = asyncio.Event()

    async def request(host: str) -> None:
        async with slots.slot(host):
            inside[host] += 1
            peak[host] = max(peak[host], inside[host])
            await release.wait()
            inside[host] -= 1

    tasks = [asyncio.create_task(request("a.example")) for _ in range(5)]
    tasks.append(asyncio.create_task(request("b.example")))
    for _ in range(5):
        await asyncio.sleep(0)
    assert inside == Counter({"a.example": 2, "b.example": 1}) and len(slots) == 2
    release.set()
    await asyncio.gather(*tasks)
    assert peak == Counter({"a.example": 2, "b.example": 1})
    assert len(slots) == 0, "a host with nothing in flight keeps no semaphore"


@pytest.mark.asyncio
async def test_a_cancelled_waiter_frees_its_place() -> None:
    slots = HostSlots(per_host=1)
    release = asyncio.Event()

    async def hold() -> None:
        async with slots.slot("a.example"):
            await release.wait()

    holder = asyncio.create_task(hold())
    waiter = asyncio.create_task(hold())
    await asyncio.sleep(0)
    waiter.cancel()
    release.set()
    await holder
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert len(slots) == 0


def test_host_waits_run_out_on_the_clock_and_are_capped() -> None:
    now = [1000.0]
    waits = HostWaits(longest=600.0, clock=lambda: now[0])
    assert waits.left("a.example") is None
    waits.wait("a.example", 120)
    waits.wait("b.example", 86_400)  # a day asked, ten minutes granted
    now[0] += 20
    assert waits.left("a.example") == 100.0 and waits.left("b.example") == 580.0
    now[0] += 100
    assert waits.left("a.example") is None and waits.left("b.example") == 480.0

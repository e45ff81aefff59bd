"""The retention benchmark's live tick: a scheduler's deliveries to every channel, calls timed.

Three figures on the same database and clock (the end of the simulated days):
1. `undelivered` + compose per live channel (the figure of the first runs; kept to compare);
2. the real tick's step 3 one destination at a time (`Scheduler.deliver`, each with its own reads:
   live posts, the daily slot, feed alerts), as every tick did before the reads were batched and
   as a worker of scaled mode still does;
3. the real tick's step 3 as the single process runs it (`Scheduler.deliver_all`: reads once for
   every destination).
Nothing is written: the deliverer records no post (a kept database can be timed again).
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from benchmarks.retention_rows import DAY, START
from bot.clock import FakeClock
from bot.delivery.deliverer import Deliverer
from bot.delivery.scheduler import Scheduler
from bot.domain import DestinationRecord, Digest, DigestKind, Post, PostState
from bot.engine import Engine, EngineOptions
from bot.fakes import FakePublisher, MemoryFeedSource
from bot.news.ingest import Ingestor
from bot.ports import Summariser
from bot.store.port import Store


class TimedStore:
    """A Store whose calls are timed by name (the live tick's breakdown)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._store, name)

        async def timed(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return await method(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - began
                self.calls[name] += 1

        return timed


class NoWrites(Deliverer):
    """A deliverer that records and publishes nothing: each post is taken as sent."""

    async def deliver(
        self,
        record: DestinationRecord,
        digest: Digest,
        key: str,
        story_ids: Sequence[int],
        slot: datetime | None = None,
    ) -> Post | None:
        """The post as it would be, never stored."""
        now = self.clock.now()
        return Post(0, record.id, key, digest.kind, tuple(story_ids), PostState.SENT, now, slot)

    async def skip(
        self, record: DestinationRecord, key: str, kind: DigestKind, slot: datetime
    ) -> None:
        """Nothing recorded."""


def wired(
    args: argparse.Namespace, store: Store, summariser: Summariser
) -> tuple[TimedStore, Engine, Scheduler]:
    """A fresh timed store, engine and scheduler at the end of the simulated days."""
    timed = TimedStore(store)
    clock = FakeClock(START + args.days * DAY)
    ingestor = Ingestor(cast(Store, timed), MemoryFeedSource(), summariser, clock)
    engine = Engine(cast(Store, timed), ingestor, clock, EngineOptions())
    deliverer = NoWrites(cast(Store, timed), FakePublisher(), clock)
    return timed, engine, Scheduler(engine, deliverer, clock)


def breakdown(timed: TimedStore, done: int, rest: tuple[str, float] | None = None) -> None:
    """The store calls' table (and one more row: the time outside the store)."""
    print("\n| part | calls | seconds | per channel ms |\n|---|---|---|---|")
    for name in sorted(timed.seconds, key=lambda n: -timed.seconds[n]):
        seconds = timed.seconds[name]
        print(
            f"| store.{name} | {timed.calls[name]:,} | {seconds:.2f} "
            f"| {1000 * seconds / done:.1f} |"
        )
    if rest is not None:
        print(f"| {rest[0]} | {done:,} | {rest[1]:.2f} | {1000 * rest[1] / done:.1f} |")


async def undelivered(
    args: argparse.Namespace,
    store: Store,
    channels: list[DestinationRecord],
    summariser: Summariser,
) -> float:
    """Figure 1: `undelivered` + compose per live channel; the extrapolated total."""
    timed, engine, _ = wired(args, store, summariser)
    composing, done, found = 0.0, 0, 0
    began = time.perf_counter()
    for record in channels:
        stories = await engine.stories.undelivered(record, record.settings_changed_at)
        found += len(stories)
        if stories:
            at = time.perf_counter()
            since = min(story.first_seen for story in stories)
            engine.stories.compose(stories, DigestKind.LIVE, since, record)
            composing += time.perf_counter() - at
        done += 1
        if time.perf_counter() - began > args.tick_budget:
            break
    total = _line("Live tick", time.perf_counter() - began, done, len(channels), args.tick_budget)
    print(f"{found:,} undelivered stories")
    breakdown(timed, done, ("compose", composing))
    return total


async def one_by_one(args: argparse.Namespace, store: Store, summariser: Summariser) -> float:
    """Figure 2: step 3 with each destination's own reads (`Scheduler.deliver`)."""
    timed, engine, scheduler = wired(args, store, summariser)
    began, done, posts = time.perf_counter(), 0, 0
    records = await engine.destinations()
    for record in records:
        posts += len(await scheduler.deliver(record))
        done += 1
        if time.perf_counter() - began > args.tick_budget:
            break
    spent = time.perf_counter() - began
    total = _line("\nStep 3 one destination at a time", spent, done, len(records), args.tick_budget)
    print(f"{posts:,} posts")
    breakdown(timed, done, ("outside the store", _outside(timed, spent)))
    return total


async def batched(args: argparse.Namespace, store: Store, summariser: Summariser) -> float:
    """Figure 3: step 3 as the single process runs it (`Scheduler.deliver_all`)."""
    timed, _, scheduler = wired(args, store, summariser)
    began = time.perf_counter()
    posts = await scheduler.deliver_all()
    spent = time.perf_counter() - began
    records = len(await store.destinations())
    total = _line("\nStep 3 batched (deliver_all)", spent, records, records, args.tick_budget)
    print(f"{len(posts):,} posts")
    breakdown(timed, records, ("outside the store", _outside(timed, spent)))
    return total


def _outside(timed: TimedStore, spent: float) -> float:
    return spent - sum(timed.seconds.values())


def _line(what: str, spent: float, done: int, channels: int, budget: float) -> float:
    total = spent * channels / max(done, 1)
    cut = "" if done == channels else f" (cut at {budget:g} s, extrapolated)"
    print(
        f"{what}: {done:,} of {channels:,} channels in {spent:.2f} s, "
        f"{channels:,} channels: {total:.2f} s{cut};",
        end=" ",
    )
    return total

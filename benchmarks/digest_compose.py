"""Digest composition speed: a digest over 500 stored stories, from the SQLite store.

BBC articles from ../shared/eval are ingested once through the bot's real path (analyzer,
clustering) into a SQLite file, with ingestion times spread over the last 20 hours, until the
store holds the wanted number of stories. Then three paths are timed, each the best and the
median of the repeats: `/digest` on demand (load the window's stories, filter by subscription,
rank, compose), the scheduled digest's selection (deliverable and not yet delivered) with
composition, and rendering the result as plain text.

Usage:
    python -m benchmarks.digest_compose [EVAL_DIR] [--stories N] [--repeats R]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.clock import FakeClock
from bot.domain import Destination, DestinationRecord, DigestKind, Platform
from bot.engine import Engine, EngineOptions
from bot.fakes import MemoryFeedSource
from bot.news.ingest import Ingestor
from bot.ports import FeedEntry
from bot.render.text import render_digest
from bot.store.sql import SqlStore, open_store
from summaries import Analyzer

START = datetime(2024, 6, 3, 0, 0, tzinfo=UTC)
FEED = "https://bbc.example/feed"
CHANNEL = Destination(Platform.SLACK, "T1", "C1")


def bbc_texts(eval_dir: Path) -> list[tuple[str, str, str]]:
    """(id, title, text) of every BBC article."""
    with (eval_dir / "summaries" / "bbc-dev.jsonl").open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return [(r["id"], r["title"], r["text"]) for r in records]


async def fill(store: SqlStore, texts: list[tuple[str, str, str]], wanted: int) -> Engine:
    """Subscribe a channel, then ingest articles (one poll each) until `wanted` stories exist."""
    clock = FakeClock(START)
    source = MemoryFeedSource()
    engine = Engine(store, Ingestor(store, source, Analyzer.load(), clock), clock, EngineOptions())
    record = await engine.destination(CHANNEL)
    source.put(FEED, [])
    await engine.subscribe_feed(record, FEED)  # the empty first poll is the backfill
    entries: list[FeedEntry] = []
    step = timedelta(hours=20) / wanted
    for key, title, text in texts:
        clock.advance(step)
        entries.append(
            FeedEntry(f"https://bbc.example/{key}", title, key, clock.now(), content=text)
        )
        source.put(FEED, entries[-1:])
        await engine.ingestor.poll(await store.ensure_feed(FEED, timedelta(0), clock.now()))
        if len(await store.tenant_stories(CHANNEL.tenant, START)) >= wanted:
            break
    clock.set(START + timedelta(hours=21))
    return engine


async def timed(repeats: int, work: Callable[[], Awaitable[Any]]) -> tuple[float, float, Any]:
    """Best and median seconds of `repeats` runs, and the last result."""
    seconds: list[float] = []
    result: Any = None
    for _ in range(repeats):
        started = time.perf_counter()
        result = await work()
        seconds.append(time.perf_counter() - started)
    return min(seconds), statistics.median(seconds), result


async def measure(eval_dir: Path, wanted: int, repeats: int) -> None:
    """Fill a SQLite store and print the timings."""
    with tempfile.TemporaryDirectory() as folder:
        async with open_store(f"sqlite+aiosqlite:///{folder}/bench.db") as store:
            started = time.perf_counter()
            engine = await fill(store, bbc_texts(eval_dir), wanted)
            filled = time.perf_counter() - started
            record = await engine.destination(CHANNEL)
            stories = await store.tenant_stories(CHANNEL.tenant, START)
            articles = sum(len(story.articles) for story in stories)
            print(
                f"{len(stories)} stories from {articles} articles in SQLite "
                f"(ingested in {filled:.0f} s); best and median of {repeats} runs\n"
            )
            await _report(engine, record, repeats)


async def _report(engine: Engine, record: DestinationRecord, repeats: int) -> None:
    window = timedelta(hours=24)

    async def on_demand() -> Any:
        return await engine.on_demand(record, None, window)

    async def scheduled() -> Any:
        stories = await engine.undelivered(record, record.created_at)
        return engine.compose(stories, DigestKind.SCHEDULED, START, record)

    print("| path | stories considered | best (ms) | median (ms) |")
    print("|---|---|---|---|")
    best, median, digest = await timed(repeats, on_demand)
    print(
        f"| `/digest` (load, filter, rank, compose) | {len(digest.entries) + digest.more} "
        f"| {best * 1000:.0f} | {median * 1000:.0f} |"
    )
    best, median, digest = await timed(repeats, scheduled)
    print(
        f"| scheduled (undelivered, compose) | {len(digest.entries) + digest.more} "
        f"| {best * 1000:.0f} | {median * 1000:.0f} |"
    )

    async def render() -> Any:
        return render_digest(digest)

    best, median, _ = await timed(repeats, render)
    print(
        f"| render as plain text | {len(digest.entries)} shown | {best * 1000:.1f} "
        f"| {median * 1000:.1f} |"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", default="../shared/eval", type=Path)
    parser.add_argument("--stories", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    if not (args.eval_dir / "summaries").is_dir():
        print(
            f"evaluation data not found at {args.eval_dir} (give the eval folder)", file=sys.stderr
        )
        return 2
    asyncio.run(measure(args.eval_dir, args.stories, args.repeats))
    return 0


if __name__ == "__main__":
    sys.exit(main())

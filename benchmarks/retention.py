"""Bounded storage: a SQLite database over 90 simulated days stays flat, and a live tick's cost.

1. Growth: `--feeds` feeds each give `--per-day` articles a day (a few KB of text, a summary,
   actors, dates and terms each, as the analyser stores them) for `--days` days; every channel
   follows `--follows` feeds and gets its feeds' stories of the day in one post (their delivery
   records) plus a skipped daily slot. Rows go in by bulk INSERT in one transaction per day
   (the codec's row format; neither the NLP nor one transaction per article, which would take
   hours), then `Store.prune` runs as the scheduler's would, with the retention. Reported per
   simulated week: the SQLite file size, its page count and free pages, the rows kept and the
   prune's time.
2. Live tick, on the final database at the end of the simulated days, store calls timed
   (benchmarks/retention_tick.py): `undelivered` + compose per live channel; the scheduler's
   delivery step one destination at a time (`Scheduler.deliver`); and as one tick runs it,
   reading once for all (`Scheduler.deliver_all`). A one-at-a-time loop that would run past
   `--tick-budget` seconds is cut there and its total extrapolated from the channels done.

Usage:
    python -m benchmarks.retention [--days 90] [--feeds 1000] [--per-day 20] [--channels 1000]
        [--follows 3] [--retention 30] [--tick-budget 60] [--database PATH [--tick-only]]

`--tick-only` times the live tick again on the database a run with `--database` left (same
`--days`), e.g. after a change to the story selection.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing
from datetime import date, datetime, timedelta
from pathlib import Path

from benchmarks import retention_tick
from benchmarks.retention_rows import (
    DAY,
    START,
    Ids,
    World,
    file_figures,
    insert_day,
    row_counts,
    setup,
    stored_value,
    templates,
)
from bot.engine import EngineOptions
from bot.store.sql import SqlStore, open_store
from summaries import ArticleDigest


class NoSummariser:
    """The benchmark stores analysed rows itself: nothing is ever analysed."""

    def analyze(
        self,
        *,
        text: str | None = None,
        html: str | None = None,
        title: str | None = None,
        url: str | None = None,
        published: date | None = None,
        language: str | None = None,
    ) -> ArticleDigest:
        """Never called."""
        raise RuntimeError("the retention benchmark analyses nothing")


async def grow(args: argparse.Namespace, path: Path, store: SqlStore, world: World) -> None:
    """Simulate the days, pruning daily; print a row per week (and the last day)."""
    ids, shapes = Ids(args.per_day), templates()
    retention = timedelta(days=args.retention)
    print(
        "| day | file MiB | pages | free pages | articles | stories | posts | deliveries "
        "| insert s | prune s | pruned articles |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for day in range(args.days):
        began = time.perf_counter()
        await asyncio.to_thread(insert_day, path, world, day, ids, shapes, day == args.days - 1)
        inserted = time.perf_counter() - began
        began = time.perf_counter()
        pruned = await store.prune(START + (day + 1) * DAY - retention)
        pruning = time.perf_counter() - began
        if (day + 1) % 7 == 0 or day == args.days - 1:
            size, pages, free = file_figures(path)
            counts = " | ".join(f"{count:,}" for count in row_counts(path))
            print(
                f"| {day + 1} | {size / 2**20:,.0f} | {pages:,} | {free:,} | {counts} "
                f"| {inserted:.1f} | {pruning:.1f} | {pruned.articles:,} |",
                flush=True,
            )


async def live_tick(args: argparse.Namespace, store: SqlStore, world: World) -> None:
    """The live tick three ways (benchmarks/retention_tick.py), with the batched one's speed-up."""
    channels = world.channels or await store.destinations()
    summariser = NoSummariser()
    await retention_tick.undelivered(args, store, channels, summariser)
    before = await retention_tick.one_by_one(args, store, summariser)
    after = await retention_tick.batched(args, store, summariser)
    ratio = before / after
    print(f"\nStep 3 for {len(channels):,} channels: {before:.2f} s -> {after:.2f} s, {ratio:.1f}x")


def window_reads(path: Path, since: datetime) -> None:
    """The lookback window read whole (as the old unscoped `stories_since` did), raw: all, then ids.

    Against the store call's time this splits the database's share from decoding the rows.
    """
    window = "story_id IN (SELECT story_id FROM articles WHERE ingested_at >= ?)"
    print("\n| window read, raw sqlite3 | rows | seconds |\n|---|---|---|")
    with closing(sqlite3.connect(path)) as connection:
        for what, columns in (("every column", "*"), ("ids only", "id, story_id")):
            began = time.perf_counter()
            query = f"SELECT {columns} FROM articles WHERE {window} ORDER BY story_id, id"
            rows = connection.execute(query, (stored_value(since),)).fetchall()
            print(f"| {what} | {len(rows):,} | {time.perf_counter() - began:.2f} |")


@asynccontextmanager
async def database(given: str | None) -> AsyncIterator[Path]:
    """The SQLite file: the given one, or one in a temporary folder removed afterwards."""
    if given:
        yield Path(given)
        return
    with tempfile.TemporaryDirectory(prefix="nd-retention-") as folder:
        yield Path(folder) / "bench.db"


async def run(args: argparse.Namespace) -> None:
    """Both parts on one fresh database (`--tick-only`: the live tick on an earlier run's)."""
    async with database(args.database) as path, open_store(f"sqlite+aiosqlite:///{path}") as store:
        if args.tick_only:
            await live_tick(args, store, World([], []))
            window_reads(path, START + args.days * DAY - EngineOptions().lookback)
            return
        began = time.perf_counter()
        world = await setup(path, store, args.feeds, args.channels, args.follows)
        print(
            f"{args.feeds:,} feeds x {args.per_day} articles a day for {args.days} days, "
            f"{args.channels:,} live channels following {args.follows} feeds each, "
            f"retention {args.retention} days (set up in {time.perf_counter() - began:.1f} s)\n"
        )
        await grow(args, path, store, world)
        await live_tick(args, store, world)
        window_reads(path, START + args.days * DAY - EngineOptions().lookback)


def main(argv: list[str] | None = None) -> None:
    """Parse the flags and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--per-day", type=int, default=20)
    parser.add_argument("--channels", type=int, default=1000)
    parser.add_argument("--follows", type=int, default=3)
    parser.add_argument("--retention", type=int, default=30)
    parser.add_argument("--tick-budget", type=float, default=60.0)
    parser.add_argument("--database", help="SQLite file to use (default: a temporary one)")
    parser.add_argument(
        "--tick-only", action="store_true", help="only the live tick, on --database from a run"
    )
    asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    main()

"""Scaled mode under load: analysis throughput with 1 and 2 worker processes, and 10,000 polls.

Each run gets a fresh Postgres database (created and dropped here) and a loopback news site in
this process. Workers are real `newsdigest worker` processes.

1. Analysis: the same workload (feeds of distinct ~550-word articles, read from their pages) is
   ingested by 1, then 2 worker processes. The workers start first (model loaded, registered);
   then the feeds are made due and the clock runs until every article is stored. Throughput is
   articles / (last stored - feeds due), and also between the first and last article stored.
2. Polls: 10,000 feeds (tiny, no items) are queued with `TaskQueue.poll` and drained by 2
   workers; reported are the enqueue time and the time until every feed is polled. All feeds are
   on one loopback host, so the per-host limit (2 requests in flight per process) applies.

Usage:
    python -m benchmarks.scale --database postgresql+asyncpg://postgres@127.0.0.1:5432/test
        [--articles 120] [--feeds 10000] [--skip-polls]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
from aiohttp import web
from sqlalchemy.engine import make_url

from bot.app import migrate
from bot.config import load_settings
from bot.tasks.queue import TaskQueue, build_app, open_app

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "examples" / "iraq-us-troops.txt").read_text(encoding="utf-8")
PER_FEED = 20


def libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@asynccontextmanager
async def fresh_database(admin_url: str) -> AsyncIterator[str]:
    name = f"nd_bench_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(libpq(admin_url))
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        await migrate(load_settings(database_url=url, _env_file=None))
        yield url
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


class Site:
    """Feeds of article links, and the pages (the seed article with a lead of its own)."""

    def __init__(self, feeds: int, items: int) -> None:
        self.feeds, self.items, self.base = feeds, items, ""

    async def feed(self, request: web.Request) -> web.Response:
        """One feed: `items` links to pages."""
        number = int(request.match_info["feed"])
        items = "".join(
            f"<item><title>Story {number}-{n}</title><link>{self.base}/page/{number}/{n}</link>"
            f"<guid>{number}-{n}</guid><description>In brief.</description></item>"
            for n in range(self.items)
        )
        body = f"<rss version='2.0'><channel><title>Feed {number}</title>{items}</channel></rss>"
        return web.Response(text=body, content_type="application/rss+xml")

    async def page(self, request: web.Request) -> web.Response:
        """One article page."""
        feed, item = request.match_info["feed"], request.match_info["item"]
        lead = (
            f"<p>Dispatch {feed}-{item}: correspondents in region {feed} filed report {item}.</p>"
        )
        paragraphs = "".join(f"<p>{p}</p>" for p in SEED.split("\n\n") if p.strip())
        html = f"<html><body><article><h1>Story {feed}-{item}</h1>{lead}{paragraphs}</article>"
        return web.Response(text=html + "</body></html>", content_type="text/html")


@asynccontextmanager
async def serve(site: Site) -> AsyncIterator[Site]:
    app = web.Application()
    app.router.add_get("/feed/{feed}.xml", site.feed)
    app.router.add_get("/page/{feed}/{item}", site.page)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0, backlog=1024).start()
    site.base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        yield site
    finally:
        await runner.cleanup()


@asynccontextmanager
async def workers(count: int, url: str, concurrency: int) -> AsyncIterator[None]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDIGEST_")} | {
        "NEWSDIGEST_DATABASE_URL": url,
        "NEWSDIGEST_ALLOW_HOSTS": "127.0.0.1",
        "NEWSDIGEST_TICK_SECONDS": "59",
        "NEWSDIGEST_WORKER_CONCURRENCY": str(concurrency),
        "PYTHONPATH": str(ROOT),
    }
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "worker", env=env, stdout=asyncio.subprocess.DEVNULL
        )
        for _ in range(count)
    ]
    try:
        await until(url, "SELECT count(*) FROM procrastinate_workers", count, 120)
        yield
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        await asyncio.gather(*(proc.wait() for proc in procs))


async def scalar(url: str, query: str) -> int:
    connection = await asyncpg.connect(libpq(url))
    try:
        return int(await connection.fetchval(query))
    finally:
        await connection.close()


async def until(url: str, query: str, wanted: int, limit: float) -> float:
    start = time.monotonic()
    while await scalar(url, query) < wanted:
        if time.monotonic() - start > limit:
            raise TimeoutError(f"{query} did not reach {wanted} in {limit} s")
        await asyncio.sleep(0.05)
    return time.monotonic() - start


async def add_feeds(url: str, urls: list[str], due: bool) -> None:
    connection = await asyncpg.connect(libpq(url))
    try:
        await connection.executemany(
            "INSERT INTO feeds (url, interval_s, next_poll_at, errors, articles) "
            "VALUES ($1, 900, CASE WHEN $2 THEN NULL ELSE now() + interval '1 day' END, 0, 0)",
            [(feed, due) for feed in urls],
        )
        await connection.execute(
            "INSERT INTO destinations (platform, workspace, channel, digest_time, timezone, "
            "weekdays, max_stories, mode, live_limit, created_at, settings_changed_at) VALUES "
            "('slack', 'T1', 'C1', '09:00', 'UTC', '0,1,2,3,4,5,6', 10, 'quiet', 5, now(), now())"
        )
        await connection.execute(
            "INSERT INTO subscriptions (destination_id, kind, target, feed_id, created_at) "
            "SELECT 1, 'feed', url, id, now() FROM feeds"
        )
    finally:
        await connection.close()


async def analysis_rate(admin_url: str, processes: int, articles: int) -> tuple[float, float]:
    """Articles per second (from feeds due, and first to last stored) with N worker processes."""
    feeds = max(1, articles // PER_FEED)
    async with fresh_database(admin_url) as url, serve(Site(feeds, PER_FEED)) as site:
        await add_feeds(url, [f"{site.base}/feed/{n}.xml" for n in range(feeds)], due=False)
        async with workers(processes, url, concurrency=4):
            await scalar(url, "UPDATE feeds SET next_poll_at = NULL RETURNING 1")
            queue = TaskQueue(build_app(url, pool_size=2))
            async with open_app(queue.app):
                start = time.monotonic()
                for feed in range(1, feeds + 1):
                    await queue.poll(feed)
                await until(url, "SELECT count(*) FROM articles", feeds * PER_FEED, 900)
                elapsed = time.monotonic() - start
            spread = await scalar(
                url,
                "SELECT 1000 * extract(epoch FROM max(ingested_at) - min(ingested_at))::int "
                "FROM articles",
            )
    total = feeds * PER_FEED
    return total / elapsed, (total - 1) / max(spread / 1000, 1e-9)


async def poll_many(admin_url: str, count: int) -> tuple[float, float]:
    """Seconds to queue `count` polls and seconds until every feed was polled (2 workers)."""
    async with fresh_database(admin_url) as url, serve(Site(count, 0)) as site:
        await add_feeds(url, [f"{site.base}/feed/{n}.xml" for n in range(count)], due=True)
        async with workers(2, url, concurrency=20):
            queue = TaskQueue(build_app(url, pool_size=10))
            async with open_app(queue.app):
                start = time.monotonic()
                for first in range(1, count + 1, 500):
                    chunk = range(first, min(first + 500, count + 1))
                    await asyncio.gather(*(queue.poll(feed) for feed in chunk))
                queued = time.monotonic() - start
                polled = "SELECT count(*) FROM feeds WHERE last_polled_at IS NOT NULL"
                await until(url, polled, count, 1800)
                done = time.monotonic() - start
    return queued, done


async def main(args: argparse.Namespace) -> None:
    rates = {}
    for processes in (1, 2):
        rates[processes] = await analysis_rate(args.database, processes, args.articles)
        due, spread = rates[processes]
        print(f"{processes} worker(s): {due:.2f} articles/s from due, {spread:.2f} first-to-last")
    print(
        f"speed-up 2 vs 1: {rates[2][0] / rates[1][0]:.2f}x (from due), "
        f"{rates[2][1] / rates[1][1]:.2f}x (first-to-last)"
    )
    if not args.skip_polls:
        queued, done = await poll_many(args.database, args.feeds)
        print(
            f"{args.feeds} polls: queued in {queued:.1f} s, all polled after {done:.1f} s "
            f"({args.feeds / done:.0f} polls/s, 2 workers)"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("NEWSDIGEST_TEST_DATABASE_URL"))
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument("--feeds", type=int, default=10_000)
    parser.add_argument("--skip-polls", action="store_true")
    asyncio.run(main(parser.parse_args()))

"""Scaled mode under load: analysis throughput with 1 and 2 worker processes, and 10,000 polls.

Each run gets a fresh Postgres database (created and dropped here) and a loopback news site in
this process. Workers are real `newsdigest worker` processes.

1. Analysis: the same workload (feeds of distinct ~550-word articles, read from their pages) is
   ingested by 1, then 2 worker processes (`--rounds` repeats the pair). The workers start first
   (model loaded, registered); then the feeds are made due and the clock runs until every
   article is stored. Throughput is articles / (last stored - feeds due), and also between the
   first and last article stored. Beside each figure: the CPU seconds the workers, Postgres and
   this process spent in the window, and what other processes on the machine took meanwhile
   (a shared machine skews the ratio; the figure says by how much).
2. Polls: 10,000 feeds (tiny, no items) are queued with `TaskQueue.poll_many` (batched inserts)
   and drained by 2 workers; reported are the enqueue time and the time until every feed is
   polled. The feeds are spread over `HOSTS` loopback addresses (127.0.0.1-127.0.0.50), as real
   feeds are over many hosts; the per-host limit (2 requests in flight per process) applies to
   each.

Usage:
    python -m benchmarks.scale --database postgresql+asyncpg://postgres@127.0.0.1:5432/test
        [--articles 240] [--rounds 1] [--feeds 10000] [--skip-polls]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
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
HOSTS = 50
SINGLE_THREADED = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


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
        self.feeds, self.items, self.bases = feeds, items, [""]
        self.body = "".join(f"<p>{p}</p>" for p in SEED.split("\n\n") if p.strip())

    @property
    def base(self) -> str:
        """The first address's URL prefix."""
        return self.bases[0]

    def feed_url(self, number: int) -> str:
        """Feed `number`'s URL, on one of the site's addresses in turn."""
        return f"{self.bases[number % len(self.bases)]}/feed/{number}.xml"

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
        html = f"<html><body><article><h1>Story {feed}-{item}</h1>{lead}{self.body}</article>"
        return web.Response(text=html + "</body></html>", content_type="text/html")


@asynccontextmanager
async def serve(site: Site, hosts: int = 1) -> AsyncIterator[Site]:
    """Serve the site on 127.0.0.1 up to 127.0.0.`hosts` (one port each)."""
    app = web.Application()
    app.router.add_get("/feed/{feed}.xml", site.feed)
    app.router.add_get("/page/{feed}/{item}", site.page)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    for host in range(1, hosts + 1):
        await web.TCPSite(runner, f"127.0.0.{host}", 0, backlog=1024).start()
    site.bases = [f"http://{address[0]}:{address[1]}" for address in runner.addresses]
    try:
        yield site
    finally:
        await runner.cleanup()


@asynccontextmanager
async def workers(count: int, url: str, concurrency: int) -> AsyncIterator[list[int]]:
    """`count` worker processes, registered (model loaded) before the block; yields their pids."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDIGEST_")} | {
        "NEWSDIGEST_DATABASE_URL": url,
        "NEWSDIGEST_ALLOW_HOSTS": "127.0.0.0/8",
        "NEWSDIGEST_TICK_SECONDS": "59",
        "NEWSDIGEST_WORKER_CONCURRENCY": str(concurrency),
        "PYTHONPATH": str(ROOT),
        **SINGLE_THREADED,
    }
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli.main",
            "worker",
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
        )
        for _ in range(count)
    ]
    try:
        await until(url, "SELECT count(*) FROM procrastinate_workers", count, 120)
        yield [proc.pid for proc in procs]
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        await asyncio.gather(*(proc.wait() for proc in procs))


@dataclass(frozen=True)
class Cpu:
    """CPU seconds (core-seconds) spent, by whom."""

    workers: float = 0.0
    postgres: float = 0.0
    bench: float = 0.0
    machine: float = 0.0

    def __sub__(self, earlier: Cpu) -> Cpu:
        return Cpu(
            self.workers - earlier.workers,
            self.postgres - earlier.postgres,
            self.bench - earlier.bench,
            self.machine - earlier.machine,
        )

    @property
    def others(self) -> float:
        """What the rest of the machine (other people's processes) took."""
        return max(0.0, self.machine - self.workers - self.postgres - self.bench)

    def describe(self, seconds: float) -> str:
        """One line: core-seconds per role over a window of `seconds`."""
        return (
            f"CPU s: workers {self.workers:.1f}, postgres {self.postgres:.1f}, "
            f"bench {self.bench:.1f}, other processes {self.others:.1f} "
            f"(machine {self.machine / seconds:.2f} of {os.cpu_count()} cores busy)"
        )


def cpu_now(worker_pids: list[int]) -> Cpu:
    """CPU seconds so far of the workers, every Postgres process, this process and the machine."""
    ticks = os.sysconf("SC_CLK_TCK")
    stat = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    postgres = [pid for pid in _pids() if _comm(pid) == "postgres"]
    return Cpu(
        workers=sum(_cpu(pid) for pid in worker_pids) / ticks,
        postgres=sum(_cpu(pid) for pid in postgres) / ticks,
        bench=time.process_time(),
        machine=(sum(stat) - stat[3] - stat[4]) / ticks,
    )


def _pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _cpu(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


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


@dataclass(frozen=True)
class Rate:
    """One analysis run: articles/s from the feeds due and first to last stored, CPU spent."""

    due: float
    spread: float
    seconds: float
    cpu: Cpu


async def analysis_rate(admin_url: str, processes: int, articles: int) -> Rate:
    """Articles per second (from feeds due, and first to last stored) with N worker processes."""
    feeds = max(1, articles // PER_FEED)
    async with fresh_database(admin_url) as url, serve(Site(feeds, PER_FEED)) as site:
        await add_feeds(url, [site.feed_url(n) for n in range(feeds)], due=False)
        async with workers(processes, url, concurrency=4) as pids:
            await scalar(url, "UPDATE feeds SET next_poll_at = NULL RETURNING 1")
            queue = TaskQueue(build_app(url, pool_size=2))
            async with open_app(queue.app):
                before = cpu_now(pids)
                start = time.monotonic()
                await queue.poll_many(range(1, feeds + 1))
                await until(url, "SELECT count(*) FROM articles", feeds * PER_FEED, 900)
                elapsed = time.monotonic() - start
                cpu = cpu_now(pids) - before
            spread = await scalar(
                url,
                "SELECT 1000 * extract(epoch FROM max(ingested_at) - min(ingested_at))::int "
                "FROM articles",
            )
    total = feeds * PER_FEED
    return Rate(total / elapsed, (total - 1) / max(spread / 1000, 1e-9), elapsed, cpu)


async def poll_many(admin_url: str, count: int) -> tuple[float, float, Cpu]:
    """Seconds to queue `count` polls and until every feed was polled (2 workers), CPU spent."""
    async with fresh_database(admin_url) as url, serve(Site(count, 0), HOSTS) as site:
        await add_feeds(url, [site.feed_url(n) for n in range(count)], due=True)
        async with workers(2, url, concurrency=20) as pids:
            queue = TaskQueue(build_app(url, pool_size=2))
            async with open_app(queue.app):
                before = cpu_now(pids)
                start = time.monotonic()
                await queue.poll_many(range(1, count + 1))
                queued = time.monotonic() - start
                polled = "SELECT count(*) FROM feeds WHERE last_polled_at IS NOT NULL"
                await until(url, polled, count, 1800)
                done = time.monotonic() - start
                cpu = cpu_now(pids) - before
    return queued, done, cpu


async def main(args: argparse.Namespace) -> None:
    ratios: list[tuple[float, float]] = []
    for round_ in range(1, args.rounds + 1):
        rates = {}
        for processes in (1, 2):
            rate = rates[processes] = await analysis_rate(args.database, processes, args.articles)
            print(
                f"round {round_}, {processes} worker(s): {rate.due:.2f} articles/s from due, "
                f"{rate.spread:.2f} first-to-last; {rate.cpu.describe(rate.seconds)}",
                flush=True,
            )
        ratios.append((rates[2].due / rates[1].due, rates[2].spread / rates[1].spread))
        print(
            f"round {round_}, speed-up 2 vs 1: {ratios[-1][0]:.2f}x (from due), "
            f"{ratios[-1][1]:.2f}x (first-to-last)",
            flush=True,
        )
    if args.rounds > 1:
        print(
            f"median speed-up over {args.rounds} rounds: "
            f"{statistics.median(r[0] for r in ratios):.2f}x (from due), "
            f"{statistics.median(r[1] for r in ratios):.2f}x (first-to-last)"
        )
    if not args.skip_polls:
        queued, done, cpu = await poll_many(args.database, args.feeds)
        print(
            f"{args.feeds} polls: queued in {queued:.1f} s, all polled after {done:.1f} s "
            f"({args.feeds / done:.0f} polls/s, 2 workers); {cpu.describe(done)}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("NEWSDIGEST_TEST_DATABASE_URL"))
    parser.add_argument("--articles", type=int, default=240)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--feeds", type=int, default=10_000)
    parser.add_argument("--skip-polls", action="store_true")
    asyncio.run(main(parser.parse_args()))

"""Polling at scale: N feeds on a loopback server, 10% changed since the last poll, the rest 304.

The server runs in its own process (the other core); the poller runs in this one. Every feed has
its own host name (feed17.bench.test), resolved to 127.0.0.1 by the benchmark's resolver and
allowed through the guard, so per-host politeness works as it would on the web. Round one polls
every feed (all 200, validators stored); round two, the measured one, on a fresh HTTP session
(new connections, as a poll a quarter of an hour later would open), finds 10% of the feeds
changed (a 20-item RSS document, parsed) and the rest answering 304. Peak RSS is reported with
the RSS before the first round, so that the growth is the poller's, not the imports'.

Side by side on the same server and the same round: `newsdigest` (HttpFeedSource: guard, pinned
address, capped read, feedparser, connections closed after each response) and `bare aiohttp` (a
conditional GET to the same host names, with the same per-host limit, but no guard, no address
pinning, no parsing, and aiohttp's default 15 s keep-alive), each in a fresh child process so
that its peak memory is its own. Open file descriptors are sampled five times a second: idle
keep-alive connections to thousands of hosts pile up in the bare poller.

Usage:
    python -m benchmarks.poll_scale [--feeds 1000 10000] [--concurrency 200]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import resource
import socket
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from multiprocessing.synchronize import Event as EventType

import aiohttp
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

from bot.feeds.guard import AllowList, UrlGuard
from bot.feeds.http import FetchOptions, open_fetcher
from bot.feeds.source import HttpFeedSource
from bot.ports import Validators

ITEM = (
    "<item><title>Story {n}</title><link>https://news.example/{feed}/{n}</link>"
    "<guid>{feed}-{n}</guid><pubDate>Fri, 05 Jan 2024 08:00:00 GMT</pubDate>"
    "<description>Paragraph {n} of the news, long enough to look like a teaser.</description>"
    "</item>"
)


def feed_document(feed: int, version: int) -> bytes:
    """A 20-item RSS feed; its items depend on the version."""
    items = "".join(ITEM.format(feed=feed, n=version * 100 + n) for n in range(20))
    return f"<rss version='2.0'><channel><title>Feed {feed}</title>{items}</channel></rss>".encode()


def serve(port_queue: multiprocessing.Queue[int], stop: EventType) -> None:
    """The loopback feed server (a child process): version 2 for every tenth feed."""

    async def handler(request: web.Request) -> web.Response:
        feed = int(request.match_info["feed"])
        version = 2 if request.headers.get("X-Round") == "2" and feed % 10 == 0 else 1
        etag = f'"{feed}-{version}"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        body = feed_document(feed, version)
        return web.Response(body=body, content_type="application/rss+xml", headers={"ETag": etag})

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/feed/{feed}", handler)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0, backlog=1024).start()
        port_queue.put(runner.addresses[0][1])
        while not stop.is_set():
            await asyncio.sleep(0.1)
        await runner.cleanup()

    asyncio.run(main())


@dataclass(frozen=True)
class RoundResult:
    """One measured round."""

    feeds: int
    seconds: float
    changed: int
    not_modified: int
    failed: int
    baseline_rss_mib: float
    peak_rss_mib: float
    peak_descriptors: int


async def bench_resolve(host: str, port: int) -> list[str]:
    """Every benchmark host is the loopback server."""
    return ["127.0.0.1"]


class LoopbackResolver(AbstractResolver):
    """The bare poller's resolver: every host is the loopback server, as for ours."""

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """127.0.0.1 for any host."""
        return [
            ResolveResult(
                hostname=host, host="127.0.0.1", port=port, family=socket.AF_INET, proto=0, flags=0
            )
        ]

    async def close(self) -> None:
        """Nothing to release."""


Poll = Callable[[int, dict[int, str]], Awaitable[str]]


@asynccontextmanager
async def poller(port: int, round_: str, bare: bool) -> AsyncIterator[Poll]:
    """A poll function on a fresh HTTP session.

    Each round opens new connections, as a poll a quarter of an hour after the last one would,
    rather than reusing the previous round's keep-alive connections.
    """
    headers = {"X-Round": round_}
    if bare:
        connector = aiohttp.TCPConnector(resolver=LoopbackResolver(), limit=100, limit_per_host=2)
        async with aiohttp.ClientSession(connector=connector, headers=headers) as session:

            async def plain(feed: int, tags: dict[int, str]) -> str:
                validator = {"If-None-Match": tags.get(feed, "")}
                async with session.get(_feed_url(port, feed), headers=validator) as response:
                    await response.read()
                    tags[feed] = response.headers.get("ETag", "")
                    return str(response.status)

            yield plain
        return
    guard = UrlGuard(AllowList.parse("127.0.0.1"), resolve=bench_resolve)
    options = FetchOptions(total_timeout=30, connect_timeout=10, per_host=2)
    async with open_fetcher(guard, options) as fetcher:
        fetcher.session.headers.update(headers)
        source = HttpFeedSource(fetcher)

        async def ours(feed: int, tags: dict[int, str]) -> str:
            poll = await source.fetch(_feed_url(port, feed), Validators(etag=tags.get(feed)))
            tags[feed] = poll.etag or ""
            return "304" if poll.not_modified else "200"

        yield ours


def _feed_url(port: int, feed: int) -> str:
    return f"http://feed{feed}.bench.test:{port}/feed/{feed}"


async def run_rounds(feeds: int, port: int, concurrency: int, bare: bool) -> RoundResult:
    """Round one (unmeasured) then round two (measured) over `feeds` feeds."""
    etags: dict[int, str] = {}
    baseline = _peak_rss_mib()
    descriptors = [_open_descriptors()]
    watcher = asyncio.create_task(_watch_descriptors(descriptors))
    async with poller(port, "1", bare) as poll:
        await _round(poll, feeds, etags, concurrency)
    async with poller(port, "2", bare) as poll:
        started = time.perf_counter()
        outcomes = await _round(poll, feeds, etags, concurrency)
        seconds = time.perf_counter() - started
    watcher.cancel()
    peak = _peak_rss_mib()
    return RoundResult(
        feeds,
        seconds,
        outcomes.count("200"),
        outcomes.count("304"),
        len(outcomes) - outcomes.count("200") - outcomes.count("304"),
        baseline,
        peak,
        max(descriptors),
    )


def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else 0


async def _watch_descriptors(seen: list[int]) -> None:
    """Sample the open file descriptors (sockets, mostly) five times a second."""
    while True:
        seen.append(_open_descriptors())
        await asyncio.sleep(0.2)


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _round(poll: Poll, feeds: int, tags: dict[int, str], concurrency: int) -> list[str]:
    """Poll every feed once with `concurrency` workers (as a scheduler would, not 10,000 tasks)."""
    outcomes = [""] * feeds
    queue = iter(range(feeds))

    async def worker() -> None:
        for feed in queue:
            try:
                outcomes[feed] = await poll(feed, tags)
            except Exception as error:  # a benchmark counts failures rather than stopping
                outcomes[feed] = type(error).__name__

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return outcomes


def child(feeds: int, port: int, concurrency: int, bare: bool) -> RoundResult:
    """One measurement in a fresh process."""
    return asyncio.run(run_rounds(feeds, port, concurrency, bare))


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--concurrency", type=int, default=200)
    args = parser.parse_args(argv)
    context = multiprocessing.get_context("spawn")
    ports: multiprocessing.Queue[int] = context.Queue()
    stop = context.Event()
    server = context.Process(target=serve, args=(ports, stop), daemon=True)
    server.start()
    port = ports.get(timeout=30)
    print(
        "| feeds | poller | seconds | feeds/s | ratio to bare | 200 | 304 | failed "
        "| RSS before MiB | peak RSS MiB | growth MiB | peak open fds |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    try:
        for feeds in args.feeds:
            _measure(feeds, port, args.concurrency, context)
    finally:
        stop.set()
        server.join(10)
    return 0


def _measure(feeds: int, port: int, concurrency: int, context: BaseContext) -> None:
    results = {}
    for bare in (True, False):
        with ProcessPoolExecutor(1, mp_context=context) as pool:
            results[bare] = pool.submit(child, feeds, port, concurrency, bare).result(timeout=600)
    base_rate = results[True].feeds / results[True].seconds
    for bare, name in ((True, "bare aiohttp"), (False, "newsdigest")):
        r = results[bare]
        rate = r.feeds / r.seconds
        print(
            f"| {feeds:,} | {name} | {r.seconds:.1f} | {rate:,.0f} | {rate / base_rate:.2f} "
            f"| {r.changed:,} | {r.not_modified:,} | {r.failed:,} | {r.baseline_rss_mib:.0f} "
            f"| {r.peak_rss_mib:.0f} | {r.peak_rss_mib - r.baseline_rss_mib:.0f} "
            f"| {r.peak_descriptors:,} |",
            flush=True,
        )


if __name__ == "__main__":
    sys.exit(main())

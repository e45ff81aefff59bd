"""Crash safety: the bot SIGKILLed at random points while it polls, analyses and delivers.

Two halves. `python -m tests.reliability.crash` is the bot process: the production composition
(`open_bot`: SQLite store, guarded HTTP feeds, the real analyzer, the real scheduler) posting
through the real SlackPublisher to the Slack stand-in, on a clock that runs `SPEED` times faster
than the wall clock (so a 5-minute poll interval passes in half a second). `run_crashes` is the
harness: it serves the feeds and the Slack stand-in on 127.0.0.1, releases a few new articles,
starts the bot, waits until it has loaded its model, kills it with SIGKILL after a random delay,
checks the database with `PRAGMA integrity_check`, and starts it again, `kills` times; the last
run goes on until every article's digest has arrived. Used by tests/reliability/test_crash.py
(a few kills, in CI) and benchmarks/crash.py (the full count).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import random
import signal
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from statistics import median
from typing import Any

from aiohttp import web

from tests.bot.discord.standin import GUILD_ID, DiscordStandIn, discord_standin
from tests.bot.discord.standin import TOKEN as DISCORD_TOKEN
from tests.bot.slack.standin import TOKEN, SlackStandIn, slack_standin
from tests.support.loopback import serve_on_loopback
from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
SPEED = 600.0  # fake seconds per wall-clock second
CHANNELS = 4
READY = "crash-worker ready"
SYLLABLES: tuple[str, ...] = ("ka", "lo", "mi", "ne", "ru", "sa", "te", "vo")
SYLLABLES += ("zu", "bi", "da", "fe", "go", "hu", "ja", "ke")


# --- the bot process -------------------------------------------------------------------------


class FastClock:
    """A clock shared by every run: `start` at wall time `wall0`, running SPEED times faster."""

    def __init__(self, start: datetime, wall0: float, speed: float = SPEED) -> None:
        self.start, self.wall0, self.speed = start, wall0, speed

    def now(self) -> datetime:
        return self.start + timedelta(seconds=(time.time() - self.wall0) * self.speed)

    async def sleep_until(self, moment: datetime) -> None:
        await asyncio.sleep(max(0.0, (moment - self.now()).total_seconds() / self.speed))


def channel_of(platform: str, number: int) -> Any:
    """The destination of the `number`-th channel on the platform under test."""
    from bot.domain import Destination, Platform

    if platform == "discord":
        return Destination(Platform.DISCORD, str(GUILD_ID), str(900_000 + number))
    return Destination(Platform.SLACK, "T1", f"C{number}")


@contextlib.asynccontextmanager
async def platform_publisher(platform: str, settings: Any) -> AsyncIterator[Any]:
    """The real publisher of the platform under test, pointed at its stand-in."""
    if platform == "discord":
        from bot.adapters.discord import DiscordOptions, DiscordPublisher, open_discord_client

        discord_options = DiscordOptions(token=DISCORD_TOKEN, api_url=settings.discord_api_url)
        async with open_discord_client(discord_options) as client:
            yield DiscordPublisher(client)
        return
    from bot.adapters.slack.publisher import SlackClientOptions, SlackPublisher, web_client

    options = SlackClientOptions(TOKEN, api_url=settings.slack_api_url, server_error_wait=0.0)
    yield SlackPublisher(web_client(options))


async def worker(feeds: list[str], start: datetime, wall0: float) -> None:
    """Run the bot until killed: subscribe each channel to its feed once, then tick."""
    from bot.app import Overrides, open_bot
    from bot.config import load_settings
    from bot.domain import DigestLayout, DigestMode

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = load_settings()
    platform = os.environ.get("CRASH_PLATFORM", "slack")
    clock = FastClock(start, wall0)
    async with (
        platform_publisher(platform, settings) as publisher,
        open_bot(settings, publisher, Overrides(clock=clock)) as bot,
    ):
        for number, url in enumerate(feeds):
            record = await bot.engine.destination(channel_of(platform, number))
            if not await bot.store.subscriptions(record.id):
                # inline: a threaded burst names each story twice (the parent's line and its
                # thread message), which the count below would take for a duplicate; resuming
                # a thread after a crash has its own tests (tests/bot/*/test_threads.py)
                live = replace(
                    record.settings,
                    mode=DigestMode.LIVE,
                    live_limit=50,
                    layout=DigestLayout.INLINE,
                )
                await bot.store.update_settings(record.id, live, clock.now())
                await bot.engine.subscribe_feed(record, url)
        print(READY, flush=True)
        while True:  # the scheduler's own loop, at a tiny wall-clock pace
            await bot.scheduler.tick()
            await asyncio.sleep(0.02)


# --- the harness -----------------------------------------------------------------------------


def article(number: int, rng: random.Random) -> tuple[str, str]:
    """A made-up article that clusters with no other: its own words, its own name."""

    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(3))

    name = f"{word().title()} {word().title()}"
    sentences = [
        f"{name} of the {word().title()} council said on Tuesday that the {word()} "
        f"and the {word()} would {word()} the {word()} by {2000 + number % 20}."
        for _ in range(6)
    ]
    return f"Report R{number:03d} {word()} {word()}", " ".join(sentences)


@dataclass
class CrashReport:
    """What a crash run found."""

    kills: int
    digests: int
    delivered: int = 0
    lost: list[str] = field(default_factory=list)
    duplicates: int = 0
    integrity: list[str] = field(default_factory=list)
    restarts_seconds: list[float] = field(default_factory=list)
    kill_delays: list[float] = field(default_factory=list)
    wall_seconds: float = 0.0
    pending_at_kill: list[int] = field(default_factory=list)
    undelivered_at_kill: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.kills} SIGKILLs, {self.digests} digests: {self.delivered} delivered, "
            f"{len(self.lost)} lost, {self.duplicates} duplicated; integrity_check "
            f"{'ok' if set(self.integrity) == {'ok'} else self.integrity} after all "
            f"{len(self.integrity)} restarts; {self.wall_seconds:.1f} s\n"
            f"kills that left a post pending (reserved, not recorded): "
            f"{sum(1 for n in self.pending_at_kill if n)}; kills with released articles not "
            f"yet delivered: {sum(1 for n in self.undelivered_at_kill if n)}; restart to ready: "
            f"{median(self.restarts_seconds):.1f} s median"
        )


class Feeds:
    """The feeds of every channel, each article released when the harness says so."""

    def __init__(self, total: int, seed: int) -> None:
        rng = random.Random(seed)
        self.articles = [article(n, rng) for n in range(total)]
        self.released = 0
        self.start = datetime(2024, 6, 3, 6, 0, tzinfo=UTC)

    def token(self, number: int) -> str:
        return f"R{number:03d}"

    async def serve(self, request: web.Request) -> web.Response:
        channel = int(request.match_info["channel"])
        items = []
        for number in range(self.released):
            if number % CHANNELS != channel:
                continue
            title, text = self.articles[number]
            when = format_datetime(self.start + timedelta(minutes=number))
            items.append(
                f"<item><title>{title}</title><link>/{channel}/{number}</link>"
                f"<guid>n{number}</guid><pubDate>{when}</pubDate>"
                f"<description>{text}</description></item>"
            )
        body = f'<rss version="2.0"><channel><title>Feed {channel}</title>{"".join(items)}'
        return web.Response(text=body + "</channel></rss>", content_type="application/rss+xml")


def shown_posts(standin: SlackStandIn | DiscordStandIn) -> list[str]:
    """What each post shows, as text: Slack's blocks, or the messages a Discord channel shows
    (Discord drops a message whose nonce it has already seen, so the stand-in does too)."""
    if isinstance(standin, SlackStandIn):
        return [json.dumps(post.get("blocks", [])) for post in standin.posts()]
    return [
        json.dumps(message.get("embeds", []))
        for number in range(CHANNELS)
        for message in standin.messages(channel_of("discord", number).channel)
    ]


def delivered_counts(standin: SlackStandIn | DiscordStandIn, feeds: Feeds) -> Counter[str]:
    """How many posts show each article (by its R-number)."""
    seen: Counter[str] = Counter()
    for shown in shown_posts(standin):
        for number in range(len(feeds.articles)):
            if feeds.token(number) in shown:
                seen[feeds.token(number)] += 1
    return seen


def pending_posts(database: Path) -> int:
    """Posts reserved but not confirmed: the kill fell between reserving and recording."""
    with contextlib.closing(sqlite3.connect(database)) as db:
        return int(db.execute("SELECT count(*) FROM posts WHERE state = 'pending'").fetchone()[0])


def integrity(database: Path) -> str:
    with contextlib.closing(sqlite3.connect(database)) as db:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])


async def start_worker(
    env: dict[str, str], feeds: list[str], wall0: float, log: Path
) -> asyncio.subprocess.Process:
    with log.open("ab") as stderr:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.reliability.crash",
            str(wall0),
            *feeds,
            cwd=ROOT,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=stderr,
        )


async def wait_ready(process: asyncio.subprocess.Process, timeout: float = 60) -> None:
    assert process.stdout is not None
    async with asyncio.timeout(timeout):
        while True:
            line = await process.stdout.readline()
            if not line:
                raise AssertionError(f"the bot exited before it was ready ({process.returncode})")
            if line.decode().strip() == READY:
                return


@contextlib.asynccontextmanager
async def platform_standin(platform: str) -> AsyncIterator[tuple[Any, dict[str, str]]]:
    """The stand-in of the platform under test, and the settings that point the bot at it."""
    if platform == "discord":
        async with discord_standin() as discord:
            yield discord, {"CRASH_PLATFORM": "discord", "DISCORD_API_URL": discord.api_url}
        return
    async with slack_standin() as slack:
        yield slack, {"CRASH_PLATFORM": "slack", "SLACK_API_URL": slack.url}


async def run_crashes(
    workdir: Path,
    kills: int,
    digests: int,
    seed: int = 7,
    longest_delay: float = 1.0,
    platform: str = "slack",
) -> CrashReport:
    """Kill the bot `kills` times while `digests` articles are posted; what was delivered."""
    rng = random.Random(seed)
    report = CrashReport(kills, digests)
    feeds = Feeds(digests, seed)
    database = workdir / "crash.db"
    began = time.monotonic()
    app = web.Application()
    app.router.add_get("/feed/{channel}.xml", feeds.serve)
    wall0 = time.time()
    async with serve_on_loopback(app) as base, platform_standin(platform) as (standin, where):
        urls = [f"{base}/feed/{channel}.xml" for channel in range(CHANNELS)]
        env = {**environment(workdir, database), **where}
        per_run = max(1, -(-digests // (kills + 1)))
        for run in range(kills + 1):
            last = run == kills
            started = time.monotonic()
            process = await start_worker(env, urls, wall0, workdir / "bot.log")
            try:
                await wait_ready(process)
                report.restarts_seconds.append(time.monotonic() - started)
                # new articles only once the channels are subscribed: a feed's first read is
                # its history, never posted
                feeds.released = digests if last else min(digests, (run + 1) * per_run)
                if last:
                    await until_delivered(standin, feeds, timeout=120)
                else:
                    delay = rng.uniform(0, longest_delay)
                    report.kill_delays.append(delay)
                    await asyncio.sleep(delay)
            finally:
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(signal.SIGKILL)
                await process.wait()
            report.integrity.append(integrity(database))
            if not last:
                report.pending_at_kill.append(pending_posts(database))
                shown = delivered_counts(standin, feeds)
                waiting = sum(1 for n in range(feeds.released) if not shown[feeds.token(n)])
                report.undelivered_at_kill.append(waiting)
        seen = delivered_counts(standin, feeds)
    tokens = [feeds.token(n) for n in range(digests)]
    report.delivered = sum(1 for token in tokens if seen[token] > 0)
    report.lost = [token for token in tokens if seen[token] == 0]
    report.duplicates = sum(count - 1 for count in seen.values() if count > 1)
    report.wall_seconds = time.monotonic() - began
    return report


def environment(workdir: Path, database: Path) -> dict[str, str]:
    """The bot's settings: its SQLite file, loopback feeds allowed."""
    return {
        **os.environ,
        "NEWSDIGEST_DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "NEWSDIGEST_ALLOW_HOSTS": "127.0.0.1",
        "NEWSDIGEST_POLL_MINUTES": "5",
        "NEWSDIGEST_LOCAL_FEED_DIRS": str(workdir),
        "PYTHONPATH": str(ROOT),
    }


async def until_delivered(
    standin: SlackStandIn | DiscordStandIn, feeds: Feeds, timeout: float
) -> None:
    """Wait (bounded) until every released article has been posted at least once."""

    def all_posted() -> bool:
        seen = delivered_counts(standin, feeds)
        return all(seen[feeds.token(n)] for n in range(feeds.released))

    await wait_until(all_posted, "every released article posted", timeout=timeout, interval=0.05)


if __name__ == "__main__":
    start = datetime(2024, 6, 3, 6, 0, tzinfo=UTC)
    asyncio.run(worker(sys.argv[2:], start, float(sys.argv[1])))

"""Two worker processes posting to Discord over REST alone, one killed while a post is in flight.

The Discord stand-in is the platform; each worker has a REST base of its own on it, so the
stand-in knows whose post it took, and it makes each message but holds its answer back (the
worst moment to die: Discord has the message, the worker has no answer). Two channels in live
mode follow overlapping feeds whose stories are already stored, so the workers only deliver (no
gateway connection: a worker has the bot token and Discord's REST API). Each worker runs one
job at a time, so each takes one channel's round; once both have a post in flight, the first
gets SIGKILL and the answers go out. The other must finish its own round, take over the dead
one's and post its rest; the dead one's post is sent again under the same nonce (enforce_nonce),
so every story shows exactly once in each channel that follows it.
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.adapters.discord.publisher import nonce
from bot.app import migrate
from bot.config import load_settings
from bot.domain import (
    Article,
    Destination,
    DestinationSettings,
    DigestMode,
    Platform,
    SubscriptionKind,
)
from bot.store.sql import open_store
from tests.bot.discord.standin import GUILD_ID, TOKEN, DiscordStandIn, discord_standin
from tests.scale.processes import ROOT, fetch, workers
from tests.support.waiting import wait_until

pytestmark = pytest.mark.asyncio

D1 = Destination(Platform.DISCORD, str(GUILD_ID), "810000000000000001")
D2 = Destination(Platform.DISCORD, str(GUILD_ID), "810000000000000002")
FOLLOWS = {D1: (1, 2), D2: (2, 3)}
STORIES_PER_FEED = 2
FEED_URL = "https://news.example/feed/{}.xml"
VIA = ("w0", "w1")  # each worker's name in its REST base


def worker_env(database_url: str, standin: DiscordStandIn, via: str) -> dict[str, str]:
    """Only the Discord bot token and a REST base: no gateway, no Slack."""
    prefixes = ("NEWSDIGEST_", "SLACK_", "DISCORD_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    return env | {
        "NEWSDIGEST_DATABASE_URL": database_url,
        "NEWSDIGEST_TICK_SECONDS": "1",
        "NEWSDIGEST_WORKER_CONCURRENCY": "1",  # so that each worker takes one channel's round
        "NEWSDIGEST_WORKER_HEARTBEAT_SECONDS": "0.5",
        "NEWSDIGEST_WORKER_STALLED_SECONDS": "2",
        "NEWSDIGEST_LOG_FORMAT": "json",
        "DISCORD_TOKEN": TOKEN,
        "DISCORD_API_URL": standin.api_url_for(via),
        "PYTHONPATH": str(ROOT),
    }


async def seed(database_url: str) -> set[tuple[str, str]]:
    """Channels, feeds (never due) and stored stories; the (channel, nonce) each post must have."""
    await migrate(load_settings(database_url=database_url, _env_file=None))
    now = datetime.now(UTC)
    live = DestinationSettings(mode=DigestMode.LIVE, live_limit=50, weekdays=frozenset())
    async with open_store(database_url) as store:
        feeds = {}
        for n in (1, 2, 3):
            feed = await store.ensure_feed(FEED_URL.format(n), timedelta(minutes=15), now)
            feeds[n] = replace(feed, next_poll_at=now + timedelta(days=1))  # no polls
            await store.save_feed(feeds[n])
        records = {d: await store.ensure_destination(d, live, now) for d in FOLLOWS}
        for destination, numbers in FOLLOWS.items():
            for n in numbers:
                url = feeds[n].url
                await store.add_subscription(
                    records[destination].id, SubscriptionKind.FEED, url, feeds[n].id, now
                )
        stories = {
            n: [await store.add_article(article(n, i)) for i in range(STORIES_PER_FEED)]
            for n in feeds
        }
    return {
        (d.channel, nonce(f"live:{records[d].id}:{a.story_id}", 0))
        for d, numbers in FOLLOWS.items()
        for n in numbers
        for a in stories[n]
    }


def article(feed: int, number: int) -> Article:
    """A stored, analysed article of its own story, from `feed`."""
    now = datetime.now(UTC) + timedelta(seconds=1)  # after the channels' settings changed
    return Article(
        url=f"https://news.example/{feed}/{number}",
        title=f"Story {feed}.{number}",
        source=f"Feed {feed}",
        published=now,
        ingested_at=now,
        content_hash=f"hash-{feed}-{number}",
        summary=(f"The council of town {feed} approved plan {number} on Tuesday.",),
        feed_id=feed,
        guid=f"item-{feed}-{number}",
    )


def shown(standin: DiscordStandIn) -> Counter[tuple[str, str | None]]:
    """How often each (channel, nonce) shows as a message (Discord drops enforced repeats)."""
    return Counter(
        (channel.channel, message.get("nonce"))
        for channel in FOLLOWS
        for message in standin.messages(channel.channel)
    )


@pytest.mark.postgres
@pytest.mark.slow  # two worker processes, each loading spaCy, and a SIGKILL mid-post
async def test_two_workers_post_every_story_once_to_discord_when_one_is_killed_mid_post(
    database_url: str, tmp_path: Path
) -> None:
    expected = await seed(database_url)
    async with discord_standin() as standin:
        standin.hold_posts = True
        envs = [worker_env(database_url, standin, via) for via in VIA]
        async with workers(envs, tmp_path) as procs:
            await wait_until(
                lambda: {c.via for c in standin.holding} == set(VIA),
                lambda: f"both workers with a post in flight, not {standin.holding}",
                timeout=30,
                interval=0.05,
            )
            cut = next(c for c in standin.holding if c.via == VIA[0])
            procs[0].kill()  # SIGKILL: Discord has its message, it never hears so
            await asyncio.wait_for(procs[0].wait(), 5)
            standin.release_posts()
            await wait_until(
                lambda: expected <= set(shown(standin)), "every story shown", timeout=30
            )
            await wait_until(
                lambda: _settled(database_url, len(expected)), "every post sent", timeout=10
            )
            survivor = procs[1].returncode
        stuck = await fetch(
            database_url, "SELECT id FROM procrastinate_jobs WHERE status = 'doing'"
        )
    posts = [c for c in standin.calls if c.method == "POST" and c.path.endswith("/messages")]
    assert all(c.body.get("enforce_nonce") is True for c in posts), "a post without a nonce"
    counts = shown(standin)
    assert set(counts) == expected and set(counts.values()) == {1}, counts
    again = [c.via for c in posts if c.body["nonce"] == cut.body["nonce"]]
    assert again == [VIA[0], VIA[1]], "the killed worker's post was not taken over"
    assert survivor is None, "the other worker stopped"
    assert not standin.identified, "a worker connected to the gateway"
    assert not stuck, "a job is still marked as running on the killed worker"


async def _settled(database_url: str, posts: int) -> bool:
    rows = await fetch(database_url, "SELECT state FROM posts")
    return len(rows) == posts and {row["state"] for row in rows} == {"sent"}

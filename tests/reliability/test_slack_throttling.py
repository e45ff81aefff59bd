"""Throttling on Slack: 30% of posts answered 429 + Retry-After, 10% answered 500; nothing is lost.

tests/bot/slack/test_publisher.py covers a burst of consecutive 429s. Here the Slack stand-in
(tests/bot/slack/standin.py) misbehaves at random, with a fixed seed, on every chat.postMessage
call: digests go through the real Deliverer (reserve, publish, confirm on a SQLite store) and the
real SlackPublisher on slack_sdk, for three channels at once. Every digest must arrive, each
once, in order per channel. Retry-After is 0 s and slack_sdk's jitter is taken out (conftest.py),
so no test waits on the clock.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp import web

from bot.adapters.slack.publisher import SlackClientOptions, SlackPublisher, web_client
from bot.clock import FakeClock
from bot.delivery.deliverer import Deliverer
from bot.domain import (
    Destination,
    DestinationSettings,
    Digest,
    DigestEntry,
    DigestKind,
    Heading,
    Platform,
    PostState,
    SourceLink,
)
from bot.store.sql import open_store
from tests.bot.slack.standin import TOKEN, SlackStandIn
from tests.support.loopback import serve_on_loopback

pytestmark = pytest.mark.asyncio

NOW = datetime(2024, 1, 5, 9, 0, tzinfo=UTC)
CHANNELS = [Destination(Platform.SLACK, "T1", f"C-{name}") for name in ("news", "ops", "sport")]
DIGESTS_PER_CHANNEL = 12


@dataclass
class ChaoticSlack(SlackStandIn):
    """The stand-in, answering chat.postMessage with 429 (30%) or 500 (10%) at random."""

    rng: random.Random = field(default_factory=lambda: random.Random(9))
    throttle_share: float = 0.3
    error_share: float = 0.1
    errors: int = 0
    post_calls: int = 0

    async def handle(self, request: web.Request) -> web.Response:
        if request.match_info["method"] == "chat.postMessage":
            self.post_calls += 1
            roll = self.rng.random()
            if roll < self.throttle_share:
                self.throttled += 1
                return web.json_response(
                    {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "0"}
                )
            if roll < self.throttle_share + self.error_share:
                self.errors += 1
                return web.Response(status=500, text="Internal Server Error")
        return await super().handle(request)


@asynccontextmanager
async def chaotic_slack() -> AsyncIterator[ChaoticSlack]:
    standin = ChaoticSlack()
    app = web.Application()
    app.router.add_route("*", "/api/{method}", standin.handle)
    async with serve_on_loopback(app) as base:
        standin.url = f"{base}/api/"
        yield standin


def digest(channel: Destination, number: int) -> Digest:
    stories = 30 if number % 5 == 0 else 2  # every fifth is long: several messages
    entries = tuple(
        DigestEntry(
            story_id=number * 100 + n,
            headline=f"{channel.channel} digest {number} story {n}",
            summary=("The council approved the budget on Thursday.",),
            actors=("Ilse Brandt",),
            dates=(),
            sources=(SourceLink("a.example", None, f"https://a.example/{number}/{n}"),),
            published=NOW,
        )
        for n in range(stories)
    )
    return Digest(DigestKind.SCHEDULED, Heading(moment=NOW), NOW, NOW, entries)


@pytest.mark.slow
async def test_every_digest_arrives_once_in_order_through_429s_and_500s(tmp_path: Path) -> None:
    async with (
        chaotic_slack() as slack,
        open_store(f"sqlite+aiosqlite:///{tmp_path}/throttle.db") as store,
    ):
        options = SlackClientOptions(TOKEN, api_url=slack.url, server_error_wait=0.0)
        deliverer = Deliverer(store, SlackPublisher(web_client(options)), FakeClock(NOW))
        records = [await store.ensure_destination(c, DestinationSettings(), NOW) for c in CHANNELS]

        async def channel_digests(index: int) -> None:
            record = records[index]
            for number in range(DIGESTS_PER_CHANNEL):
                sent = digest(record.destination, number)
                # no stored stories behind these digests: the post is reserved without them
                post = await deliverer.deliver(record, sent, f"d:{record.id}:{number}", ())
                assert post is not None, (record.destination, number)

        await asyncio.wait_for(asyncio.gather(*map(channel_digests, range(len(CHANNELS)))), 60)

        for record in records:
            posts = [p for p in slack.posts() if p["channel"] == record.destination.channel]
            keys = [p["metadata"]["event_payload"]["key"] for p in posts]
            expected = [f"d:{record.id}:{n}" for n in range(DIGESTS_PER_CHANNEL)]
            assert list(dict.fromkeys(keys)) == expected  # all, in order
            headers = [
                p["blocks"][0]["text"]["text"] for p in posts if p["blocks"][0]["type"] == "header"
            ]
            assert len(headers) == DIGESTS_PER_CHANNEL  # each digest's first message once
            states = [
                p.state for p in await store.posts_since(record.id, NOW, {DigestKind.SCHEDULED})
            ]
            assert states == [PostState.SENT] * DIGESTS_PER_CHANNEL
        share = slack.throttled / slack.post_calls
        print(
            f"chat.postMessage calls {slack.post_calls}: {slack.throttled} answered 429 "
            f"({share:.0%}), {slack.errors} answered 500; {len(slack.posts())} messages accepted"
        )
        assert 0.2 < share < 0.4 and slack.errors > 0

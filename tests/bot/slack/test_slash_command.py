"""`/digest` in HTTP mode: the real AsyncApp behind aiohttp, signed requests, the Slack stand-in."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from urllib.parse import urlencode

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web

from bot.adapters.slack.app import (
    SlackAppOptions,
    build_slack_app,
    command_line,
    slack_http_routes,
)
from bot.adapters.slack.publisher import SlackClientOptions, web_client
from bot.clock import FakeClock
from bot.fakes import FakePublisher, MemoryFeedSource
from bot.store.memory import MemoryStore
from summaries import Analyzer
from tests.bot.samples import BRIDGE_A, entry
from tests.bot.slack.standin import TOKEN, SlackStandIn, slack_standin
from tests.bot.stack import build

pytestmark = pytest.mark.asyncio

SECRET = "signing-secret-for-tests"
FEED = "https://lindmoor-post.example/feed.xml"
NOW = datetime(2024, 1, 5, 9, 0, tzinfo=UTC)


def signed(body: str, secret: str = SECRET, age: int = 0) -> dict[str, str]:
    stamp = str(int(time.time()) - age)
    digest = hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256)
    return {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest.hexdigest()}",
        "Content-Type": "application/x-www-form-urlencoded",
    }


def slash(text: str) -> str:
    return urlencode(
        {
            "command": "/digest",
            "text": text,
            "team_id": "T1",
            "channel_id": "C1",
            "user_id": "U1",
            "response_url": "http://127.0.0.1:9/unused",
            "trigger_id": "1.2.3",
        }
    )


@pytest_asyncio.fixture
async def slack(analyzer: Analyzer) -> AsyncIterator[tuple[str, SlackStandIn]]:
    source = MemoryFeedSource()
    source.put(FEED, [entry("bridge", BRIDGE_A, NOW)])
    stack = build(MemoryStore(), source, analyzer, FakeClock(NOW), FakePublisher())
    async with slack_standin() as standin:
        client = web_client(SlackClientOptions(TOKEN, api_url=standin.url))
        options = SlackAppOptions(signing_secret=SECRET)
        server = slack_http_routes(build_slack_app(stack.commands, client, options), options)
        runner = web.AppRunner(server, shutdown_timeout=0.1)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        try:
            yield f"http://127.0.0.1:{runner.addresses[0][1]}/slack/events", standin
        finally:
            await runner.cleanup()


async def post(url: str, body: str, headers: dict[str, str]) -> tuple[int, float]:
    started = time.perf_counter()
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers=headers) as r,
    ):
        await r.read()
        return r.status, time.perf_counter() - started


async def until(standin: SlackStandIn, method: str, count: int = 1) -> None:
    for _ in range(200):  # bounded: at most 200 short waits for the listener to finish
        if len(standin.posts(method)) >= count:
            return
        await asyncio.sleep(0.025)
    raise AssertionError(f"{method} was not called {count} time(s): {standin.calls}")


async def test_a_signed_digest_is_acked_then_posted_with_blocks(
    slack: tuple[str, SlackStandIn],
) -> None:
    url, standin = slack
    body = slash(f"subscribe {FEED}")
    status, _ = await post(url, body, signed(body))
    assert status == 200
    await until(standin, "chat.postEphemeral")
    assert "Subscribed (#" in standin.posts("chat.postEphemeral")[0]["text"]
    body = slash("")
    status, elapsed = await post(url, body, signed(body))
    assert status == 200 and elapsed < 3
    await until(standin, "chat.postMessage")
    (message,) = standin.posts()
    assert message["channel"] == "C1" and message["text"]
    assert message["blocks"][0]["type"] == "header"
    assert any(b["type"] == "section" for b in message["blocks"])


async def test_an_argument_error_is_ephemeral_with_an_example(
    slack: tuple[str, SlackStandIn],
) -> None:
    url, standin = slack
    body = slash("schedule 25:00")
    assert (await post(url, body, signed(body)))[0] == 200
    await until(standin, "chat.postEphemeral")
    (answer,) = standin.posts("chat.postEphemeral")
    assert answer["user"] == "U1" and "Example: /schedule 09:00" in answer["text"]
    assert standin.posts() == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "application/x-www-form-urlencoded"},
        signed(slash(""), secret="another-secret"),
        signed(slash(""), age=600),
    ],
    ids=["unsigned", "wrong secret", "stale"],
)
async def test_unsigned_or_stale_requests_are_refused(
    slack: tuple[str, SlackStandIn], headers: dict[str, str]
) -> None:
    url, standin = slack
    status, _ = await post(url, slash(""), headers)
    assert status == 401
    await asyncio.sleep(0.05)
    assert [method for method, _ in standin.calls if method != "auth.test"] == []


async def test_subcommands_map_to_the_neutral_commands() -> None:
    assert command_line("") == "/digest"
    assert command_line("list") == "/subscriptions"
    assert command_line('actor:"Ilse Brandt" 48h') == '/digest actor:"Ilse Brandt" 48h'
    assert command_line("Subscribe https://x.example/feed") == "/subscribe https://x.example/feed"

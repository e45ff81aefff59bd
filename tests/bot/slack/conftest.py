"""Fixtures of the Slack tests: the app in HTTP mode, and no jitter in slack_sdk's 429 waits."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import pytest_asyncio
from slack_sdk.http_retry import builtin_async_handlers

from bot.adapters.slack.app import SlackAppOptions, build_slack_app, slack_http_routes
from bot.adapters.slack.publisher import SlackClientOptions, SlackPublisher, web_client
from bot.clock import FakeClock
from bot.fakes import FakePublisher, MemoryFeedSource
from bot.store.memory import MemoryStore
from summaries import Analyzer
from tests.bot.slack.signing import SECRET, post, signed
from tests.bot.slack.standin import TOKEN, SlackStandIn, slack_standin
from tests.support.loopback import serve_on_loopback
from tests.support.stack import Stack, build

NOW = datetime(2024, 1, 5, 9, 0, tzinfo=UTC)


class _NoJitter:
    @staticmethod
    def random() -> float:
        return 0.0


@pytest.fixture(autouse=True)
def no_jitter(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """slack_sdk waits Retry-After plus up to 1 s of jitter; the stand-in says 0, so wait 0."""
    monkeypatch.setattr(builtin_async_handlers, "random", _NoJitter)
    yield


@dataclass
class HttpSlack:
    """The real AsyncApp in HTTP mode on a loopback port, over an in-memory engine stack."""

    url: str
    standin: SlackStandIn
    source: MemoryFeedSource
    stack: Stack

    async def send(self, body: str, headers: dict[str, str] | None = None) -> int:
        """Post a signed request (with extra headers); the HTTP status."""
        status, elapsed = await post(self.url, body, signed(body, extra=headers))
        assert elapsed < 3, "Slack needs the answer within 3 s"
        return status


@pytest_asyncio.fixture
async def http_slack(analyzer: Analyzer) -> AsyncIterator[HttpSlack]:
    async with serve_http_slack(analyzer, SlackAppOptions(signing_secret=SECRET)) as served:
        yield served


@pytest_asyncio.fixture
async def http_slack_public(analyzer: Analyzer) -> AsyncIterator[HttpSlack]:
    """As `http_slack`, with `/digest` posted in the channel (NEWSDIGEST_ON_DEMAND=channel)."""
    options = SlackAppOptions(signing_secret=SECRET, on_demand_private=False)
    async with serve_http_slack(analyzer, options) as served:
        yield served


@contextlib.asynccontextmanager
async def serve_http_slack(
    analyzer: Analyzer, options: SlackAppOptions
) -> AsyncIterator[HttpSlack]:
    """The Slack app in HTTP mode on loopback, over an in-memory stack and the Slack stand-in."""
    source = MemoryFeedSource()
    stack = build(MemoryStore(), source, analyzer, FakeClock(NOW), FakePublisher())
    async with slack_standin() as standin:
        client = web_client(SlackClientOptions(TOKEN, api_url=standin.url))
        app = build_slack_app(stack.commands, client, options, SlackPublisher(client))
        async with serve_on_loopback(slack_http_routes(app, options)) as url:
            yield HttpSlack(f"{url}/slack/events", standin, source, stack)

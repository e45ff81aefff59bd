"""open_slack: Socket Mode over the stand-in's websocket, HTTP mode on a port, refused tokens."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import pytest_asyncio

from bot.adapters.slack.publisher import SlackPublisher
from bot.adapters.slack.runner import (
    SlackOptions,
    SlackRunning,
    SlackStartError,
    open_slack,
    slack_client,
)
from bot.clock import FakeClock
from bot.fakes import FakePublisher, MemoryFeedSource
from bot.ports import ArticleBody
from bot.store.memory import MemoryStore
from summaries import Analyzer
from tests.bot.slack.conftest import NOW
from tests.bot.slack.signing import (
    SECRET,
    event_callback,
    message,
    post,
    signed,
    slash,
    slash_fields,
)
from tests.bot.slack.standin import APP_TOKEN, TOKEN, SlackStandIn, slack_standin
from tests.bot.test_render_blocks import assert_within_limits
from tests.support.samples import BRIDGE_A, CHOIR_A, entry
from tests.support.stack import Stack, build

pytestmark = pytest.mark.asyncio

FEED = "https://lindmoor-post.example/feed.xml"
CHOIR = "https://halden-news.example/choir"


@dataclass
class Served:
    standin: SlackStandIn
    running: SlackRunning


def stack_with_feed(analyzer: Analyzer) -> Stack:
    source = MemoryFeedSource()
    source.put(FEED, [entry("bridge", BRIDGE_A, NOW)])
    source.pages[CHOIR] = ArticleBody(text=CHOIR_A)
    return build(MemoryStore(), source, analyzer, FakeClock(NOW), FakePublisher())


@pytest_asyncio.fixture
async def socket_mode(analyzer: Analyzer) -> AsyncIterator[Served]:
    stack = stack_with_feed(analyzer)
    async with slack_standin() as standin:
        options = SlackOptions(
            TOKEN, app_token=APP_TOKEN, api_url=standin.url, on_demand_private=False
        )
        publisher = SlackPublisher(slack_client(options))
        async with open_slack(stack.commands, publisher, options) as running:
            yield Served(standin, running)


async def test_socket_mode_connects_through_the_configured_api_url(socket_mode: Served) -> None:
    assert socket_mode.running.url is None
    assert len(socket_mode.standin.posts("apps.connections.open")) == 1
    assert len(socket_mode.standin.posts("auth.test")) >= 1


async def test_a_slash_command_envelope_is_acked_and_its_digest_posted(
    socket_mode: Served,
) -> None:
    standin = socket_mode.standin
    subscribed = await standin.push("slash_commands", slash_fields(f"subscribe {FEED}"))
    assert await standin.acked(subscribed) == {"envelope_id": subscribed}
    await standin.called("chat.postEphemeral")
    asked = await standin.push("slash_commands", slash_fields(""))
    await standin.acked(asked)
    await standin.called("chat.postMessage")
    (digest,) = standin.posts()
    assert digest["channel"] == "C1" and "Esker River" in json.dumps(digest["blocks"])
    assert_within_limits(digest)


async def test_a_link_event_envelope_gets_a_threaded_reply_and_retries_none(
    socket_mode: Served,
) -> None:
    standin = socket_mode.standin
    retried = event_callback(message(f"<{CHOIR}>", ts="9.0"), "EvRetried")
    await standin.acked(await standin.push("events_api", retried, retry_attempt=2))
    fresh = event_callback(message(f"<{CHOIR}>", ts="9.5"), "EvFresh")
    await standin.acked(await standin.push("events_api", fresh))
    await standin.called("chat.postMessage")
    (reply,) = standin.posts()
    assert reply["thread_ts"] == "9.5" and "Halden" in json.dumps(reply["blocks"])


async def test_http_mode_serves_signed_requests_on_its_port(analyzer: Analyzer) -> None:
    stack = stack_with_feed(analyzer)
    async with slack_standin() as standin:
        options = SlackOptions(
            TOKEN, signing_secret=SECRET, api_url=standin.url, http_host="127.0.0.1", http_port=0
        )
        publisher = SlackPublisher(slack_client(options))
        async with open_slack(stack.commands, publisher, options) as running:
            assert running.url is not None and running.url.endswith("/slack/events")
            assert (await post(running.url, slash(""), {}))[0] == 401
            for text in (f"subscribe {FEED}", ""):
                body = slash(text)
                assert (await post(running.url, body, signed(body)))[0] == 200
                await standin.called("chat.postEphemeral")
            await standin.called("chat.postEphemeral", 2)  # the digest, only to its asker
            assert "blocks" in standin.posts("chat.postEphemeral")[-1]
    assert standin.posts("apps.connections.open") == []


@pytest.mark.parametrize(
    ("refused", "app_token", "secret", "reason"),
    [
        ("auth.test", APP_TOKEN, None, "Slack refused SLACK_BOT_TOKEN: invalid_auth"),
        ("apps.connections.open", APP_TOKEN, None, "Slack refused SLACK_APP_TOKEN: invalid_auth"),
        (None, None, None, "Slack needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET"),
    ],
    ids=["bot token", "app token", "neither mode"],
)
async def test_a_wrong_setup_is_one_clear_error(
    analyzer: Analyzer, refused: str | None, app_token: str | None, secret: str | None, reason: str
) -> None:
    stack = stack_with_feed(analyzer)
    async with slack_standin() as standin:
        if refused:
            standin.refuse[refused] = "invalid_auth"
        options = SlackOptions(TOKEN, app_token, secret, standin.url, "127.0.0.1", 0)
        publisher = SlackPublisher(slack_client(options))
        with pytest.raises(SlackStartError) as failed:
            async with open_slack(stack.commands, publisher, options):
                pass
    assert failed.value.reason.startswith(reason)

"""`/digest` in HTTP mode: the real AsyncApp behind aiohttp, signed requests, the Slack stand-in."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
import pytest_asyncio

from bot.adapters.slack.app import (
    SlackAppOptions,
    build_slack_app,
    command_line,
    slack_http_routes,
)
from bot.adapters.slack.publisher import SlackClientOptions, web_client
from bot.clock import FakeClock
from bot.engine import EngineOptions, Quotas
from bot.fakes import FakePublisher, MemoryFeedSource
from bot.store.memory import MemoryStore
from summaries import Analyzer
from tests.bot.slack.signing import SECRET, post, signed, slash
from tests.bot.slack.standin import TOKEN, SlackStandIn, slack_standin
from tests.support.loopback import serve_on_loopback
from tests.support.samples import BRIDGE_A, entry
from tests.support.stack import build
from tests.support.waiting import wait_until

pytestmark = pytest.mark.asyncio


FEED = "https://lindmoor-post.example/feed.xml"
NOW = datetime(2024, 1, 5, 9, 0, tzinfo=UTC)


@pytest_asyncio.fixture
async def slack(analyzer: Analyzer) -> AsyncIterator[tuple[str, SlackStandIn]]:
    source = MemoryFeedSource()
    source.put(FEED, [entry("bridge", BRIDGE_A, NOW)])
    stack = build(MemoryStore(), source, analyzer, FakeClock(NOW), FakePublisher())
    async with slack_standin() as standin:
        client = web_client(SlackClientOptions(TOKEN, api_url=standin.url))
        options = SlackAppOptions(signing_secret=SECRET, on_demand_private=False)
        server = slack_http_routes(build_slack_app(stack.commands, client, options), options)
        async with serve_on_loopback(server) as url:
            yield f"{url}/slack/events", standin


async def test_a_signed_digest_is_acked_then_posted_with_blocks(
    slack: tuple[str, SlackStandIn],
) -> None:
    url, standin = slack
    body = slash(f"subscribe {FEED}")
    status, _ = await post(url, body, signed(body))
    assert status == 200
    await standin.called("chat.postEphemeral")
    assert "Subscribed (#" in standin.posts("chat.postEphemeral")[0]["text"]
    body = slash("")
    status, elapsed = await post(url, body, signed(body))
    assert status == 200 and elapsed < 3
    await standin.called("chat.postMessage")
    (message,) = standin.posts()
    assert message["channel"] == "C1" and message["text"]
    assert message["blocks"][0]["type"] == "header"
    assert any(b["type"] == "section" for b in message["blocks"])
    assert "Esker River" in str(message["blocks"]) and len(message["blocks"]) <= 50
    assert "thread_ts" not in message and "metadata" not in message


async def test_an_argument_error_is_ephemeral_with_a_slack_example(
    slack: tuple[str, SlackStandIn],
) -> None:
    url, standin = slack
    body = slash("schedule 25:00")
    assert (await post(url, body, signed(body)))[0] == 200
    await standin.called("chat.postEphemeral")
    (answer,) = standin.posts("chat.postEphemeral")
    assert answer["user"] == "U1" and "Example: /digest schedule 09:00" in answer["text"]
    assert "\n" not in answer["text"]
    assert standin.posts() == []


async def test_help_and_list_name_the_slack_commands(slack: tuple[str, SlackStandIn]) -> None:
    url, standin = slack
    for text in ("help", "list"):
        body = slash(text)
        assert (await post(url, body, signed(body)))[0] == 200
    await standin.called("chat.postEphemeral", 2)
    help_text, listing = (answer["text"] for answer in standin.posts("chat.postEphemeral"))
    assert "/digest subscribe &lt;feed-url | site [N] | topic&gt;" in help_text
    assert "/digest list" in help_text and "/subscriptions" not in help_text
    assert "/digest import-opml [URL]" in help_text
    assert listing.startswith("No subscriptions. Example: /digest subscribe ")


async def test_outside_the_bots_channels_the_answer_takes_the_response_url(
    slack: tuple[str, SlackStandIn],
) -> None:
    url, standin = slack
    standin.refuse["chat.postEphemeral"] = "not_in_channel"
    body = slash("schedule 25:00", response_url=standin.response_url)
    assert (await post(url, body, signed(body)))[0] == 200
    await wait_until(lambda: standin.responses, "the answer on the response URL")
    (response,) = standin.responses
    assert response["response_type"] == "ephemeral"
    assert "Example: /digest schedule" in response["text"]


async def test_a_digest_the_bot_may_not_post_says_how_to_invite_it(
    slack: tuple[str, SlackStandIn],
) -> None:
    url, standin = slack
    body = slash(f"subscribe {FEED}")
    await post(url, body, signed(body))
    await standin.called("chat.postEphemeral")
    standin.refuse["chat.postMessage"] = "not_in_channel"
    body = slash("")
    await post(url, body, signed(body))
    await standin.called("chat.postEphemeral", 2)
    answer = standin.posts("chat.postEphemeral")[1]["text"]
    assert "not_in_channel" in answer and "/invite @newsdigest" in answer


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


async def test_http_mode_refuses_to_start_without_a_signing_secret(analyzer: Analyzer) -> None:
    stack = build(MemoryStore(), MemoryFeedSource(), analyzer, FakeClock(NOW), FakePublisher())
    client = web_client(SlackClientOptions(TOKEN, api_url="http://127.0.0.1:9/api/"))
    with pytest.raises(ValueError, match="signing secret"):
        build_slack_app(stack.commands, client, SlackAppOptions(signing_secret=""))


async def test_a_guest_may_read_but_not_change_the_channel(
    slack: tuple[str, SlackStandIn],
) -> None:
    url, standin = slack
    standin.guests.add("U1")
    for text in (f"subscribe {FEED}", "schedule 07:30", "list"):
        before = len(standin.posts("chat.postEphemeral"))
        body = slash(text)
        assert (await post(url, body, signed(body)))[0] == 200
        await standin.called("chat.postEphemeral", before + 1)
    refused, rescheduled, listing = (a["text"] for a in standin.posts("chat.postEphemeral"))
    assert refused.startswith("Error: only people who may manage this channel can change")
    assert rescheduled == refused
    assert listing.startswith("No subscriptions."), "nothing was stored"
    assert [body["user"] for body in standin.posts("users.info")] == ["U1", "U1"]
    standin.guests.clear()
    body = slash(f"subscribe {FEED}")
    assert (await post(url, body, signed(body)))[0] == 200
    await standin.called("chat.postEphemeral", 4)
    assert "Subscribed (#" in standin.posts("chat.postEphemeral")[-1]["text"]


async def test_a_slack_user_over_the_command_limit_is_told_privately(analyzer: Analyzer) -> None:
    options = EngineOptions(quotas=Quotas(commands_per_minute=1))
    stack = build(
        MemoryStore(), MemoryFeedSource(), analyzer, FakeClock(NOW), FakePublisher(), options
    )
    async with slack_standin() as standin:
        client = web_client(SlackClientOptions(TOKEN, api_url=standin.url))
        app_options = SlackAppOptions(signing_secret=SECRET, on_demand_private=False)
        server = slack_http_routes(
            build_slack_app(stack.commands, client, app_options), app_options
        )
        async with serve_on_loopback(server) as url:
            for _ in range(2):
                body = slash("help")
                assert (await post(f"{url}/slack/events", body, signed(body)))[0] == 200
            await wait_until(lambda: len(standin.posts("chat.postEphemeral")) == 2, "two answers")
    refusal = standin.posts("chat.postEphemeral")[1]
    assert refusal["user"] == "U1"
    assert "too many commands: 1 a minute at most; try again in 60 seconds" in refusal["text"]

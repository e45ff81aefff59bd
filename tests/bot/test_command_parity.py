"""Every spec'd command, valid and invalid, on the console, Slack and Discord: the same answers.

The steps come from bot/commands/spec.py alone: each command with its example values, then once
per argument that has an `invalid` value. A command added to the spec runs here unchanged. Each
platform has its own stack on the same fake clock and feeds, and runs the steps in the same order
through its real adapter (the Slack and Discord stand-ins on 127.0.0.1, the console chat). The
neutral result of each step (recorded where the adapter calls `Commands.handle`) must render the
same on every platform, what the platform showed must be that result rendered its own way, and an
error must end with the command's example in that platform's syntax.

An OPML file reaches each platform its own way and is tested per platform
(tests/bot/slack/test_opml_files.py, tests/bot/discord/test_opml.py); here import-opml runs with
its URL, the example served from memory and the invalid one refused by the real SSRF guard.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import pytest

from bot.adapters.console.chat import ConsoleChat
from bot.adapters.discord import DiscordPublisher, open_discord, open_discord_client
from bot.adapters.discord.slash import EXPORTED
from bot.adapters.discord.translate import answer_text, discord_line, text_messages
from bot.adapters.slack.app import SlackAppOptions, build_slack_app, slack_http_routes
from bot.adapters.slack.files import FILE_NAME, SENT
from bot.adapters.slack.listeners import reply_text
from bot.adapters.slack.publisher import SlackClientOptions, SlackPublisher, web_client
from bot.adapters.slack.translate import slack_line
from bot.clock import FakeClock
from bot.commands.handlers import CommandRequest, CommandResult
from bot.commands.limits import RateLimits
from bot.commands.replies import CommandError, DigestReply, OpmlExported
from bot.commands.spec import SPECS, command_line
from bot.commands.spec_types import ArgumentType, CommandSpec, Invocation
from bot.domain import Destination, Platform
from bot.engine import EngineOptions, Quotas
from bot.fakes import FakePublisher, MemoryFeedSource
from bot.feeds.download import HttpDownloads
from bot.feeds.guard import UrlGuard
from bot.feeds.http import open_fetcher
from bot.news.topics import parse_topic
from bot.ports import Publisher
from bot.render.embeds import render_digest_embeds
from bot.render.text import render_text
from bot.store.memory import MemoryStore
from summaries import Analyzer
from tests.bot.discord.conftest import option, options_for, slash_payload
from tests.bot.discord.standin import CHANNEL_ID, GUILD_ID, discord_standin
from tests.bot.slack.signing import SECRET, post, signed, slash
from tests.bot.slack.standin import TOKEN, slack_standin
from tests.support.loopback import serve_on_loopback
from tests.support.samples import BRIDGE_A, entry
from tests.support.stack import Stack, build
from tests.support.waiting import wait_until

NOW = datetime(2024, 1, 5, 9, 0, tzinfo=UTC)
OPML = """<?xml version="1.0"?><opml version="2.0"><head/><body>
<outline text="Harbour" type="rss" xmlUrl="https://harbour-times.example/rss"/></body></opml>"""
DISCORD_KINDS = {ArgumentType.INTEGER: 4}  # else 3: a string


@dataclass(frozen=True)
class Step:
    """One command to run, and whether the spec says it is accepted."""

    spec: CommandSpec
    invocation: Invocation
    valid: bool

    def __str__(self) -> str:
        return command_line(self.invocation)


#: Commands every platform runs come first, so the channels of all platforms agree while they run.
STEPS = sorted(
    (
        step
        for spec in SPECS.values()
        for step in [
            Step(spec, spec.example, True),
            *(Step(spec, bad, False) for bad in spec.invalid_examples()),
        ]
    ),
    key=lambda step: -len(step.spec.platforms),
)
CHANNELS = {
    Platform.CONSOLE: Destination(Platform.CONSOLE, "local", "terminal"),
    Platform.SLACK: Destination(Platform.SLACK, "T1", "C1"),
    Platform.DISCORD: Destination(Platform.DISCORD, str(GUILD_ID), str(CHANNEL_ID)),
}


@dataclass(frozen=True)
class Answer:
    """What one step came to: the neutral result, and what the platform showed."""

    result: CommandResult
    shown: str


class Chat(Protocol):
    """One platform's adapter, driven as its users would."""

    platform: Platform

    def line(self, invocation: Invocation) -> str: ...

    def expected(self, result: CommandResult) -> str: ...

    async def run(self, invocation: Invocation) -> Answer: ...


@dataclass
class GuardedDownloads:
    """The spec's example URLs from memory; any other through the real SSRF guard (no network)."""

    documents: dict[str, bytes] = field(default_factory=dict)

    async def download(self, url: str, limit: int, authorization: str | None = None) -> bytes:
        if url in self.documents:
            return self.documents[url]
        async with open_fetcher(UrlGuard()) as fetcher:
            return await HttpDownloads(fetcher).download(url, limit, authorization)


def recorded(stack: Stack) -> list[CommandResult]:
    """The results of every command the adapter hands to `Commands.handle`, in order."""
    results: list[CommandResult] = []
    handle = stack.commands.handle

    async def spy(request: CommandRequest) -> CommandResult:
        result = await handle(request)
        results.append(result)
        return result

    stack.commands.handle = spy  # type: ignore[method-assign]
    return results


async def prepared(analyzer: Analyzer, publisher: Publisher, where: Destination) -> Stack:
    """A stack whose feeds serve every spec'd feed example and whose channel has the ids used."""
    source = MemoryFeedSource()
    for arg in arguments_of(ArgumentType.FEED_URL):
        source.put(arg.example, [entry("bridge", BRIDGE_A, NOW)])
    downloads = GuardedDownloads(
        {arg.example: OPML.encode() for arg in arguments_of(ArgumentType.URL)}
    )
    # one default for link replies everywhere (Slack's is on, Discord's off), so answers agree
    options = EngineOptions(link_replies=dict.fromkeys(Platform, False))
    stack = build(MemoryStore(), source, analyzer, FakeClock(NOW), publisher, options, downloads)
    stack.commands.rates = RateLimits.of(
        Quotas(commands_per_minute=0, digests_per_minute=0), stack.engine.clock
    )
    record = await stack.engine.destination(where)
    ids = [int(arg.example) for arg in arguments_of(ArgumentType.SUBSCRIPTION_ID)]
    for number in range(1, max(ids, default=0) + 1):
        await stack.engine.subscribe_topic(record, parse_topic(f"seeded{number}"))
    return stack


def arguments_of(kind: ArgumentType) -> list[Any]:
    return [arg for spec in SPECS.values() for arg in spec.arguments if arg.type is kind]


class Console:
    platform = Platform.CONSOLE

    def __init__(self, stack: Stack) -> None:
        self.out = io.StringIO()
        self.chat = ConsoleChat(stack.commands, self.out)
        self.results = recorded(stack)

    def line(self, invocation: Invocation) -> str:
        return command_line(invocation)

    def expected(self, result: CommandResult) -> str:
        return render_text(result) + "\n\n"

    async def run(self, invocation: Invocation) -> Answer:
        start = len(self.out.getvalue())
        await self.chat.handle(self.line(invocation))
        return Answer(self.results[-1], self.out.getvalue()[start:])


@dataclass
class Slack:
    url: str
    calls: Callable[[], list[tuple[str, dict[str, Any]]]]
    results: list[CommandResult]
    platform: Platform = Platform.SLACK

    def line(self, invocation: Invocation) -> str:
        return slack_line(invocation)

    def expected(self, result: CommandResult) -> str:
        if isinstance(result, DigestReply) and result.digest.entries:
            return "a digest in blocks"
        if isinstance(result, OpmlExported):  # the file went to the asker's DM
            name = FILE_NAME.format(channel=CHANNELS[Platform.SLACK].channel)
            return SENT.format(file=name, count=result.feeds)
        return reply_text(result)

    async def run(self, invocation: Invocation) -> Answer:
        before, results = len(self.calls()), len(self.results)
        body = slash(self.line(invocation).removeprefix("/digest").strip())
        assert (await post(self.url, body, signed(body)))[0] == 200
        await wait_until(lambda: self._answers(before) and len(self.results) > results, "answer")
        (method, answer), *_ = self._answers(before)
        shown = "a digest in blocks" if method == "chat.postMessage" else answer["text"]
        return Answer(self.results[-1], shown)

    def _answers(self, before: int) -> list[tuple[str, dict[str, Any]]]:
        answers = ("chat.postEphemeral", "chat.postMessage")
        return [(method, body) for method, body in self.calls()[before:] if method in answers]


@dataclass
class Discord:
    standin: Any
    results: list[CommandResult]
    platform: Platform = Platform.DISCORD

    def line(self, invocation: Invocation) -> str:
        return discord_line(invocation)

    def expected(self, result: CommandResult) -> str:
        return "\n".join(self.messages(result))

    def messages(self, result: CommandResult) -> list[str]:
        if isinstance(result, DigestReply):
            return [seen(payload) for payload in render_digest_embeds(result.digest)]
        if isinstance(result, OpmlExported):  # the text of the message the file comes with
            return [EXPORTED.format(count=result.feeds)]
        return text_messages(answer_text(result))

    async def run(self, invocation: Invocation) -> Answer:
        spec = SPECS[invocation.command]
        options = [discord_option(spec, name, value) for name, value in invocation.values]
        before, results = len(self.posts()), len(self.results)
        await self.standin.dispatch("INTERACTION_CREATE", slash_payload(spec.name, options))
        await wait_until(lambda: len(self.results) > results, "the neutral result")
        result = self.results[-1]
        count = len(self.messages(result))
        await wait_until(lambda: len(self.posts()) >= before + count, "the follow-ups")
        shown = [
            "a digest in embeds" if p.get("embeds") else p["content"] for p in self.posts()[before:]
        ]
        return Answer(result, "\n".join(shown))

    def posts(self) -> list[dict[str, Any]]:
        return [call.body for call in self.standin.made("POST", "/webhooks/")]


def seen(message: dict[str, Any]) -> str:
    """A Discord message as the test compares it: its text, or that it carries embeds."""
    return "a digest in embeds" if message.get("embeds") else str(message["content"])


def discord_option(spec: CommandSpec, name: str, value: str) -> dict[str, Any]:
    """An option as Discord sends it: integers as numbers, anything else as a string."""
    kind = DISCORD_KINDS.get(spec.argument(name).type, 3)
    return option(name, int(value) if kind == 4 else value, kind=kind)


@asynccontextmanager
async def slack_chat(analyzer: Analyzer) -> AsyncIterator[Slack]:
    stack = await prepared(analyzer, FakePublisher(), CHANNELS[Platform.SLACK])
    async with slack_standin() as standin:
        client = web_client(SlackClientOptions(TOKEN, api_url=standin.url))
        options = SlackAppOptions(signing_secret=SECRET)
        app = build_slack_app(stack.commands, client, options, SlackPublisher(client))
        async with serve_on_loopback(slack_http_routes(app, options)) as url:
            yield Slack(f"{url}/slack/events", lambda: standin.calls, recorded(stack))


@asynccontextmanager
async def discord_chat(analyzer: Analyzer) -> AsyncIterator[Discord]:
    async with discord_standin() as standin:
        options = options_for(standin)
        async with open_discord_client(options) as client:
            publisher = DiscordPublisher(client)
            stack = await prepared(analyzer, publisher, CHANNELS[Platform.DISCORD])
            async with open_discord(client, stack.commands, publisher, options):
                yield Discord(standin, recorded(stack))


async def run_steps(chat: Chat) -> dict[str, Answer]:
    """Every step the platform runs, in order, each checked against the platform's rendering."""
    answers: dict[str, Answer] = {}
    for step in STEPS:
        if chat.platform not in step.spec.platforms:
            continue
        answer = await chat.run(step.invocation)
        where = f"{step} on {chat.platform}"
        assert isinstance(answer.result, CommandError) is not step.valid, f"{where}: {answer}"
        assert answer.shown == chat.expected(answer.result), where
        if not step.valid:
            assert answer.shown.rstrip().endswith(f"Example: {chat.line(step.spec.example)}"), (
                f"{where}: {answer.shown}"
            )
        answers[str(step)] = answer
    return answers


@pytest.mark.asyncio
async def test_every_command_answers_alike_on_every_platform(analyzer: Analyzer) -> None:
    console = Console(await prepared(analyzer, FakePublisher(), CHANNELS[Platform.CONSOLE]))
    runs = {Platform.CONSOLE: await run_steps(console)}
    async with slack_chat(analyzer) as slack:
        runs[Platform.SLACK] = await run_steps(slack)
    async with discord_chat(analyzer) as discord:
        runs[Platform.DISCORD] = await run_steps(discord)
    for step in STEPS:
        ran = {p: answers[str(step)] for p, answers in runs.items() if str(step) in answers}
        assert set(ran) == set(step.spec.platforms), step
        neutral = {p: neutral_text(answer.result, p) for p, answer in ran.items()}
        assert len(set(neutral.values())) == 1, f"{step}: {neutral}"


def neutral_text(result: CommandResult, platform: Platform) -> str:
    """A result as plain text, its channel's name (which differs by platform) left out."""
    return render_text(result).replace(str(CHANNELS[platform]), "<the channel>")


def test_the_steps_cover_every_command_valid_and_invalid() -> None:
    assert {step.spec.name for step in STEPS if step.valid} == set(SPECS)
    with_arguments = {name for name, spec in SPECS.items() if spec.arguments}
    assert {step.spec.name for step in STEPS if not step.valid} == with_arguments


@pytest.mark.parametrize(
    ("invocation", "console", "slack", "discord"),
    [
        (
            Invocation("schedule", (("time", "09:00"),)),
            "/schedule 09:00",
            "/digest schedule 09:00",
            "/schedule time:09:00",
        ),
        (
            Invocation("schedule", (("time", "09:00"), ("max", "8"))),
            "/schedule 09:00 max=8",
            "/digest schedule 09:00 max=8",
            "/schedule time:09:00 max:8",
        ),
        (
            Invocation("digest", (("since", "48h"),)),
            "/digest 48h",
            "/digest 48h",
            "/digest since:48h",
        ),
        (Invocation("subscriptions"), "/subscriptions", "/digest list", "/subscriptions"),
    ],
)
def test_each_platform_writes_a_command_its_own_way(
    invocation: Invocation, console: str, slack: str, discord: str
) -> None:
    assert command_line(invocation) == console
    assert slack_line(invocation) == slack
    assert discord_line(invocation) == discord

"""Commands fuzzed with hypothesis: any text, for any argument of any command, gets a helpful reply.

The commands run against a real SQLite store and the real engine; only the feed source is the
in-memory stand-in of the network (every feed URL answers 404), so no fuzzed URL leaves the
process. A reply is helpful when it is a known result that renders to text, and an error is one
line with an example of correct use. Users who may not manage a channel cannot change it.
"""

from __future__ import annotations

import string
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.adapters.slack.listeners import reply_text
from bot.clock import FakeClock
from bot.commands.replies import (
    SPECS,
    CommandError,
    CommandRequest,
    CommandResult,
    Subscribed,
)
from bot.domain import Destination, Platform
from bot.fakes import FakePublisher, MemoryFeedSource
from bot.render.text import render_text
from bot.store.sql import open_store
from summaries import Analyzer
from tests.reliability.conftest import active_mentions
from tests.support.stack import Stack, build

pytestmark = pytest.mark.asyncio

NOW = datetime(2024, 1, 5, 9, 0, tzinfo=UTC)
CHANNEL = Destination(Platform.SLACK, "T1", "C-fuzz")
FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

#: Pieces of real syntax, so the fuzzer reaches past the first check of each parser.
TOKENS = st.sampled_from(
    [
        "09:00", "24:61", "9", "-1", "max=0", "max=51", "max=8", "max=", "mon-fri", "sun-sat",
        "mon,wed", "Europe/Berlin", "Mars/Base", "UTC", "live", "quiet", "live 0", "99999w",
        "0h", "90m", "2024-02-30", "1970-01-01", "actor:", 'actor:"', 'actor:"Elena Marsh"',
        "place:", "-", "--x", "OR", "OR OR", '"', '""', "http://", "https://feed.example/x.xml",
        "file:../../etc/passwd.xml", "gopher://x/", "@everyone", "<!channel>", "<@U1>", "\x00",
        "\u202e", "\u200b", "\n", "\t", "\\", "%", "{}", "3", "18446744073709551617", "1e9",
    ]
)  # fmt: skip
ARGUMENTS = st.one_of(
    st.text(max_size=200),
    st.lists(TOKENS, max_size=6).map(" ".join),
    st.lists(st.one_of(TOKENS, st.text(string.printable, max_size=12)), max_size=6).map(" ".join),
)
NAMES = st.one_of(
    st.sampled_from([*SPECS, "DIGEST", "Subscribe", "", "nope", "help help"]),
    st.text(max_size=30),
)
OPML = st.one_of(
    st.none(),
    st.text(max_size=300),
    st.builds(
        lambda url, title: (
            f'<opml version="2.0"><body><outline type="rss" xmlUrl="{url}" '
            f'title="{title}"/></body></opml>'
        ),
        st.one_of(TOKENS, st.text(max_size=40)),
        st.text(max_size=20),
    ),
)


@pytest_asyncio.fixture
async def stack(analyzer: Analyzer, tmp_path: Path) -> AsyncIterator[Stack]:
    async with open_store(f"sqlite+aiosqlite:///{tmp_path}/fuzz.db") as store:
        yield build(store, MemoryFeedSource(), analyzer, FakeClock(NOW), FakePublisher())


def assert_helpful(result: CommandResult) -> None:
    assert isinstance(result, CommandResult), result
    shown = render_text(result)
    assert shown.strip(), result
    assert active_mentions(shown) == [] and active_mentions(reply_text(result)) == []
    if isinstance(result, CommandError):
        assert result.message.strip() and "\n" not in result.message, result
        assert "Traceback" not in result.message
        assert result.example.command in SPECS, result


@FUZZ
@given(slash=st.sampled_from(["/", ""]), name=NAMES, args=ARGUMENTS, attachment=OPML)
async def test_any_text_for_any_command_gets_a_helpful_reply(
    stack: Stack, slash: str, name: str, args: str, attachment: str | None
) -> None:
    request = CommandRequest(CHANNEL, f"{slash}{name} {args}", attachment)
    assert_helpful(await stack.commands.handle(request))


@FUZZ
@given(name=st.sampled_from(sorted(SPECS)), args=ARGUMENTS, attachment=OPML)
async def test_every_command_with_arbitrary_arguments(
    stack: Stack, name: str, args: str, attachment: str | None
) -> None:
    result = await stack.commands.handle(CommandRequest(CHANNEL, f"/{name} {args}", attachment))
    assert_helpful(result)


MANAGING = sorted(name for name, spec in SPECS.items() if spec.manages)


async def test_changing_a_channel_needs_the_manage_permission(stack: Stack) -> None:
    assert MANAGING == ["import-opml", "links", "mode", "schedule", "subscribe", "unsubscribe"]
    manager = CommandRequest(CHANNEL, "/subscribe lindmoor bridge", may_manage=True)
    subscribed = await stack.commands.handle(manager)
    assert isinstance(subscribed, Subscribed)
    record = await stack.channel(CHANNEL)
    before = (await stack.store.subscriptions(record.id), record.settings)
    opml = '<opml version="2.0"><body><outline xmlUrl="https://a.example/f.xml"/></body></opml>'
    for line in (
        "/subscribe harbour",
        "/subscribe https://a.example/feed.xml",
        f"/unsubscribe {subscribed.subscription.id}",
        "/schedule 07:00 Europe/Berlin",
        "/mode live 3",
        "/links off",
        f"/subscribe {subscribed.subscription.target} only:bridge",
        "/import-opml",
    ):
        refused = await stack.commands.handle(CommandRequest(CHANNEL, line, opml, may_manage=False))
        assert isinstance(refused, CommandError), (line, refused)
        assert "manage this channel" in refused.message
    after = await stack.channel(CHANNEL)
    assert (await stack.store.subscriptions(record.id), after.settings) == before
    for line in ("/digest", "/subscriptions", "/help", "/export-opml"):
        answer = await stack.commands.handle(CommandRequest(CHANNEL, line, may_manage=False))
        assert not isinstance(answer, CommandError), (line, answer)


@FUZZ
@given(name=st.sampled_from(MANAGING), args=ARGUMENTS, attachment=OPML)
async def test_no_text_lets_a_user_without_permission_change_a_channel(
    stack: Stack, name: str, args: str, attachment: str | None
) -> None:
    record = await stack.channel(CHANNEL)
    before = (await stack.store.subscriptions(record.id), record.settings)
    result = await stack.commands.handle(
        CommandRequest(CHANNEL, f"/{name} {args}", attachment, may_manage=False)
    )
    assert isinstance(result, CommandError)
    after = await stack.channel(CHANNEL)
    assert (await stack.store.subscriptions(record.id), after.settings) == before

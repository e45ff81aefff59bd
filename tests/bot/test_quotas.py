"""Quotas: feeds per workspace and per channel, commands per user, digests per channel."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.app import engine_options
from bot.clock import FakeClock
from bot.commands.handlers import (
    CommandError,
    CommandRequest,
    DigestReply,
    HelpReply,
    OpmlImported,
    Subscribed,
    SubscriptionList,
    Unsubscribed,
)
from bot.commands.limits import SlidingWindow
from bot.commands.spec import command_line
from bot.config import load_settings
from bot.domain import Destination, Platform
from bot.engine import EngineOptions, Quotas
from bot.fakes import FakePublisher, MemoryFeedSource
from bot.render.text import render_text
from bot.store.memory import MemoryStore
from bot.store.port import Store
from summaries import Analyzer
from tests.support.stack import CHANNEL, Stack, build

pytestmark = pytest.mark.asyncio

NEXT_DOOR = Destination(Platform.SLACK, "T1", "C2")  # the same workspace as CHANNEL
OTHER_TEAM = Destination(Platform.SLACK, "T2", "C1")
SAME_IDS_ON_DISCORD = Destination(Platform.DISCORD, "T1", "C1")  # another tenant


def feed(n: int) -> str:
    return f"https://outlet-{n}.example/feed.xml"


def opml(*urls: str) -> str:
    outlines = "".join(f'<outline text="{url}" xmlUrl="{url}"/>' for url in urls)
    return f'<?xml version="1.0"?><opml version="2.0"><head/><body>{outlines}</body></opml>'


def stack_with(
    store: Store,
    analyzer: Analyzer,
    source: MemoryFeedSource,
    clock: FakeClock,
    quotas: Quotas,
) -> Stack:
    for n in range(12):
        source.put(feed(n), [])
    return build(store, source, analyzer, clock, FakePublisher(), EngineOptions(quotas=quotas))


async def run(
    stack: Stack,
    text: str,
    where: Destination = CHANNEL,
    attachment: str | None = None,
    user: str | None = None,
) -> object:
    return await stack.commands.handle(CommandRequest(where, text, attachment, user=user))


async def test_a_workspace_at_its_feed_limit_refuses_new_feeds_and_others_are_unaffected(
    store: Store, analyzer: Analyzer, source: MemoryFeedSource, clock: FakeClock
) -> None:
    stack = stack_with(store, analyzer, source, clock, Quotas(feeds_per_tenant=3))
    assert isinstance(
        await run(stack, "/import-opml", CHANNEL, opml(feed(0), feed(1))), OpmlImported
    )
    assert isinstance(await run(stack, f"/subscribe {feed(2)}", NEXT_DOOR), Subscribed)
    refused = await run(stack, f"/subscribe {feed(3)}", NEXT_DOOR)
    assert isinstance(refused, CommandError)
    assert refused.message == (
        "this workspace follows 3 feeds, the most allowed; unsubscribe a feed in one of its "
        "channels first (/subscriptions there lists them)"
    )
    assert command_line(refused.example) == "/unsubscribe 3"
    # a feed another channel of the workspace follows costs the workspace nothing
    assert isinstance(await run(stack, f"/subscribe {feed(0)}", NEXT_DOOR), Subscribed)
    # topics are not feeds
    assert isinstance(await run(stack, "/subscribe lindmoor bridge", NEXT_DOOR), Subscribed)
    for tenant in (OTHER_TEAM, SAME_IDS_ON_DISCORD):
        assert isinstance(await run(stack, f"/subscribe {feed(3)}", tenant), Subscribed)
    on_discord = await run(
        stack, "/import-opml", SAME_IDS_ON_DISCORD, opml(feed(4), feed(5), feed(6))
    )
    assert isinstance(on_discord, OpmlImported) and on_discord.limit is not None
    assert on_discord.limit.startswith("this server follows 3 feeds, the most allowed")


async def test_a_full_channel_refuses_until_something_is_unsubscribed(
    store: Store, analyzer: Analyzer, source: MemoryFeedSource, clock: FakeClock
) -> None:
    stack = stack_with(store, analyzer, source, clock, Quotas(subscriptions_per_channel=2))
    first = await run(stack, "/subscribe lindmoor bridge")
    assert isinstance(first, Subscribed)
    assert isinstance(await run(stack, f"/subscribe {feed(0)}"), Subscribed)
    full = (
        "this channel follows 2 feeds and topics, the most allowed; unsubscribe something "
        "first (/subscriptions lists them)"
    )
    for line in ("/subscribe harbour strike", f"/subscribe {feed(1)}"):
        refused = await run(stack, line)
        assert isinstance(refused, CommandError) and refused.message == full
    again = await run(stack, "/subscribe lindmoor bridge")
    assert isinstance(again, CommandError) and "already follows" in again.message
    assert isinstance(await run(stack, f"/subscribe {feed(1)}", NEXT_DOOR), Subscribed)
    listed = await run(stack, "/subscriptions")
    assert isinstance(listed, SubscriptionList) and len(listed.items) == 2
    gone = await run(stack, f"/unsubscribe {first.subscription.id}")
    assert isinstance(gone, Unsubscribed)
    assert isinstance(await run(stack, "/subscribe harbour strike"), Subscribed)


async def test_an_import_over_the_limit_takes_what_fits_and_says_what_it_left_out(
    store: Store, analyzer: Analyzer, source: MemoryFeedSource, clock: FakeClock
) -> None:
    quotas = Quotas(feeds_per_tenant=10, subscriptions_per_channel=4)
    stack = stack_with(store, analyzer, source, clock, quotas)
    await run(stack, "/subscribe lindmoor bridge")
    await run(stack, f"/subscribe {feed(0)}")
    document = opml(*(feed(n) for n in range(5)))
    imported = await run(stack, "/import-opml", CHANNEL, document)
    assert isinstance(imported, OpmlImported)
    assert [sub.target for sub in imported.added] == [feed(1), feed(2)]
    assert imported.already == (feed(0),)
    assert imported.left_out == (feed(3), feed(4))
    assert render_text(imported) == (
        "Imported 2 feed(s); they are read on the next poll. Already followed: 1. Left out: 2, "
        "because this channel follows 4 feeds and topics, the most allowed; unsubscribe "
        "something first (/subscriptions lists them)."
    )
    listed = await run(stack, "/subscriptions")
    assert isinstance(listed, SubscriptionList) and len(listed.items) == 4


async def test_each_user_runs_a_limited_number_of_commands_a_minute(
    analyzer: Analyzer, source: MemoryFeedSource, clock: FakeClock
) -> None:
    stack = stack_with(MemoryStore(), analyzer, source, clock, Quotas(commands_per_minute=3))
    for _ in range(3):
        assert isinstance(await run(stack, "/help", user="U1"), HelpReply)
        clock.advance(timedelta(seconds=10))
    refused = await run(stack, "/help", user="U1")
    assert isinstance(refused, CommandError)
    assert refused.message == "too many commands: 3 a minute at most; try again in 30 seconds"
    assert isinstance(await run(stack, "/help", user="U2"), HelpReply)  # another user
    clock.advance(timedelta(seconds=30))  # the first command leaves the window
    assert isinstance(await run(stack, "/help", user="U1"), HelpReply)
    assert isinstance(await run(stack, "/help", user="U1"), CommandError)  # the refusal not counted
    clock.advance(timedelta(seconds=10))
    assert isinstance(await run(stack, "/help", user="U1"), HelpReply)


async def test_a_channel_asks_for_a_limited_number_of_digests_a_minute(
    analyzer: Analyzer, source: MemoryFeedSource, clock: FakeClock
) -> None:
    stack = stack_with(MemoryStore(), analyzer, source, clock, Quotas(digests_per_minute=2))
    for user in ("U1", "U2"):
        assert isinstance(await run(stack, "/digest", user=user), DigestReply)
    refused = await run(stack, "/digest 48h", user="U3")
    assert isinstance(refused, CommandError)
    assert refused.message == (
        "this channel asked for 2 digests in the last minute, the most allowed; "
        "try again in 60 seconds (or /schedule a daily one)"
    )
    assert isinstance(await run(stack, "/subscriptions", user="U3"), SubscriptionList)
    assert isinstance(await run(stack, "/digest", NEXT_DOOR, user="U3"), DigestReply)
    clock.advance(timedelta(minutes=1))
    assert isinstance(await run(stack, "/digest", user="U3"), DigestReply)


async def test_zero_means_no_limit(clock: FakeClock) -> None:
    window = SlidingWindow(0, timedelta(minutes=1), clock)
    assert all(window.admit("U1") is None for _ in range(1000))


async def test_a_limiter_forgets_idle_keys(clock: FakeClock) -> None:
    window = SlidingWindow(1, timedelta(minutes=1), clock)
    for n in range(20_001):
        window.admit(n)
    clock.advance(timedelta(minutes=2))
    window.admit("late")
    assert window.admit(20_000) is None  # its minute had passed
    assert len(window._hits) < 10_000


async def test_the_settings_set_the_quotas() -> None:
    settings = load_settings(
        max_feeds_per_tenant=7,
        max_subscriptions_per_channel=5,
        commands_per_minute=4,
        digests_per_minute=3,
    )
    assert engine_options(settings).quotas == Quotas(7, 5, 4, 3)
    assert engine_options(load_settings()).quotas == Quotas(200, 50, 20, 6)


async def test_subscriptions_racing_at_the_channel_limit_never_go_over_it(
    store: Store, analyzer: Analyzer, source: MemoryFeedSource, clock: FakeClock
) -> None:
    stack = stack_with(store, analyzer, source, clock, Quotas(subscriptions_per_channel=2))
    commands = [f"/subscribe {feed(n)}" for n in range(5)] + ["/subscribe lindmoor bridge"]
    results = await asyncio.gather(*(run(stack, text) for text in commands))
    assert sum(isinstance(result, Subscribed) for result in results) == 2
    assert await store.count_subscriptions((await stack.engine.destination(CHANNEL)).id) == 2


async def test_feeds_racing_at_the_workspace_limit_never_go_over_it(
    store: Store, analyzer: Analyzer, source: MemoryFeedSource, clock: FakeClock
) -> None:
    stack = stack_with(store, analyzer, source, clock, Quotas(feeds_per_tenant=3))
    places = [CHANNEL, NEXT_DOOR] * 4
    results = await asyncio.gather(
        *(run(stack, f"/subscribe {feed(n)}", where) for n, where in enumerate(places))
    )
    assert sum(isinstance(result, Subscribed) for result in results) == 3
    assert await store.count_feeds(Platform.SLACK, "T1", []) == 3

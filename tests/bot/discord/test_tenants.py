"""Two Discord servers on one bot: server B never sees what server A follows (issue 17).

Server A follows a feed on a private host (a news site on 127.0.0.1, let through the SSRF guard
by the allow list). Server B follows a feed of its own and a topic that A's stories match. B's
`/digest`, `/digest topic:`, live posts, `/unsubscribe` autocomplete and OPML export may carry
none of A's stories, links or subscriptions; removing the bot from A forgets A and stops its feed.

The real discord.py client talks to the gateway stand-in, which serves both servers; the store is
SQLite or Postgres; feeds come through the real guarded HTTP fetcher; time is a fake clock.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
import pytest_asyncio

from bot.adapters.discord import DiscordPublisher, open_discord, open_discord_client
from bot.adapters.discord.runner import DiscordRunning
from bot.clock import FakeClock
from bot.commands.replies import CommandRequest, OpmlExported
from bot.domain import Destination, Platform
from bot.feeds.source import open_http_feed_source
from summaries import Analyzer
from tests.bot.conftest import Database
from tests.bot.discord.conftest import option, options_for, slash_payload
from tests.bot.discord.standin import CHANNEL_ID, GUILD_ID, DiscordStandIn, discord_standin
from tests.support.newssite import NewsSite, serve_site
from tests.support.stack import Stack, build
from tests.support.tenants import (
    ALLOW_LOOPBACK,
    NOW,
    TOPIC,
    leaks,
    private_site,
    public_site,
    publish_next,
)
from tests.support.waiting import wait_until

pytestmark = pytest.mark.asyncio

GUILD_B, CHANNEL_B = 810000000000000001, 810000000000000002
HERE = Destination(Platform.DISCORD, str(GUILD_ID), str(CHANNEL_ID))
THERE = Destination(Platform.DISCORD, str(GUILD_B), str(CHANNEL_B))
SERVERS = {HERE: (GUILD_ID, CHANNEL_ID), THERE: (GUILD_B, CHANNEL_B)}


@dataclass
class Servers:
    """The bot in servers A (HERE) and B (THERE), with A's private site and B's site."""

    standin: DiscordStandIn
    running: DiscordRunning
    stack: Stack
    clock: FakeClock
    site_a: NewsSite
    site_b: NewsSite
    tokens_b: set[str] = field(default_factory=set)  # B's interactions, whose answers B sees

    async def command(
        self, where: Destination, name: str, options: list[dict[str, Any]], kind: int = 2
    ) -> list[Any]:
        """A slash command (kind 2) or autocomplete (4) in a server; the bot's REST calls."""
        guild, channel = SERVERS[where]
        payload = slash_payload(name, options, kind=kind, guild=guild, channel=channel)
        if where == THERE:
            self.tokens_b.add(payload["token"])
        before = len(self.standin.calls)
        await self.standin.dispatch("INTERACTION_CREATE", payload)
        token = payload["token"]

        def answered() -> bool:
            paths = [call.path for call in self.standin.calls[before:]]
            done = "/callback" if kind == 4 else "/webhooks/"
            return any(token in path and done in path for path in paths)

        await wait_until(answered, f"the answer to /{name}")
        return [call for call in self.standin.calls[before:] if token in call.path]

    async def digest(self, where: Destination, topic: str | None = None) -> str:
        """`/digest` (or `/digest topic:`) in a server; what it answered, as JSON text."""
        options = [option("topic", topic)] if topic else []
        return json.dumps([call.body for call in await self.command(where, "digest", options)])

    async def follow(self) -> None:
        """A follows its private feed; B its own feed and the topic."""
        for where, target in (
            (HERE, self.site_a.feed),
            (THERE, self.site_b.feed),
            (THERE, TOPIC),
        ):
            calls = await self.command(where, "subscribe", [option("target", target)])
            assert "Subscribed" in json.dumps([call.body for call in calls]), calls

    async def choices(self, where: Destination) -> str:
        """The `/unsubscribe` autocomplete choices for an empty field, as JSON text."""
        focused = [option("subscription", "", focused=True)]
        (answer,) = await self.command(where, "unsubscribe", focused, kind=4)
        assert answer.body["type"] == 8
        return json.dumps(answer.body["data"]["choices"])

    def seen_by_b(self) -> str:
        """Everything the bot sent to server B: answers to its interactions, its channel's posts."""
        shown = [
            call.body
            for call in self.standin.calls
            if any(token in call.path for token in self.tokens_b)
            or call.path.startswith(f"/channels/{CHANNEL_B}/")
        ]
        return json.dumps(shown)

    def secrets_of_a(self) -> tuple[str, ...]:
        """What would show A's private feed: its host and its stories' words."""
        return (self.site_a.url, "Esker", "Vogt")

    async def due(self) -> set[str]:
        """The feeds the engine will poll, once their interval has passed."""
        self.clock.advance(timedelta(days=1))
        return {feed.url for feed in await self.stack.engine.due_feeds()}


@pytest_asyncio.fixture
async def servers(database: Database, analyzer: Analyzer) -> AsyncIterator[Servers]:
    site_a, site_b = private_site(), public_site()
    async with (
        discord_standin() as standin,
        serve_site(site_a),
        serve_site(site_b),
        database.open() as store,
        open_http_feed_source(ALLOW_LOOPBACK) as web,
    ):
        standin.guilds[GUILD_B] = CHANNEL_B
        options = options_for(standin)
        async with open_discord_client(options) as client:
            publisher = DiscordPublisher(client)
            clock = FakeClock(NOW)
            stack = build(store, web, analyzer, clock, publisher)
            async with open_discord(client, stack.commands, publisher, options) as running:
                yield Servers(standin, running, stack, clock, site_a, site_b)


async def test_the_bot_sees_both_servers_and_each_reads_its_own_feed(servers: Servers) -> None:
    assert sorted(guild.id for guild in servers.running.client.guilds) == [GUILD_ID, GUILD_B]
    await servers.follow()
    assert "Esker" in await servers.digest(HERE)
    assert "Halden" in await servers.digest(THERE)


async def test_bs_topic_and_digests_never_show_as_private_stories(servers: Servers) -> None:
    await servers.follow()
    # A's own topic digest finds the story, so B's finding none is isolation, not a miss
    assert "Esker" in await servers.digest(HERE, TOPIC)
    assert "Halden" in await servers.digest(THERE)
    await servers.digest(THERE, TOPIC)
    seen = servers.seen_by_b()
    assert leaks(servers.secrets_of_a(), seen) == []


async def test_bs_live_mode_never_posts_as_new_stories(servers: Servers) -> None:
    await servers.follow()
    for where in (HERE, THERE):  # Discord has no /mode command yet: the neutral command
        await servers.stack.commands.handle(CommandRequest(where, "/mode live"))
    publish_next(servers.site_a, servers.site_b)
    servers.clock.advance(timedelta(minutes=20))  # past the feeds' 15-minute interval
    await servers.stack.scheduler.tick()
    posted = {
        channel: json.dumps(servers.standin.messages(channel))
        for channel in (CHANNEL_ID, CHANNEL_B)
    }
    assert "ferry" in posted[CHANNEL_ID] and "Sorel" in posted[CHANNEL_B], posted
    seen = servers.seen_by_b()
    assert leaks((*servers.secrets_of_a(), "ferry"), seen) == []


async def test_bs_autocomplete_offers_only_bs_subscriptions(servers: Servers) -> None:
    await servers.follow()
    assert servers.site_a.feed in await servers.choices(HERE)
    offered = await servers.choices(THERE)
    assert servers.site_b.feed in offered and TOPIC in offered
    assert servers.site_a.url not in offered and servers.site_a.url not in servers.seen_by_b()


async def test_bs_opml_export_lists_only_bs_feeds(servers: Servers) -> None:
    await servers.follow()
    exported = {}
    for where in (HERE, THERE):
        result = await servers.stack.commands.handle(CommandRequest(where, "/export-opml"))
        assert isinstance(result, OpmlExported)
        exported[where] = result.document
    assert servers.site_a.feed in exported[HERE]
    assert servers.site_b.feed in exported[THERE] and servers.site_a.url not in exported[THERE]


async def test_the_bot_removed_from_a_forgets_it_and_stops_its_feed_not_bs(
    servers: Servers,
) -> None:
    await servers.follow()
    assert await servers.due() == {servers.site_a.feed, servers.site_b.feed}
    await servers.standin.dispatch("GUILD_DELETE", {"id": str(GUILD_ID)})

    async def forgotten() -> bool:
        stored = await servers.stack.engine.destinations()
        return HERE not in {record.destination for record in stored}

    await wait_until(forgotten, "server A to be forgotten")
    stored = await servers.stack.engine.destinations()
    assert [record.destination for record in stored] == [THERE]
    assert await servers.due() == {servers.site_b.feed}

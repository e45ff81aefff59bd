"""Two workspaces installed through the OAuth flow: B never sees what A follows (issue 17).

Workspace A follows a feed on a private host (a news site on 127.0.0.1, let through the SSRF guard
by the allow list, as an intranet feed would be). Workspace B follows a feed of its own and a topic
that A's stories match. Nothing B's bot token is used for (digests, live posts, ephemeral
answers, the Home tab, the OPML export) may carry A's stories, links, channels or feeds. Within A,
the Home tab shows a private channel only to its members.

The real Bolt app serves HTTP mode with the OAuth install flow against the Slack stand-in; the
store is SQLite or Postgres; feeds come through the real guarded HTTP fetcher; time is a fake
clock the tests move (the scheduler ticks when told).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.adapters.slack.oauth import SlackInstallations, SlackOAuthOptions
from bot.adapters.slack.runner import SlackOptions, open_slack, slack_publisher
from bot.clock import FakeClock
from bot.domain import Destination, Platform
from bot.feeds.source import open_http_feed_source
from bot.store.sql_engine import create_engine
from summaries import Analyzer
from tests.bot.conftest import Database
from tests.bot.slack.signing import SECRET
from tests.bot.slack.standin import CLIENT_ID, CLIENT_SECRET, SlackStandIn, slack_standin
from tests.bot.slack.test_oauth import DistributedBot
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

TEAM_A, TEAM_B = "TA", "TB"
TOKEN_A, TOKEN_B = "xoxb-TA-installed", "xoxb-TB-installed"
NEWS_A, LIVE_A, PRIVATE_A, NEWS_B = "CA-news", "CA-live", "CA-private", "CB-news"


@dataclass
class Workspaces:
    """The bot as a distributed Slack app, with A's private site and B's site."""

    bot: DistributedBot
    stack: Stack
    clock: FakeClock
    installations: SlackInstallations
    site_a: NewsSite
    site_b: NewsSite

    @property
    def standin(self) -> SlackStandIn:
        return self.bot.standin

    async def install_both(self) -> None:
        await self.bot.install(TEAM_A, "Lindmoor newsroom")
        await self.bot.install(TEAM_B, "Halden desk")

    async def ask(self, team: str, channel: str, text: str) -> dict[str, Any]:
        """`/digest <text>` in a channel; its one answer (a post or an ephemeral message)."""
        before = len(self.answers())
        assert await self.bot.command(team, channel, text) == 200
        await wait_until(lambda: len(self.answers()) > before, f"the answer to {text!r}")
        return self.answers()[before]

    async def export(self, team: str, channel: str) -> str:
        """`/digest export-opml`: the OPML file uploaded to the asker's DM, as text."""
        before = set(self.standin.files)
        answer = await self.ask(team, channel, "export-opml")
        assert "DM" in answer["text"] or "direct message" in answer["text"], answer
        (new,) = set(self.standin.files) - before
        return self.standin.files[new].content.decode()

    def answers(self) -> list[dict[str, Any]]:
        return [
            body
            for method, body in self.standin.calls
            if method in ("chat.postMessage", "chat.postEphemeral")
        ]

    async def follow(self) -> None:
        """A's channels follow the private feed; B's channel its own feed and the topic."""
        for channel in (NEWS_A, LIVE_A, PRIVATE_A):
            answer = await self.ask(TEAM_A, channel, f"subscribe {self.site_a.feed}")
            assert "Subscribed" in answer["text"], answer
        for target in (self.site_b.feed, TOPIC):
            answer = await self.ask(TEAM_B, NEWS_B, f"subscribe {target}")
            assert "Subscribed" in answer["text"], answer

    async def home(self, team: str, user: str) -> str:
        """The Home tab `user` of `team` is shown, as JSON text."""
        before = len(self.standin.posts("views.publish"))
        opened = {"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"}
        assert await self.bot.event(team, opened) == 200
        await self.standin.called("views.publish", before + 1)
        published = self.standin.posts("views.publish")[before]
        assert published["user_id"] == user
        return json.dumps(published["view"])

    def seen_by(self, token: str) -> str:
        """Everything the bot sent with a workspace's token, as JSON text."""
        pairs = zip(self.standin.calls, self.standin.callers, strict=True)
        return json.dumps([body for (_, body), caller in pairs if caller == token])

    def secrets_of_a(self) -> tuple[str, ...]:
        """What would show A's private feed: its host, its stories' words, its channels."""
        return (self.site_a.url, "Esker", "Vogt", NEWS_A, LIVE_A, PRIVATE_A)

    async def due(self) -> set[str]:
        """The feeds the engine will poll, once their interval has passed."""
        self.clock.advance(timedelta(days=1))
        return {feed.url for feed in await self.stack.engine.due_feeds()}


@pytest_asyncio.fixture
async def workspaces(database: Database, analyzer: Analyzer) -> AsyncIterator[Workspaces]:
    site_a, site_b = private_site(), public_site()
    oauth = SlackOAuthOptions(CLIENT_ID, CLIENT_SECRET)
    async with (
        slack_standin() as standin,
        serve_site(site_a),
        serve_site(site_b),
        database.open() as store,
        open_http_feed_source(ALLOW_LOOPBACK) as web,
    ):
        options = SlackOptions(
            bot_token="",
            signing_secret=SECRET,
            api_url=standin.url,
            http_host="127.0.0.1",
            http_port=0,
            oauth=oauth,
        )
        engine = create_engine(database.url, connect_args=database.connect_args)
        try:
            publisher = await slack_publisher(options, engine)
            assert isinstance(publisher.tokens, SlackInstallations)
            clock = FakeClock(NOW)
            stack = build(store, web, analyzer, clock, publisher)
            async with open_slack(stack.commands, publisher, options) as running:
                assert running.url is not None
                base = running.url.removesuffix(options.path)
                bot = DistributedBot(base, Path("unused"), standin)
                spaces = Workspaces(bot, stack, clock, publisher.tokens, site_a, site_b)
                await spaces.install_both()
                yield spaces
        finally:
            await engine.dispose()


async def test_both_workspaces_install_and_each_reads_its_own_feed(
    workspaces: Workspaces,
) -> None:
    assert await workspaces.installations.bot_token(TEAM_A) == TOKEN_A
    assert await workspaces.installations.bot_token(TEAM_B) == TOKEN_B
    await workspaces.follow()
    mine = await workspaces.ask(TEAM_A, NEWS_A, "")
    assert "Esker" in json.dumps(mine["blocks"]) and workspaces.site_a.link("bridge") in str(mine)
    theirs = await workspaces.ask(TEAM_B, NEWS_B, "")
    assert "Halden" in json.dumps(theirs["blocks"])
    answers = workspaces.standin.posts_with_tokens("chat.postEphemeral")
    posted = {body["channel"]: token for token, body in answers}
    assert posted[NEWS_A] == TOKEN_A and posted[NEWS_B] == TOKEN_B
    assert {token for channel, token in posted.items() if channel.startswith("CA-")} == {TOKEN_A}


async def test_bs_topic_and_digests_never_show_as_private_stories(workspaces: Workspaces) -> None:
    await workspaces.follow()
    # A's own topic digest finds the story, so B's finding none is isolation, not a miss
    assert "Esker" in json.dumps(await workspaces.ask(TEAM_A, NEWS_A, TOPIC))
    assert "Halden" in json.dumps(await workspaces.ask(TEAM_B, NEWS_B, ""))
    await workspaces.ask(TEAM_B, NEWS_B, TOPIC)
    await workspaces.ask(TEAM_B, NEWS_B, f"{TOPIC} 3d")
    seen = workspaces.seen_by(TOKEN_B)
    assert leaks(workspaces.secrets_of_a(), seen) == []


async def test_bs_live_mode_never_posts_as_new_stories(workspaces: Workspaces) -> None:
    await workspaces.follow()
    for team, channel in ((TEAM_A, LIVE_A), (TEAM_B, NEWS_B)):
        assert "live" in (await workspaces.ask(team, channel, "mode live"))["text"]
    publish_next(workspaces.site_a, workspaces.site_b)
    workspaces.clock.advance(timedelta(minutes=20))  # past the feeds' 15-minute interval
    await workspaces.stack.scheduler.tick()
    live: dict[str, str] = {}
    for body in workspaces.standin.posts():
        live[body["channel"]] = live.get(body["channel"], "") + json.dumps(body)
    assert "ferry" in live.get(LIVE_A, "") and "Sorel" in live.get(NEWS_B, ""), live.keys()
    seen = workspaces.seen_by(TOKEN_B)
    assert leaks((*workspaces.secrets_of_a(), "ferry"), seen) == []


async def test_bs_home_tab_shows_nothing_of_a(workspaces: Workspaces) -> None:
    workspaces.standin.join(NEWS_B, "UB")  # the tab lists only the viewer's own channels
    await workspaces.follow()
    shown = await workspaces.home(TEAM_B, "UB")
    assert NEWS_B in shown and workspaces.site_b.feed in shown
    assert leaks(workspaces.secrets_of_a(), shown) == []
    assert leaks(workspaces.secrets_of_a(), workspaces.seen_by(TOKEN_B)) == []


async def test_as_home_tab_shows_a_private_channel_only_to_its_members(
    workspaces: Workspaces,
) -> None:
    standin = workspaces.standin
    standin.join(NEWS_A, "UA-member", "UA-outsider")
    standin.join(LIVE_A, "UA-member", "UA-outsider")
    standin.join(PRIVATE_A, "UA-member", private=True)
    await workspaces.follow()
    member = await workspaces.home(TEAM_A, "UA-member")
    assert all(channel in member for channel in (NEWS_A, LIVE_A, PRIVATE_A)), member
    outsider = await workspaces.home(TEAM_A, "UA-outsider")
    assert NEWS_A in outsider and LIVE_A in outsider
    assert PRIVATE_A not in outsider, "a private channel's subscriptions shown to a non-member"


async def test_bs_opml_export_lists_only_bs_feeds(workspaces: Workspaces) -> None:
    await workspaces.follow()
    mine = await workspaces.export(TEAM_A, NEWS_A)
    assert workspaces.site_a.feed in mine
    theirs = await workspaces.export(TEAM_B, NEWS_B)
    assert workspaces.site_b.feed in theirs and "<opml" in theirs
    assert workspaces.site_a.url not in theirs


@pytest.mark.parametrize(
    "event",
    [{"type": "app_uninstalled"}, {"type": "tokens_revoked", "tokens": {"bot": ["B-TA"]}}],
    ids=["app_uninstalled", "bot_token_revoked"],
)
async def test_an_uninstall_deletes_as_channels_and_token_and_stops_as_feed_only(
    workspaces: Workspaces, event: dict[str, Any]
) -> None:
    await workspaces.follow()
    assert await workspaces.due() == {workspaces.site_a.feed, workspaces.site_b.feed}
    assert await workspaces.bot.event(TEAM_A, event) == 200

    async def uninstalled() -> bool:
        return await workspaces.installations.bot_token(TEAM_A) is None

    await wait_until(uninstalled, "A's bot token to be deleted")
    stored = await workspaces.stack.engine.destinations()
    assert {record.destination for record in stored} == {
        Destination(Platform.SLACK, TEAM_B, NEWS_B)
    }
    if event["type"] == "app_uninstalled":  # a revoked bot token leaves the user's install
        found = await workspaces.installations.installations.async_find_installation(
            enterprise_id=None, team_id=TEAM_A
        )
        assert found is None
    assert await workspaces.installations.bot_token(TEAM_B) == TOKEN_B
    assert await workspaces.due() == {workspaces.site_b.feed}


def html_text(text: str) -> str:
    """Slack-escaped text as typed (the OPML arrives with &lt; and &gt;)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")

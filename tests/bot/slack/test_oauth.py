"""Many workspaces: the OAuth install flow and per-workspace bot tokens, against the stand-in.

The whole bot runs (bot/app/'s run_platforms) in HTTP mode with SLACK_CLIENT_ID/SECRET and no bot
token. A browser's part is played by aiohttp: it opens /slack/install, and instead of approving
on slack.com (the stand-in grants a code) comes back to /slack/oauth_redirect with the code, the
state and the state cookie. Slack itself (slack.com) is never contacted.
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import aiohttp
import pytest
import pytest_asyncio

from bot.app import Overrides, run_platforms
from bot.config import load_settings
from summaries import Analyzer
from tests.bot.slack.signing import SECRET, event_callback, post, signed, slash_fields
from tests.bot.slack.standin import (
    CLIENT_ID,
    CLIENT_SECRET,
    SlackStandIn,
    slack_standin,
)
from tests.conftest import EXAMPLES
from tests.support.loopback import free_port, until_listening

pytestmark = pytest.mark.asyncio

FEED = EXAMPLES / "feeds" / "world.xml"
HEADLINE = "Iraq Wants to Kick Out US Troops"


@dataclass
class DistributedBot:
    """The bot running as a distributed Slack app on a loopback port, its database a file."""

    base: str
    database: Path
    standin: SlackStandIn

    async def install(self, team: str, name: str) -> str:
        """Install the app in a workspace through the OAuth flow; the redirect page's text."""
        link, cookie = await self.install_link()
        state = parse_qs(urlsplit(link).query)["state"][0]
        code = f"code-for-{team}"
        self.standin.grant(code, team, name)  # the admin approved on Slack's authorize page
        query = urlencode({"code": code, "state": state})
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"{self.base}/slack/oauth_redirect?{query}", headers=cookie) as answer,
        ):
            assert answer.status == 200, await answer.text()
            return await answer.text()

    async def install_link(self) -> tuple[str, dict[str, str]]:
        """The "Add to Slack" link of /slack/install, and the state cookie it set."""
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"{self.base}/slack/install") as answer,
        ):
            assert answer.status == 200
            page = await answer.text()
            morsel = answer.cookies["slack-app-oauth-state"]
        found = re.search(r'href="([^"]+oauth/v2/authorize[^"]*)"', page)
        assert found, page
        return html.unescape(found.group(1)), {"Cookie": f"{morsel.key}={morsel.value}"}

    async def command(self, team: str, channel: str, text: str) -> int:
        """A signed `/digest` from a channel of a workspace; the HTTP status."""
        answer_url = self.standin.response_url
        fields = {**slash_fields(text, answer_url), "team_id": team, "channel_id": channel}
        body = urlencode(fields)
        status, _ = await post(f"{self.base}/slack/events", body, signed(body))
        return status

    async def event(self, team: str, event: dict[str, Any]) -> int:
        """A signed Events API request from a workspace; the HTTP status."""
        body = json.dumps({**event_callback(event), "team_id": team})
        status, _ = await post(f"{self.base}/slack/events", body, signed(body))
        return status

    def stored_bots(self) -> list[tuple[str, str]]:
        """(team id, bot token) of every installation in the bot's SQLite database."""
        with sqlite3.connect(self.database) as connection:
            rows = connection.execute("SELECT team_id, bot_token FROM slack_bots ORDER BY team_id")
            return [(str(team), str(token)) for team, token in rows]


@pytest_asyncio.fixture
async def distributed(tmp_path: Path, analyzer: Analyzer) -> AsyncIterator[DistributedBot]:
    async with slack_standin() as standin:
        port = free_port()
        database = tmp_path / "data" / "bot.db"
        settings = load_settings(
            database_url=f"sqlite+aiosqlite:///{database}",
            local_feed_dirs=str(EXAMPLES),
            slack_client_id=CLIENT_ID,
            slack_client_secret=CLIENT_SECRET,
            slack_signing_secret=SECRET,
            on_demand="channel",  # digests posted in the channel, each with its workspace's token
            slack_api_url=standin.url,
            http_host="127.0.0.1",
            http_port=port,
        )
        bot = asyncio.create_task(run_platforms(settings, Overrides(summariser=analyzer)))
        try:
            await until_listening(bot, port)
            yield DistributedBot(f"http://127.0.0.1:{port}", database, standin)
        finally:
            bot.cancel()
            with pytest.raises(asyncio.CancelledError):
                await bot


async def test_the_install_page_links_to_slacks_authorize_page_with_a_state(
    distributed: DistributedBot,
) -> None:
    link, cookie = await distributed.install_link()
    parts = urlsplit(link)
    query = parse_qs(parts.query)
    authorize = distributed.standin.url.replace("/api/", "/oauth/v2/authorize")
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == authorize
    assert query["client_id"] == [CLIENT_ID]
    assert query["scope"] == [
        "commands,chat:write,channels:history,groups:history,users:read,files:read,files:write,"
        "im:write"
    ]
    assert cookie["Cookie"] == f"slack-app-oauth-state={query['state'][0]}"


async def test_an_install_is_stored_and_its_token_answers_that_workspace(
    distributed: DistributedBot,
) -> None:
    standin = distributed.standin
    await distributed.install("T1", "Newsroom")
    ((client, body),) = standin.posts_with_tokens("oauth.v2.access")
    assert client == f"{CLIENT_ID}:{CLIENT_SECRET}" and body["code"] == "code-for-T1"
    assert distributed.stored_bots() == [("T1", "xoxb-T1-installed")]
    assert await distributed.command("T1", "C1", f"subscribe {FEED}") == 200
    await standin.called("chat.postEphemeral")
    assert await distributed.command("T1", "C1", "") == 200
    await standin.called("chat.postMessage")
    ((token, digest),) = standin.posts_with_tokens()
    assert token == "xoxb-T1-installed" and digest["channel"] == "C1"
    assert HEADLINE in str(digest["blocks"])
    assert {token for token, _ in standin.posts_with_tokens("chat.postEphemeral")} == {
        "xoxb-T1-installed"
    }


async def test_two_workspaces_get_posts_each_with_its_own_token(
    distributed: DistributedBot,
) -> None:
    standin = distributed.standin
    await distributed.install("T1", "Newsroom")
    await distributed.install("T2", "Foreign desk")
    assert distributed.stored_bots() == [("T1", "xoxb-T1-installed"), ("T2", "xoxb-T2-installed")]
    for team, channel in (("T1", "C-news"), ("T2", "C-world")):
        assert await distributed.command(team, channel, f"subscribe {FEED}") == 200
    await standin.called("chat.postEphemeral", 2)
    for team, channel in (("T1", "C-news"), ("T2", "C-world")):
        assert await distributed.command(team, channel, "") == 200
    await standin.called("chat.postMessage", 2)
    posted = {body["channel"]: token for token, body in standin.posts_with_tokens()}
    assert posted == {"C-news": "xoxb-T1-installed", "C-world": "xoxb-T2-installed"}


async def test_each_workspaces_home_tab_is_published_with_its_token(
    distributed: DistributedBot,
) -> None:
    await distributed.install("T1", "Newsroom")
    await distributed.install("T2", "Foreign desk")
    assert await distributed.command("T2", "C-world", f"subscribe {FEED}") == 200
    await distributed.standin.called("chat.postEphemeral")
    distributed.standin.memberships["U7"] = ["C-world"]
    opened = {"type": "app_home_opened", "user": "U7", "channel": "D1", "tab": "home"}
    assert await distributed.event("T2", opened) == 200
    await distributed.standin.called("views.publish")
    ((token, view),) = distributed.standin.posts_with_tokens("views.publish")
    assert token == "xoxb-T2-installed" and "C-world" in json.dumps(view)
    ((asked_with, _),) = distributed.standin.posts_with_tokens("users.conversations")
    assert asked_with == "xoxb-T2-installed", "memberships are asked with the workspace's token"


async def test_a_workspace_without_the_app_is_told_to_install_it(
    distributed: DistributedBot,
) -> None:
    await distributed.install("T1", "Newsroom")
    assert await distributed.command("T9", "C1", "help") == 200
    (answer,) = distributed.standin.responses  # Bolt's own answer, through the response URL
    assert "reinstall this app" in answer["text"]
    assert distributed.standin.posts("chat.postEphemeral") == []


async def test_a_wrong_state_cookie_installs_nothing(distributed: DistributedBot) -> None:
    link, _ = await distributed.install_link()
    state = parse_qs(urlsplit(link).query)["state"][0]
    distributed.standin.grant("code-x", "T1", "Newsroom")
    query = urlencode({"code": "code-x", "state": state})
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            f"{distributed.base}/slack/oauth_redirect?{query}",
            headers={"Cookie": "slack-app-oauth-state=someone-elses"},
        ) as answer,
    ):
        assert answer.status == 400
    assert distributed.standin.posts("oauth.v2.access") == []
    assert distributed.stored_bots() == []

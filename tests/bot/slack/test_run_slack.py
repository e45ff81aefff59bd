"""The whole bot on Slack, built by bot/app.py: HTTP mode (signed requests) and Socket Mode."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest

from bot.app import Overrides, run_slack
from bot.config import ConfigError, load_settings
from summaries import Analyzer
from tests.bot.slack.signing import slash_fields
from tests.bot.slack.standin import APP_TOKEN, TOKEN, slack_standin
from tests.bot.slack.test_slash_command import SECRET, post, signed, slash, until
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.asyncio


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_the_bot_answers_digest_on_slack(tmp_path: Path, analyzer: Analyzer) -> None:
    async with slack_standin() as standin:
        port = free_port()
        settings = load_settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path}/bot.db",
            local_feed_dirs=str(EXAMPLES),
            slack_bot_token=TOKEN,
            slack_signing_secret=SECRET,
            slack_api_url=standin.url,
            http_host="127.0.0.1",
            http_port=port,
        )
        bot = asyncio.create_task(run_slack(settings, Overrides(summariser=analyzer)))
        try:
            url = f"http://127.0.0.1:{port}/slack/events"
            for _ in range(200):  # bounded wait for the server to listen
                if bot.done() or _listening(port):
                    break
                await asyncio.sleep(0.025)
            feed = EXAMPLES / "feeds" / "world.xml"
            body = slash(f"subscribe {feed}")
            assert (await post(url, body, signed(body)))[0] == 200
            await until(standin, "chat.postEphemeral")  # subscribed (the work follows the ack)
            body = slash("")
            assert (await post(url, body, signed(body)))[0] == 200
            await until(standin, "chat.postMessage")
            blocks = str(standin.posts()[0]["blocks"])
            assert "Iraq Wants to Kick Out US Troops" in blocks
        finally:
            bot.cancel()
            with pytest.raises(asyncio.CancelledError):
                await bot


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


async def test_the_bot_answers_digest_over_socket_mode(tmp_path: Path, analyzer: Analyzer) -> None:
    async with slack_standin() as standin:
        settings = load_settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path}/bot.db",
            local_feed_dirs=str(EXAMPLES),
            slack_bot_token=TOKEN,
            slack_app_token=APP_TOKEN,
            slack_api_url=standin.url,
        )
        bot = asyncio.create_task(run_slack(settings, Overrides(summariser=analyzer)))
        try:
            feed = EXAMPLES / "feeds" / "world.xml"
            await standin.acked(
                await standin.push("slash_commands", slash_fields(f"subscribe {feed}"))
            )
            await until(standin, "chat.postEphemeral")
            await standin.acked(await standin.push("slash_commands", slash_fields("")))
            await until(standin, "chat.postMessage")
            assert "Iraq Wants to Kick Out US Troops" in str(standin.posts()[0]["blocks"])
        finally:
            bot.cancel()
            with pytest.raises(asyncio.CancelledError):
                await bot


async def test_a_refused_app_token_stops_the_bot_with_one_line(
    tmp_path: Path, analyzer: Analyzer
) -> None:
    async with slack_standin() as standin:
        standin.refuse["apps.connections.open"] = "invalid_auth"
        settings = load_settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path}/bot.db",
            slack_bot_token=TOKEN,
            slack_app_token=APP_TOKEN,
            slack_api_url=standin.url,
        )
        with pytest.raises(ConfigError) as refused:
            await asyncio.wait_for(run_slack(settings, Overrides(summariser=analyzer)), 10)
    assert refused.value.problems == ("Slack refused SLACK_APP_TOKEN: invalid_auth",)

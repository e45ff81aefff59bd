"""The whole bot on Slack, built by bot/app/: HTTP mode (signed requests) and Socket Mode."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.app import Overrides, run_platforms
from bot.config import ConfigError, load_settings
from summaries import Analyzer
from tests.bot.slack.signing import SECRET, post, signed, slash, slash_fields
from tests.bot.slack.standin import APP_TOKEN, TOKEN, slack_standin
from tests.conftest import EXAMPLES
from tests.support.loopback import free_port, until_listening

pytestmark = pytest.mark.asyncio


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
        bot = asyncio.create_task(run_platforms(settings, Overrides(summariser=analyzer)))
        try:
            url = f"http://127.0.0.1:{port}/slack/events"
            await until_listening(bot, port)
            feed = EXAMPLES / "feeds" / "world.xml"
            body = slash(f"subscribe {feed}")
            assert (await post(url, body, signed(body)))[0] == 200
            await standin.called("chat.postEphemeral")  # subscribed (the work follows the ack)
            body = slash("")
            assert (await post(url, body, signed(body)))[0] == 200
            await standin.called("chat.postEphemeral", 2)  # /digest answers only its asker
            blocks = str(standin.posts("chat.postEphemeral")[-1]["blocks"])
            assert "Iraq Wants to Kick Out US Troops" in blocks
        finally:
            bot.cancel()
            with pytest.raises(asyncio.CancelledError):
                await bot


async def test_the_bot_answers_digest_over_socket_mode(tmp_path: Path, analyzer: Analyzer) -> None:
    async with slack_standin() as standin:
        settings = load_settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path}/bot.db",
            local_feed_dirs=str(EXAMPLES),
            slack_bot_token=TOKEN,
            slack_app_token=APP_TOKEN,
            slack_api_url=standin.url,
        )
        bot = asyncio.create_task(run_platforms(settings, Overrides(summariser=analyzer)))
        try:
            feed = EXAMPLES / "feeds" / "world.xml"
            await standin.acked(
                await standin.push("slash_commands", slash_fields(f"subscribe {feed}"))
            )
            await standin.called("chat.postEphemeral")
            await standin.acked(await standin.push("slash_commands", slash_fields("")))
            await standin.called("chat.postEphemeral", 2)  # /digest answers only its asker
            digest = standin.posts("chat.postEphemeral")[-1]
            assert "Iraq Wants to Kick Out US Troops" in str(digest["blocks"])
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
            await asyncio.wait_for(run_platforms(settings, Overrides(summariser=analyzer)), 10)
    assert refused.value.problems == ("Slack refused SLACK_APP_TOKEN: invalid_auth",)

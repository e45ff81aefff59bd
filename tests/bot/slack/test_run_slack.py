"""The whole bot on Slack in HTTP mode: built by bot/app.py, driven by signed `/digest` requests."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest

from bot.app import Overrides, run_slack_http
from bot.config import load_settings
from summaries import Analyzer
from tests.bot.slack.standin import TOKEN, slack_standin
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
        bot = asyncio.create_task(run_slack_http(settings, Overrides(summariser=analyzer)))
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

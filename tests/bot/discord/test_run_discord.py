"""The whole bot built by bot/app/ on Discord, and on Slack and Discord at once."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from bot.app import Overrides, run_platforms
from bot.config import ConfigError, load_settings
from summaries import Analyzer
from tests.bot.discord.conftest import option, slash_payload
from tests.bot.discord.standin import TOKEN, DiscordStandIn, discord_standin
from tests.bot.slack.signing import SECRET, post, signed, slash
from tests.bot.slack.standin import TOKEN as SLACK_TOKEN
from tests.bot.slack.standin import slack_standin
from tests.conftest import EXAMPLES
from tests.support.loopback import free_port, until_listening
from tests.support.waiting import wait_until

pytestmark = pytest.mark.asyncio

FEED = EXAMPLES / "feeds" / "world.xml"
HEADLINE = "Iraq Wants to Kick Out US Troops"


def discord_settings(tmp_path: Path, standin: DiscordStandIn, **more: Any) -> Any:
    given = {
        "database_url": f"sqlite+aiosqlite:///{tmp_path}/bot.db",
        "local_feed_dirs": str(EXAMPLES),
        "discord_token": TOKEN,
        "discord_api_url": standin.api_url,
        "on_demand": "channel",  # /digest posted in the channel: the tests look for the post
    }
    return load_settings(**{**given, **more})


async def until_connected(standin: DiscordStandIn, bot: asyncio.Task[None]) -> None:
    await wait_until(lambda: bot.done() or standin.sockets, "the gateway connection")
    if bot.done():
        bot.result()


async def ask(standin: DiscordStandIn, name: str, *options: dict[str, Any]) -> dict[str, Any]:
    before = len(standin.made("POST", "/webhooks/"))
    await standin.dispatch("INTERACTION_CREATE", slash_payload(name, list(options)))
    await wait_until(lambda: len(standin.made("POST", "/webhooks/")) > before, f"/{name}'s answer")
    return standin.made("POST", "/webhooks/")[before].body  # type: ignore[no-any-return]  # its first message


async def stopped(bot: asyncio.Task[None]) -> None:
    bot.cancel()
    with pytest.raises(asyncio.CancelledError):
        await bot


async def test_the_bot_answers_digest_on_discord(tmp_path: Path, analyzer: Analyzer) -> None:
    async with discord_standin() as standin:
        settings = discord_settings(tmp_path, standin)
        bot = asyncio.create_task(run_platforms(settings, Overrides(summariser=analyzer)))
        try:
            await until_connected(standin, bot)
            answer = await ask(standin, "subscribe", option("target", str(FEED)))
            assert "Subscribed (#" in answer["content"]
            digest = await ask(standin, "digest")
            assert digest["allowed_mentions"] == {"parse": []}
            # five stories a message (each with its actions row): the headline may come later
            await wait_until(
                lambda: HEADLINE in str([c.body for c in standin.made("POST", "/webhooks/")]),
                "the digest's every message",
            )
        finally:
            await stopped(bot)


async def test_slack_and_discord_at_once(tmp_path: Path, analyzer: Analyzer) -> None:
    async with discord_standin() as discord, slack_standin() as slack:
        port = free_port()
        settings = discord_settings(
            tmp_path,
            discord,
            slack_bot_token=SLACK_TOKEN,
            slack_signing_secret=SECRET,
            slack_api_url=slack.url,
            http_host="127.0.0.1",
            http_port=port,
        )
        bot = asyncio.create_task(run_platforms(settings, Overrides(summariser=analyzer)))
        try:
            await until_connected(discord, bot)
            await until_listening(bot, port)  # the Slack HTTP endpoint
            await ask(discord, "subscribe", option("target", str(FEED)))
            assert HEADLINE in str((await ask(discord, "digest"))["embeds"])
            url = f"http://127.0.0.1:{port}/slack/events"
            body = slash(f"subscribe {FEED}")
            assert (await post(url, body, signed(body)))[0] == 200
            await slack.called("chat.postEphemeral")  # the work follows the ack
            body = slash("")
            assert (await post(url, body, signed(body)))[0] == 200
            await slack.called("chat.postMessage")
            assert HEADLINE in str(slack.posts()[0]["blocks"])
        finally:
            await stopped(bot)


async def test_a_refused_discord_token_is_a_config_error(
    tmp_path: Path, analyzer: Analyzer
) -> None:
    async with discord_standin() as standin:
        settings = discord_settings(tmp_path, standin, discord_token="not-the-token")
        with pytest.raises(ConfigError) as refused:
            await run_platforms(settings, Overrides(summariser=analyzer))
    assert refused.value.problems == (
        "Discord refused DISCORD_TOKEN: copy it from the Bot page of the Developer Portal",
    )
    assert not (tmp_path / "bot.db").exists(), "nothing opened before the token was checked"

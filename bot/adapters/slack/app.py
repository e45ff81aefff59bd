"""The Slack app on slack-bolt's AsyncApp: `/digest` and its subcommands, translated, no logic.

`/digest` acknowledges at once (well inside Slack's 3 s), then runs the platform-neutral command.
A digest is posted to the channel as Block Kit; every other answer (errors with an example,
listings, confirmations) goes only to the person who asked, as an ephemeral message.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import CommandRequest, Commands
from bot.domain import Destination, Platform
from bot.render.blocks import escape, render_digest_blocks
from bot.render.text import render_text
from bot.replies import DigestReply

log = logging.getLogger(__name__)

#: `/digest <word> ...` subcommands and the platform-neutral command each stands for.
SUBCOMMANDS = {
    "subscribe": "/subscribe",
    "unsubscribe": "/unsubscribe",
    "list": "/subscriptions",
    "subscriptions": "/subscriptions",
    "schedule": "/schedule",
    "mode": "/mode",
    "help": "/help",
    "export-opml": "/export-opml",
    "import-opml": "/import-opml",
}
FAILED = "Sorry, that did not work; try again in a minute. Example: /digest help"


def command_line(text: str) -> str:
    """Slack's `/digest` text as the neutral command line ("list" -> "/subscriptions")."""
    word, _, rest = text.strip().partition(" ")
    target = SUBCOMMANDS.get(word.lower())
    if target is None:
        return f"/digest {text.strip()}".strip()
    return f"{target} {rest.strip()}".strip()


@dataclass(frozen=True)
class SlackAppOptions:
    """Settings of the Slack app."""

    signing_secret: str
    path: str = "/slack/events"


def build_slack_app(
    commands: Commands, client: AsyncWebClient, options: SlackAppOptions
) -> AsyncApp:
    """An AsyncApp whose `/digest` runs `commands`; `client` is the Web API client it posts with."""
    app = AsyncApp(client=client, signing_secret=options.signing_secret)

    @app.command("/digest")
    async def digest(ack: Callable[[], Awaitable[None]], command: dict[str, Any]) -> None:
        await ack()  # first, before anything can fail: Slack must see the ack within 3 s
        try:
            await _answer(commands, client, command)
        except Exception:
            log.exception("/digest failed in %s", command.get("channel_id"))
            await _ephemeral(client, command, FAILED)

    return app


async def _answer(commands: Commands, client: AsyncWebClient, command: dict[str, Any]) -> None:
    destination = Destination(Platform.SLACK, command["team_id"], command["channel_id"])
    line = command_line(command.get("text") or "")
    result = await commands.handle(CommandRequest(destination, line, None))
    if isinstance(result, DigestReply) and result.digest.entries:
        for message in render_digest_blocks(result.digest):
            await client.chat_postMessage(
                channel=destination.channel, unfurl_links=False, unfurl_media=False, **message
            )
        return
    await _ephemeral(client, command, escape(render_text(result)))


async def _ephemeral(client: AsyncWebClient, command: dict[str, Any], text: str) -> None:
    await client.chat_postEphemeral(
        channel=command["channel_id"], user=command["user_id"], text=text
    )


def slack_http_routes(app: AsyncApp, options: SlackAppOptions) -> web.Application:
    """An aiohttp application serving Slack's requests at `options.path` (HTTP mode)."""

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    server = web.Application()
    server.router.add_post(options.path, events)
    return server

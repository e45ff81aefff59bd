"""The Slack app on slack-bolt's AsyncApp: `/digest`, link replies and the Home tab, translated.

`/digest` acknowledges at once (well inside Slack's 3 s), then runs the platform-neutral command.
A digest is posted to the channel as Block Kit; every other answer (errors with an example,
listings, confirmations) goes only to the person who asked, as an ephemeral message. A person's
link in a channel the bot is in gets the page's digest in its thread.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.listeners import (
    SlackServices,
    register_digest_command,
    register_home_tab,
    register_link_replies,
)
from bot.adapters.slack.publisher import SlackPublisher
from bot.adapters.slack.translate import SUBCOMMANDS, command_line
from bot.commands import Commands
from bot.links import LinkReader

log = logging.getLogger(__name__)

__all__ = [
    "SUBCOMMANDS",
    "SlackAppOptions",
    "build_slack_app",
    "command_line",
    "slack_http_routes",
]


@dataclass(frozen=True)
class SlackAppOptions:
    """Settings of the Slack app.

    Attributes:
        signing_secret: Verifies HTTP-mode requests (unused in Socket Mode).
        path: Where HTTP mode receives commands and events.
        socket_mode: Requests arrive over Socket Mode (already authenticated by the socket).
    """

    signing_secret: str
    path: str = "/slack/events"
    socket_mode: bool = False


def build_slack_app(
    commands: Commands,
    client: AsyncWebClient,
    options: SlackAppOptions,
    publisher: SlackPublisher | None = None,
) -> AsyncApp:
    """An AsyncApp running `commands`; `client` is the Web API client every call goes through.

    Args:
        commands: The platform-neutral commands (their engine reads links and the overview).
        client: The Web API client (see `web_client`).
        options: Signing secret, path and mode.
        publisher: Posts digests in order per channel; share the scheduler's one.

    Raises:
        ValueError: HTTP mode without a signing secret (every request would be refused).
    """
    if not options.socket_mode and not options.signing_secret:
        raise ValueError("Slack HTTP mode needs a signing secret")
    app = AsyncApp(
        client=client,
        signing_secret=options.signing_secret or None,
        request_verification_enabled=not options.socket_mode,
    )
    services = SlackServices(
        commands, publisher or SlackPublisher(client), LinkReader(commands.engine)
    )
    register_digest_command(app, services)
    register_link_replies(app, services)
    register_home_tab(app, services)
    return app


def slack_http_routes(app: AsyncApp, options: SlackAppOptions) -> web.Application:
    """An aiohttp application serving Slack's requests at `options.path` (HTTP mode)."""

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    server = web.Application()
    server.router.add_post(options.path, events)
    return server

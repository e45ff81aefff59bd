"""Serving Slack: Socket Mode when an app-level token is set, else HTTP mode on an aiohttp server.

Usage (bot/app/ wires it):

    publisher = SlackPublisher(slack_client(options))
    async with open_bot(settings, publisher) as bot, open_slack(bot.commands, publisher, options):
        await bot.scheduler.run()

Both tokens are checked before anything is served (auth.test, apps.connections.open), so a wrong
token is one clear error at start, not a reconnect loop.

Many workspaces (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET): HTTP mode with Slack's OAuth install
flow, and no bot token of our own; `slack_publisher` opens the installation store on the bot's
database, and each workspace's calls use the bot token it installed.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aiohttp
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.slack.app import SlackAppOptions, build_slack_app, slack_http_routes
from bot.adapters.slack.oauth import SlackInstallations, SlackOAuthOptions, open_installations
from bot.adapters.slack.publisher import (
    DEFAULT_API_URL,
    SlackClientOptions,
    SlackPublisher,
    web_client,
)
from bot.commands.handlers import Commands

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SlackOptions:
    """How the bot meets Slack (SLACK_* and NEWSDIGEST_HTTP_* settings).

    Attributes:
        bot_token: The bot token (xoxb-...), for every Web API call (empty with `oauth`).
        app_token: The app-level token (xapp-...); set, it selects Socket Mode.
        signing_secret: Verifies HTTP-mode requests; required without an app token.
        api_url: The Web API base URL, for every call (apps.connections.open included).
        http_host: Where HTTP mode listens.
        http_port: The port HTTP mode listens on (0: any free port).
        path: The HTTP path of commands and events.
        oauth: Many workspaces: the app's client id and secret (HTTP mode, no bot token).
        on_demand_private: `/digest` answers only its asker (NEWSDIGEST_ON_DEMAND=private).
    """

    bot_token: str
    app_token: str | None = None
    signing_secret: str | None = None
    api_url: str = DEFAULT_API_URL
    http_host: str = "0.0.0.0"  # Slack must reach HTTP mode from outside
    http_port: int = 3000
    path: str = "/slack/events"
    oauth: SlackOAuthOptions | None = None
    on_demand_private: bool = True

    @property
    def socket_mode(self) -> bool:
        """Whether the bot connects out over Socket Mode (no public URL needed)."""
        return bool(self.app_token)


class SlackStartError(Exception):
    """Slack cannot be served: a missing setting or a token Slack refuses.

    Attributes:
        reason: What is wrong and what to set, in one line.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SlackRunning:
    """A served Slack app.

    Attributes:
        app: The Bolt app.
        url: Where HTTP mode receives requests (None in Socket Mode).
    """

    app: AsyncApp
    url: str | None = None


def slack_client(options: SlackOptions) -> AsyncWebClient:
    """The Web API client on `api_url`, waiting out 429s; share it with the SlackPublisher."""
    return web_client(SlackClientOptions(options.bot_token or None, options.api_url))


async def slack_publisher(
    options: SlackOptions, engine: AsyncEngine | None = None
) -> SlackPublisher:
    """The publisher on `slack_client`; with `oauth`, on the installation store too.

    Args:
        options: The Slack options.
        engine: An engine on the bot's database, where the OAuth installations are kept
            (needed with `oauth` only; the caller disposes of it).

    Raises:
        SlackStartError: Half the OAuth credentials, both them and a bot token, or no engine.
    """
    client = slack_client(options)
    if options.oauth is None:
        return SlackPublisher(client)
    problem = _credentials_problem(options, options.oauth)
    if problem is not None:
        raise SlackStartError(problem)
    if engine is None:
        raise SlackStartError("Slack's OAuth install store needs the bot's database")
    return SlackPublisher(client, await open_installations(engine, options.oauth))


@asynccontextmanager
async def open_slack(
    commands: Commands, publisher: SlackPublisher, options: SlackOptions
) -> AsyncIterator[SlackRunning]:
    """Serve Slack (Socket Mode or HTTP) until the block exits.

    Raises:
        SlackStartError: A setting is missing or Slack refuses a token.
    """
    problem = options_problem(options)
    if problem is not None:
        raise SlackStartError(problem)
    installations = _installations(publisher, options)
    if installations is None:
        await _check_bot_token(publisher.client)
    oauth = installations.settings(options.api_url) if installations is not None else None
    app_options = SlackAppOptions(
        options.signing_secret or "",
        options.path,
        options.socket_mode,
        oauth,
        on_demand_private=options.on_demand_private,
    )
    app = build_slack_app(commands, publisher.client, app_options, publisher)
    serve = _socket_mode if options.socket_mode else _http_mode
    async with serve(app, options) as running:
        yield running


def options_problem(options: SlackOptions) -> str | None:
    """What is missing or contradictory in the Slack settings, in one line (None: nothing)."""
    if options.oauth is not None:
        return _oauth_problem(options, options.oauth)
    if not options.socket_mode and not options.signing_secret:
        return "Slack needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)"
    return None


def _oauth_problem(options: SlackOptions, oauth: SlackOAuthOptions) -> str | None:
    problem = _credentials_problem(options, oauth)
    if problem is not None:
        return problem
    if options.app_token or not options.signing_secret:
        return (
            "Slack's install flow (SLACK_CLIENT_ID) runs in HTTP mode: it needs "
            "SLACK_SIGNING_SECRET and no SLACK_APP_TOKEN"
        )
    return None


def _credentials_problem(options: SlackOptions, oauth: SlackOAuthOptions) -> str | None:
    if not (oauth.client_id and oauth.client_secret):
        return "Slack's install flow needs both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET"
    if options.bot_token:
        return (
            "set SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET "
            "(many workspaces), not both"
        )
    return None


def _installations(publisher: SlackPublisher, options: SlackOptions) -> SlackInstallations | None:
    if options.oauth is None:
        return None
    if not isinstance(publisher.tokens, SlackInstallations):
        raise SlackStartError("Slack's install flow needs a publisher from slack_publisher()")
    return publisher.tokens


async def _check_bot_token(client: AsyncWebClient) -> None:
    try:
        identity = await client.auth_test()
    except SlackApiError as error:
        raise SlackStartError(f"Slack refused SLACK_BOT_TOKEN: {error.response['error']}") from None
    except (SlackClientError, aiohttp.ClientError, OSError) as error:
        raise SlackStartError(f"Slack cannot be reached: {error}") from None
    log.info("Slack: bot %s in workspace %s", identity.get("user_id"), identity.get("team_id"))


@asynccontextmanager
async def _socket_mode(app: AsyncApp, options: SlackOptions) -> AsyncIterator[SlackRunning]:
    token = options.app_token or ""
    handler = AsyncSocketModeHandler(app, token, web_client=app.client)
    try:
        handler.client.wss_uri = await _socket_url(app.client, token)
        await handler.connect_async()  # type: ignore[no-untyped-call]
        log.info("Slack Socket Mode connected")
        yield SlackRunning(app)
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]


async def _socket_url(client: AsyncWebClient, app_token: str) -> str:
    """A websocket URL from apps.connections.open, asked of the configured Web API base."""
    try:
        answer = await client.apps_connections_open(app_token=app_token)
    except SlackApiError as error:
        raise SlackStartError(f"Slack refused SLACK_APP_TOKEN: {error.response['error']}") from None
    except (SlackClientError, aiohttp.ClientError, OSError) as error:
        raise SlackStartError(f"Slack cannot be reached: {error}") from None
    return str(answer["url"])


@asynccontextmanager
async def _http_mode(app: AsyncApp, options: SlackOptions) -> AsyncIterator[SlackRunning]:
    app_options = SlackAppOptions(options.signing_secret or "", options.path)
    runner = web.AppRunner(slack_http_routes(app, app_options), access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, options.http_host, options.http_port).start()
        host, port = runner.addresses[0][:2]
        log.info("Slack HTTP mode on %s:%s%s", host, port, options.path)
        if options.oauth is not None:
            log.info("Slack: workspaces install the app at %s", options.oauth.install_path)
        yield SlackRunning(app, f"http://{host}:{port}{options.path}")
    finally:
        await runner.cleanup()

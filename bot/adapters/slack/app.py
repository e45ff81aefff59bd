"""The Slack app on slack-bolt's AsyncApp: `/digest`, link replies and the Home tab, translated.

`/digest` acknowledges at once (well inside Slack's 3 s), then runs the platform-neutral command.
A digest is posted to the channel as Block Kit; every other answer (errors with an example,
listings, confirmations) goes only to the person who asked, as an ephemeral message. A person's
link in a channel the bot is in gets the page's digest in its thread.

With OAuth settings the app serves many workspaces: Bolt authorizes each request from the
installation store, and HTTP mode also serves the install page and Slack's redirect.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.actions import register_story_actions
from bot.adapters.slack.home import register_home_actions
from bot.adapters.slack.lifecycle import register_lifecycle
from bot.adapters.slack.listeners import (
    SlackServices,
    register_digest_command,
    register_home_tab,
    register_link_replies,
)
from bot.adapters.slack.members import Auth, ChannelMemberships
from bot.adapters.slack.publisher import SlackPublisher
from bot.adapters.slack.translate import SUBCOMMANDS, command_line
from bot.commands.handlers import Commands
from bot.commands.links import LinkReader

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
        oauth: Many workspaces: the install flow and its stores (None: one workspace's token).
        on_demand_private: `/digest` answers only its asker, with a share button (False: in the
            channel, as NEWSDIGEST_ON_DEMAND=channel asks).
    """

    signing_secret: str
    path: str = "/slack/events"
    socket_mode: bool = False
    oauth: AsyncOAuthSettings | None = None
    on_demand_private: bool = True


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
        oauth_settings=options.oauth,
    )
    publisher = publisher or SlackPublisher(client)
    members = ChannelMemberships(client, _auth(publisher), commands.engine.clock)
    services = SlackServices(
        commands, publisher, LinkReader(commands.engine), members, options.on_demand_private
    )
    register_digest_command(app, services)
    register_link_replies(app, services)
    register_home_tab(app, services)
    register_story_actions(app, services)
    register_home_actions(app, services)
    # an uninstall forgets the workspace's channels (and with OAuth, deletes its token)
    store = options.oauth.installation_store if options.oauth is not None else None
    register_lifecycle(app, commands.engine, store)
    return app


def _auth(publisher: SlackPublisher) -> Auth:
    """`token=` for a call to a workspace: its installed bot token, or {} for the client's own."""

    async def auth(workspace: str) -> dict[str, Any]:
        token = await publisher.token(workspace)
        return {"token": token} if token is not None else {}

    return auth


def slack_http_routes(app: AsyncApp, options: SlackAppOptions) -> web.Application:
    """An aiohttp application serving Slack's requests at `options.path` (HTTP mode).

    With the OAuth flow it also serves the install page and the redirect Slack sends back to.
    """

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    server = web.Application()
    server.router.add_post(options.path, events)
    if app.oauth_flow is not None:
        _add_oauth_routes(server, app.oauth_flow)
    return server


def _add_oauth_routes(server: web.Application, flow: AsyncOAuthFlow) -> None:
    """The install page (its link carries a fresh state) and Slack's redirect back with a code."""

    async def install(request: web.Request) -> web.Response:
        bolt_request = await to_bolt_request(request)
        return await to_aiohttp_response(await flow.handle_installation(bolt_request))

    async def redirect(request: web.Request) -> web.Response:
        bolt_request = await to_bolt_request(request)
        return await to_aiohttp_response(await flow.handle_callback(bolt_request))

    server.router.add_get(flow.install_path, install)
    server.router.add_get(flow.redirect_uri_path, redirect)

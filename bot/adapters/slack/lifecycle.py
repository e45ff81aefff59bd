"""Slack's lifecycle events: an uninstall or a deleted channel makes the bot forget what it held.

`app_uninstalled` and `tokens_revoked` (of the bot's token) forget the whole workspace (team id);
`channel_deleted` and `channel_archive` (and `group_*` for private channels) forget one channel.
Bolt runs only the first listener that matches an event, so with OAuth the same listener also
deletes the workspace's installation (what `enable_token_revocation_listeners` would have done).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.listener.async_builtins import AsyncTokenRevocationListeners
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore

from bot.domain import Destination, Platform
from bot.engine import Engine

log = logging.getLogger(__name__)

CHANNEL_GONE = ("channel_deleted", "channel_archive", "group_deleted", "group_archive")


def register_lifecycle(
    app: AsyncApp, engine: Engine, installations: AsyncInstallationStore | None = None
) -> None:
    """Forget workspaces that uninstall the app and channels that are deleted or archived.

    Args:
        app: The Bolt app.
        engine: The engine whose destinations are forgotten.
        installations: The OAuth installation store, whose tokens an uninstall deletes too.
    """
    revocation = AsyncTokenRevocationListeners(installations) if installations else None

    @app.event("app_uninstalled")
    async def uninstalled(body: dict[str, Any], context: AsyncBoltContext) -> None:
        await engine.forget_tenant(Platform.SLACK, team_of(body))
        if revocation is not None:
            await revocation.handle_app_uninstalled_events(context)

    @app.event("tokens_revoked")
    async def revoked(
        event: dict[str, Any], body: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        if event.get("tokens", {}).get("bot"):  # user tokens alone leave the bot in place
            await engine.forget_tenant(Platform.SLACK, team_of(body))
        if revocation is not None:
            await revocation.handle_tokens_revoked_events(event, context)

    for name in CHANNEL_GONE:
        app.event(name)(_channel_gone(engine))


def _channel_gone(engine: Engine) -> Any:
    """A listener forgetting the channel an event names."""

    async def gone(event: dict[str, Any], body: dict[str, Any]) -> None:
        channel = event.get("channel")
        if isinstance(channel, str) and channel:
            await engine.forget_channel(Destination(Platform.SLACK, team_of(body), channel))

    return gone


def team_of(body: dict[str, Any]) -> str:
    """The workspace (team id) an event came from."""
    return str(body.get("team_id") or "")

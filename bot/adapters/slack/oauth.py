"""Many workspaces: Slack's OAuth install flow, with installations kept in the bot's own database.

With a client id and secret the app is distributed: each workspace installs it at
`/slack/install`, Slack sends the browser back to `/slack/oauth_redirect`, and slack_sdk's
SQLAlchemy stores keep the OAuth states and each workspace's bot token. Bolt authorizes every
request from the installation store; the publisher asks `SlackInstallations.bot_token` for the
token of the workspace it posts to.

The stores' tables (`slack_installations`, `slack_bots`, `slack_oauth_states`) are created from
slack_sdk's own table definitions at start, not by the bot's Alembic migrations: slack_sdk owns
their schema and reads and writes every column it defines, so a copy in our migrations would
drift from the installed slack_sdk, and they exist only when the OAuth flow is configured.
`create_all` only adds missing tables; it never alters or drops one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy import desc, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)

# What deploy/slack-manifest.yml asks for, and so what an install asks each workspace for.
BOT_SCOPES = (
    "commands",
    "chat:write",
    "channels:history",
    "groups:history",
    "users:read",
    "files:read",  # import-opml: the asker's shared .opml file
    "files:write",  # export-opml: the file uploaded ...
    "im:write",  # ... to the asker's DM with the bot
)
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"


@dataclass(frozen=True)
class SlackOAuthOptions:
    """The distributed app's credentials (Basic Information → App Credentials) and its pages.

    Attributes:
        client_id: The app's client id.
        client_secret: The app's client secret (oauth.v2.access is called with both).
        scopes: Bot scopes every installation grants.
        install_path: Where a workspace admin starts the install (a page with the link).
        redirect_path: Where Slack sends the browser back with the code.
        state_seconds: How long an install link stays valid.
    """

    client_id: str
    client_secret: str
    scopes: tuple[str, ...] = BOT_SCOPES
    install_path: str = INSTALL_PATH
    redirect_path: str = REDIRECT_PATH
    state_seconds: int = 600


@dataclass(frozen=True)
class SlackInstallations:
    """The installation and OAuth state stores on the bot's database, and their options."""

    installations: AsyncSQLAlchemyInstallationStore
    states: AsyncSQLAlchemyOAuthStateStore
    options: SlackOAuthOptions

    async def bot_token(self, workspace: str) -> str | None:
        """The newest bot token installed in a workspace (team id); None if not installed."""
        bots = self.installations.bots
        query = (
            select(bots.c.bot_token)
            .where(
                bots.c.client_id == self.options.client_id,
                bots.c.team_id == workspace,
                bots.c.bot_token.is_not(None),
            )
            .order_by(desc(bots.c.installed_at))
            .limit(1)
        )
        async with self.installations.engine.connect() as connection:
            token = (await connection.execute(query)).scalar_one_or_none()
        return str(token) if token is not None else None

    def settings(self, api_url: str) -> AsyncOAuthSettings:
        """Bolt's OAuth settings; the authorize page lives beside the Web API (`api_url`)."""
        return AsyncOAuthSettings(
            client_id=self.options.client_id,
            client_secret=self.options.client_secret,
            scopes=list(self.options.scopes),
            install_path=self.options.install_path,
            redirect_uri_path=self.options.redirect_path,
            authorization_url=authorize_url(api_url),
            installation_store=self.installations,
            state_store=self.states,
            state_expiration_seconds=self.options.state_seconds,
        )


def authorize_url(api_url: str) -> str:
    """The authorize page beside a Web API base (slack.com/api/: slack.com/oauth/v2/authorize)."""
    base = api_url.rstrip("/").removesuffix("/api")
    return f"{base}/oauth/v2/authorize"


async def open_installations(engine: AsyncEngine, options: SlackOAuthOptions) -> SlackInstallations:
    """The stores on `engine` (the bot's database), their tables created if missing.

    Args:
        engine: An engine on the bot's database (the caller disposes of it).
        options: Client id, secret, scopes and paths.
    """
    installations = AsyncSQLAlchemyInstallationStore(options.client_id, engine, logger=log)
    states = AsyncSQLAlchemyOAuthStateStore(options.state_seconds, engine, logger=log)
    for store in (installations, states):
        await _create_tables(store)
    return SlackInstallations(installations, states, options)


async def _create_tables(
    store: AsyncSQLAlchemyInstallationStore | AsyncSQLAlchemyOAuthStateStore,
) -> None:
    """Create the store's tables; once more if another process created them at the same time."""
    try:
        await store.create_tables()  # type: ignore[no-untyped-call]
    except SQLAlchemyError:
        log.info("Slack OAuth tables were being created elsewhere; checking again")
        await store.create_tables()  # type: ignore[no-untyped-call]

"""The platform adapters' options, translated from the settings (secrets unwrapped here only)."""

from __future__ import annotations

from pydantic import SecretStr

from bot.adapters.discord import DiscordOptions
from bot.adapters.slack.oauth import SlackOAuthOptions
from bot.adapters.slack.runner import SlackOptions, options_problem
from bot.config import Settings

__all__ = ["discord_options", "slack_options", "slack_problem"]


def discord_options(settings: Settings) -> DiscordOptions:
    """The Discord adapter's options from the settings (DISCORD_TOKEN must be set)."""
    return DiscordOptions(
        token=_secret(settings.discord_token),
        api_url=settings.discord_api_url,
        dev_guild=settings.discord_dev_guild,
        shards=settings.discord_shards,
        watch_links=settings.discord_watch_links,
        on_demand_private=settings.on_demand == "private",
    )


def slack_options(settings: Settings) -> SlackOptions:
    """The Slack adapter's options from the settings (a bot token, or the OAuth client)."""
    return SlackOptions(
        bot_token=_secret(settings.slack_bot_token),
        app_token=_secret(settings.slack_app_token) or None,
        signing_secret=_secret(settings.slack_signing_secret) or None,
        api_url=settings.slack_api_url,
        http_host=settings.http_host,
        http_port=settings.http_port,
        oauth=_slack_oauth(settings),
        on_demand_private=settings.on_demand == "private",
    )


def slack_problem(settings: Settings) -> str | None:
    """What keeps Slack from starting on these settings, in one line (None: nothing)."""
    return options_problem(slack_options(settings))


def _slack_oauth(settings: Settings) -> SlackOAuthOptions | None:
    """Many workspaces: the OAuth client (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET), if set."""
    if not settings.slack_oauth:
        return None
    return SlackOAuthOptions(settings.slack_client_id or "", _secret(settings.slack_client_secret))


def _secret(value: SecretStr | None) -> str:
    return value.get_secret_value() if value is not None else ""

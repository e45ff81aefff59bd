"""Settings from the environment (prefix NEWSDIGEST_) and .env; every error reported at once."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.delivery.timing import ScheduleError, parse_time, parse_timezone
from bot.engine import EngineOptions, longest_window
from bot.feeds.guard import AllowList
from bot.texts import MAX_STORIES

T = TypeVar("T")

_URL_PASSWORD = re.compile(r"(://[^\s:/@]*:)[^\s@]*@")

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/newsdigest.db"


class ConfigError(Exception):
    """Settings that cannot be used.

    Attributes:
        problems: One line per bad setting, naming its environment variable.
    """

    def __init__(self, problems: tuple[str, ...]) -> None:
        super().__init__("invalid settings:\n" + "\n".join(f"  {line}" for line in problems))
        self.problems = problems


class Settings(BaseSettings):
    """Every setting of the bot; each is read from NEWSDIGEST_<NAME> (or .env)."""

    model_config = SettingsConfigDict(
        env_prefix="NEWSDIGEST_",
        env_file=".env",
        env_ignore_empty=True,  # an empty line of .env.example means "the default"
        extra="ignore",
        frozen=True,
    )

    database_url: str = Field(DEFAULT_DATABASE_URL, repr=False)  # may hold a password
    model: str | None = None
    poll_minutes: int = Field(15, ge=5, le=1440)
    tick_seconds: int = Field(30, ge=1, le=3600)
    feed_alerts: bool = True
    retention_days: int = Field(30, le=36500)
    digest_time: str = "09:00"
    timezone: str = "UTC"
    max_stories: int = Field(10, ge=1, le=MAX_STORIES)
    cluster_threshold: float = Field(0.22, gt=0.0, le=2.0)  # = ClusterOptions().threshold
    max_feeds_per_tenant: int = Field(200, ge=0)  # 0: no limit (as each quota below)
    max_subscriptions_per_channel: int = Field(50, ge=0)
    commands_per_minute: int = Field(20, ge=0)
    digests_per_minute: int = Field(6, ge=0)
    local_feed_dirs: str = "examples"
    allow_hosts: str = ""
    demo_feed: str = "examples/feeds/world.xml"
    catalog: str = ""  # an OPML file (.opml) or feed URLs separated by commas or lines
    slack_bot_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("NEWSDIGEST_SLACK_BOT_TOKEN", "SLACK_BOT_TOKEN")
    )
    slack_app_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("NEWSDIGEST_SLACK_APP_TOKEN", "SLACK_APP_TOKEN")
    )
    slack_signing_secret: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("NEWSDIGEST_SLACK_SIGNING_SECRET", "SLACK_SIGNING_SECRET"),
    )
    slack_client_id: str | None = Field(
        None, validation_alias=AliasChoices("NEWSDIGEST_SLACK_CLIENT_ID", "SLACK_CLIENT_ID")
    )
    slack_client_secret: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("NEWSDIGEST_SLACK_CLIENT_SECRET", "SLACK_CLIENT_SECRET"),
    )
    slack_api_url: str = Field(
        "https://slack.com/api/",
        validation_alias=AliasChoices("NEWSDIGEST_SLACK_API_URL", "SLACK_API_URL"),
    )
    http_host: str = "0.0.0.0"  # Slack must reach the HTTP mode from outside
    http_port: int = Field(3000, ge=1, le=65535)
    discord_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("NEWSDIGEST_DISCORD_TOKEN", "DISCORD_TOKEN")
    )
    discord_api_url: str = Field(
        "https://discord.com/api/v10",
        validation_alias=AliasChoices("NEWSDIGEST_DISCORD_API_URL", "DISCORD_API_URL"),
    )
    discord_dev_guild: int | None = Field(
        None,
        ge=1,
        validation_alias=AliasChoices("NEWSDIGEST_DISCORD_DEV_GUILD", "DISCORD_DEV_GUILD"),
    )
    discord_shards: int | None = Field(
        None,
        ge=1,
        le=1024,
        validation_alias=AliasChoices("NEWSDIGEST_DISCORD_SHARDS", "DISCORD_SHARDS"),
    )
    discord_watch_links: bool = Field(
        False,
        validation_alias=AliasChoices("NEWSDIGEST_DISCORD_WATCH_LINKS", "DISCORD_WATCH_LINKS"),
    )
    # per platform: whether a channel that never said `links on|off` answers posted links
    slack_link_replies: bool = True
    discord_link_replies: bool = False
    # an asked-for /digest: only to its asker with a share button, or in the channel for all
    on_demand: Literal["private", "channel"] = "private"
    # scale-out and operations
    run_all: bool = False
    worker_concurrency: int = Field(4, ge=1, le=100)
    worker_heartbeat_seconds: float = Field(10.0, gt=0.0, le=300.0)
    worker_stalled_seconds: float = Field(30.0, gt=0.0, le=3600.0)
    task_attempts: int = Field(5, ge=1, le=50)
    log_format: Literal["text", "json"] = "text"
    metrics_host: str = "127.0.0.1"
    metrics_port: int | None = Field(None, ge=0, le=65535)

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "must start with sqlite+aiosqlite:// or postgresql+asyncpg://, "
                f"like {DEFAULT_DATABASE_URL}"
            )
        return value

    @field_validator("retention_days")
    @classmethod
    def _keeps_every_window(cls, value: int) -> int:
        # refused rather than raised with a warning: a log line is easy to miss, and an operator
        # sizing a disk for 7 days must not silently get 30; the floor is stated in the error
        floor = retention_floor_days()
        if value < floor:
            raise ValueError(
                f"must be at least {floor}, the longest window a digest reads "
                f"(`/digest since {floor}d`), like NEWSDIGEST_RETENTION_DAYS={floor}"
            )
        return value

    @field_validator("allow_hosts")
    @classmethod
    def _allow_list(cls, value: str) -> str:
        AllowList.parse(value)  # raises ValueError with a one-line reason
        return value

    @field_validator("digest_time")
    @classmethod
    def _hh_mm(cls, value: str) -> str:
        return _schedule_value(parse_time, value).strftime("%H:%M")

    @field_validator("timezone")
    @classmethod
    def _iana(cls, value: str) -> str:
        return _schedule_value(parse_timezone, value)

    @property
    def feed_dirs(self) -> tuple[Path, ...]:
        """Folders local feed files may be read from (comma-separated setting)."""
        return tuple(Path(part.strip()) for part in self.local_feed_dirs.split(",") if part.strip())

    @property
    def scaled(self) -> bool:
        """Whether `run` serves the chat front-ends only, leaving the work to `worker` processes.

        So on Postgres unless NEWSDIGEST_RUN_ALL (`run --all`) asks for everything in one
        process; on SQLite always everything in one process.
        """
        return self.database_url.startswith("postgresql") and not self.run_all

    @property
    def platform_tokens(self) -> bool:
        """Whether a Slack or Discord token (or Slack's OAuth client) is configured."""
        slack = (self.slack_bot_token, self.slack_app_token, self.slack_client_id)
        return any((*slack, self.slack_client_secret, self.discord_token))

    @property
    def slack_oauth(self) -> bool:
        """Whether Slack runs as a distributed app (OAuth installs) rather than on one bot token."""
        return self.slack_client_id is not None or self.slack_client_secret is not None


def retention_floor_days() -> int:
    """The shortest retention in whole days: the longest window a digest reads, rounded up."""
    window = longest_window(EngineOptions())
    return -(-window // timedelta(days=1))


def _schedule_value(parse: Callable[[str], T], value: str) -> T:
    try:
        return parse(value)
    except ScheduleError as error:
        raise ValueError(error.reason) from error


def load_settings(**overrides: Any) -> Settings:
    """Read the settings; `overrides` win over the environment.

    Raises:
        ConfigError: Listing every bad setting at once.
    """
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise ConfigError(tuple(_problem(item) for item in error.errors())) from error


def _problem(item: Any) -> str:
    name = "_".join(str(part) for part in item["loc"]).upper()
    message = str(item["msg"]).removeprefix("Value error, ")
    return f"NEWSDIGEST_{name}: {message} (got {hide_password(repr(item.get('input')))})"


def hide_password(text: str) -> str:
    """`text` with the password of any URL in it (`scheme://user:password@host`) as `***`."""
    return _URL_PASSWORD.sub(r"\1***@", text)

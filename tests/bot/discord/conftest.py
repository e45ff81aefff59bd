"""Fixtures of the Discord tests: the real discord.py client connected to the stand-in."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest_asyncio

from bot.adapters.discord import DiscordOptions, DiscordPublisher, open_discord, open_discord_client
from bot.adapters.discord.runner import DiscordRunning
from bot.clock import FakeClock
from bot.domain import Destination, Platform
from bot.fakes import MemoryFeedSource
from bot.store.memory import MemoryStore
from summaries import Analyzer
from tests.bot.discord.standin import (
    APP_ID,
    CHANNEL_ID,
    EVERYONE_PERMISSIONS,
    GUILD_ID,
    MANAGE_CHANNELS,
    PERSON_ID,
    TIMESTAMP,
    TOKEN,
    DiscordStandIn,
    discord_standin,
    user,
)
from tests.support.stack import Stack, build

NOW = datetime(2024, 1, 5, 9, 0, tzinfo=UTC)
CHANNEL = Destination(Platform.DISCORD, str(GUILD_ID), str(CHANNEL_ID))
_interactions = itertools.count(500_000_000_000_000_001)


def options_for(standin: DiscordStandIn, **changes: Any) -> DiscordOptions:
    """Options that point the client at the stand-in (with short waits)."""
    base: dict[str, Any] = {
        "token": TOKEN,
        "api_url": standin.api_url,
        "ready_timeout": 5.0,
        "guild_ready_timeout": 0.05,
    }
    return DiscordOptions(**{**base, **changes})


def slash_payload(
    name: str,
    options: list[dict[str, Any]] | None = None,
    *,
    permissions: int = EVERYONE_PERMISSIONS | MANAGE_CHANNELS,
    kind: int = 2,
    guild: int = GUILD_ID,
    channel: int = CHANNEL_ID,
) -> dict[str, Any]:
    """An INTERACTION_CREATE payload for a slash command typed in a channel (the test one)."""
    number = next(_interactions)
    return {
        "id": str(number),
        "application_id": str(APP_ID),
        "type": kind,
        "token": f"interaction-token-{number}",
        "version": 1,
        "guild_id": str(guild),
        "channel_id": str(channel),
        "channel": {
            "id": str(channel),
            "type": 0,
            "name": "news",
            "guild_id": str(guild),
            "position": 0,
            "permission_overwrites": [],
        },
        "member": {
            "user": user(PERSON_ID, "reader"),
            "roles": [],
            "joined_at": TIMESTAMP,
            "flags": 0,
            "permissions": str(permissions),
        },
        "data": {"id": "1", "name": name, "type": 1, "options": options or []},
        "app_permissions": str(EVERYONE_PERMISSIONS),
        "locale": "en-US",
        "guild_locale": "en-US",
        "attachment_size_limit": 8 * 1024 * 1024,
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(guild)},
        "context": 0,
    }


def option(name: str, value: Any, *, kind: int = 3, focused: bool = False) -> dict[str, Any]:
    """One slash-command option (3: string, 4: integer)."""
    item: dict[str, Any] = {"name": name, "type": kind, "value": value}
    if focused:
        item["focused"] = True
    return item


def message_payload(content: str, *, author_bot: bool = False, **extra: Any) -> dict[str, Any]:
    """A MESSAGE_CREATE payload: someone posts `content` in the test channel."""
    author = user(PERSON_ID + (7 if author_bot else 0), "reader", bot=author_bot)
    return {
        "id": str(next(_interactions)),
        "channel_id": str(CHANNEL_ID),
        "guild_id": str(GUILD_ID),
        "author": author,
        "member": {"roles": [], "joined_at": TIMESTAMP, "flags": 0},
        "content": content,
        "timestamp": TIMESTAMP,
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": False,
        "type": 0,
        **extra,
    }


@dataclass
class LiveDiscord:
    """The bot connected through the gateway stand-in, over an in-memory engine stack."""

    standin: DiscordStandIn
    source: MemoryFeedSource
    stack: Stack
    running: DiscordRunning
    seen: list[str] = field(default_factory=list)


@pytest_asyncio.fixture
async def live_discord(analyzer: Analyzer) -> AsyncIterator[LiveDiscord]:
    source = MemoryFeedSource()
    async with discord_standin() as standin:
        options = options_for(standin, watch_links=True)
        async with open_discord_client(options) as client:
            publisher = DiscordPublisher(client)
            stack = build(MemoryStore(), source, analyzer, FakeClock(NOW), publisher)
            async with open_discord(client, stack.commands, publisher, options) as running:
                yield LiveDiscord(standin, source, stack, running)

"""DiscordPublisher: the Publisher port over Discord's REST API, through discord.py.

Digests go out as embeds (bot/render/embeds.py) with `allowed_mentions` none. Each message of a
keyed post carries a nonce derived from the key with `enforce_nonce`, so Discord itself drops a
repeat of the same message within its nonce window (minutes). That makes posting again safe: a
failed attempt (a 5xx after discord.py's own retries, a dropped connection) is tried again with
the same nonces after a short backoff, and after a crash `lookup` answers False so that the
Deliverer posts a pending post again, whose messages Discord drops if they did arrive. Discord
cannot be asked afterwards which nonces it saw: a restart long after a crash mid-post (beyond the
nonce window) could show a digest twice; one lost is the worse failure for a digest bot.
Posts to one channel go out one at a time, in order; 429s are waited out by discord.py's own
rate-limit buckets (from Discord's headers, never a blind sleep).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import discord

from bot.domain import Destination, Digest
from bot.ports import PublishError
from bot.render.embeds import render_digest_embeds

log = logging.getLogger(__name__)

NONCE_CHARS = 25  # Discord's longest nonce
NO_MENTIONS = discord.AllowedMentions.none()

#: Discord's JSON error codes that refuse a post for good for that channel until someone acts
#: (gives the bot its access back, unarchives the thread): Unknown Channel, Unknown Guild, Missing
#: Access, Missing Permissions, Cannot execute action on this channel type, Thread is archived.
#: Such a refusal counts towards pausing the channel; 429s and 5xx never do.
GONE_CODES = frozenset({10003, 10004, 50001, 50013, 50024, 50083})

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class RetryPolicy:
    """How often a message that failed on Discord's side is tried again (same nonce).

    Attributes:
        attempts: Tries in all, the first one included.
        backoff: Seconds before the second try; doubled before each later one.
    """

    attempts: int = 4
    backoff: float = 2.0

    def delays(self) -> list[float]:
        """The waits before the second, third, ... tries."""
        return [self.backoff * 2**n for n in range(self.attempts - 1)]


def nonce(key: str, part: int) -> str:
    """The nonce of a keyed post's `part`-th message: a stable 25-character digest of both."""
    return hashlib.sha256(f"{key}#{part}".encode()).hexdigest()[:NONCE_CHARS]


def message_arguments(payload: dict[str, Any]) -> dict[str, Any]:
    """A rendered payload as keyword arguments of discord.py's `send` (no mentions allowed)."""
    arguments: dict[str, Any] = {
        "embeds": [discord.Embed.from_dict(embed) for embed in payload["embeds"]],
        "allowed_mentions": NO_MENTIONS,
    }
    if payload["content"]:
        arguments["content"] = payload["content"]
    if payload.get("components"):
        arguments["view"] = Components(payload["components"])
    return arguments


class Components(discord.ui.View):
    """Rendered action rows sent as they are (bot/render/embeds.py).

    The view holds no discord.py items, so discord.py does not keep it to dispatch clicks: every
    click, on any message however old, reaches the one handler (bot/adapters/discord/actions.py),
    which trusts nothing the click carries.
    """

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        """Send these rows."""
        super().__init__(timeout=None)
        self.rows = rows

    def to_components(self) -> list[dict[str, Any]]:
        """The rows, as rendered."""
        return self.rows


class DiscordPublisher:
    """Posts digests to Discord channels and threads, in order per channel."""

    def __init__(
        self,
        client: discord.Client,
        retry: RetryPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        """Post through `client`, logged in (see `open_discord_client`).

        Args:
            client: The discord.py client.
            retry: How failed messages are tried again.
            sleep: Waits between tries (a test passes a fake).
        """
        self.client = client
        self.retry = retry or RetryPolicy()
        self.sleep = sleep
        self._channels: dict[str, asyncio.Lock] = {}

    async def publish(self, destination: Destination, digest: Digest, key: str) -> None:
        """Post every message of the digest, each with a nonce derived from `key`.

        Raises:
            PublishError: Discord refused a message (the reason in one line).
        """
        await self.post(destination, digest, key=key)

    async def post(
        self,
        destination: Destination,
        digest: Digest,
        *,
        key: str | None = None,
        reply_to: int | None = None,
    ) -> list[discord.Message]:
        """Post every message of the digest, after any post to the channel already under way.

        Args:
            destination: The channel or thread (its id in `destination.channel`).
            digest: What to post (one or more messages).
            key: Idempotency key, sent as the messages' nonces.
            reply_to: The id of a message the first one answers.

        Raises:
            PublishError: Discord refused a message (the reason in one line).
        """
        channel = self._channel(destination)
        sent: list[discord.Message] = []
        async with self._channels.setdefault(destination.channel, asyncio.Lock()):
            for part, payload in enumerate(render_digest_embeds(digest)):
                arguments = message_arguments(payload)
                if key is not None:
                    arguments["nonce"] = nonce(key, part)
                if reply_to is not None and part == 0:
                    arguments["reference"] = _reference(destination, reply_to)
                sent.append(await self._send(destination, channel, arguments))
        return sent

    async def lookup(self, destination: Destination, key: str) -> bool | None:
        """False: post again; Discord drops the messages whose nonces it has already seen."""
        log.debug("post %s to %s is posted again under the same nonces", key, destination)
        return False

    def _channel(self, destination: Destination) -> discord.PartialMessageable:
        if not destination.channel.isdigit():
            reason = f"{destination.channel!r} is not a Discord channel id"
            raise PublishError(destination, reason, gone=True)
        guild = int(destination.workspace) if destination.workspace.isdigit() else None
        return self.client.get_partial_messageable(int(destination.channel), guild_id=guild)

    async def _send(
        self,
        destination: Destination,
        channel: discord.PartialMessageable,
        arguments: dict[str, Any],
    ) -> discord.Message:
        for delay in [*self.retry.delays(), None]:
            try:
                return await channel.send(**arguments)
            except (discord.DiscordServerError, aiohttp.ClientError, OSError) as error:
                if delay is None:
                    raise PublishError(destination, _failure(error)) from None
                log.info("post to %s failed (%s); again in %.0f s", destination, error, delay)
                await self.sleep(delay)
            except discord.HTTPException as error:
                gone = error.code in GONE_CODES
                raise PublishError(destination, _failure(error), gone=gone) from None
        raise AssertionError("unreachable: the last try returns or raises")


def _failure(error: Exception) -> str:
    if isinstance(error, discord.HTTPException):
        return f"Discord refused the post: {error.status} {error.text or error.code}"
    return f"Discord could not be reached ({error})"


def _reference(destination: Destination, message_id: int) -> discord.MessageReference:
    guild = int(destination.workspace) if destination.workspace.isdigit() else None
    return discord.MessageReference(
        message_id=message_id,
        channel_id=int(destination.channel),
        guild_id=guild,
        fail_if_not_exists=False,
    )

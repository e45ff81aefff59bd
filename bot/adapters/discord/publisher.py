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

A digest in the thread layout is a parent message (nonce part 0) with a thread started on it and
one message per story in the thread (nonce part n); in a forum channel (its type asked once with
`GET /channels/{id}`) it is a forum post whose first message is the parent. Posted again after a
crash, the parent's nonce returns the message already there, Discord answers that its thread
exists (the thread's id is the message's), and the stories the bot already posted in the thread
are counted and skipped, so nothing is shown twice even beyond the nonce window. A forum post
takes no nonce: after `lookup` (a restart) the forum's active posts are searched for the post's
name, made by the bot, before a new one is made.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Final, TypeVar

import aiohttp
import discord
from discord.http import handle_message_parameters

from bot.domain import Destination, Digest, DigestLayout
from bot.ports import PublishError
from bot.render.embeds import ThreadedDigest, render_digest_embeds, render_thread_embeds

log = logging.getLogger(__name__)

NONCE_CHARS = 25  # Discord's longest nonce
NO_MENTIONS = discord.AllowedMentions.none()

#: Discord's JSON error codes that refuse a post for good for that channel until someone acts
#: (gives the bot its access back, unarchives the thread): Unknown Channel, Unknown Guild, Missing
#: Access, Missing Permissions, Cannot execute action on this channel type, Thread is archived.
#: Such a refusal counts towards pausing the channel; 429s and 5xx never do.
GONE_CODES = frozenset({10003, 10004, 50001, 50013, 50024, 50083})

Sleep = Callable[[float], Awaitable[None]]
T = TypeVar("T")

FORUM = 15  # a forum channel's type: a digest there is a forum post
#: A thread cannot have threads, nor can a DM or group DM: a digest there is inline.
INLINE_TYPES = frozenset({10, 11, 12, 1, 3})
THREAD_EXISTS = 160004  # "A thread has already been created for this message"
ARCHIVE_MINUTES: Final = 1440  # a digest's thread hides after a day without messages


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
        self._types: dict[str, int] = {}  # channel id: its Discord channel type
        self._again: set[str] = set()  # keys `lookup` was asked about: posted again after a crash

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
        async with self._channels.setdefault(destination.channel, asyncio.Lock()):
            threaded = digest.layout is DigestLayout.THREAD and digest.entries
            if threaded and reply_to is None:
                kind = await self._kind(destination)
                if kind not in INLINE_TYPES:
                    laid = render_thread_embeds(digest)
                    return await self._post_thread(destination, channel, laid, key, kind)
            return await self._post_inline(destination, channel, digest, key, reply_to)

    async def _post_inline(
        self,
        destination: Destination,
        channel: discord.PartialMessageable,
        digest: Digest,
        key: str | None,
        reply_to: int | None,
    ) -> list[discord.Message]:
        sent: list[discord.Message] = []
        for part, payload in enumerate(render_digest_embeds(digest)):
            arguments = _arguments(payload, key, part)
            if reply_to is not None and part == 0:
                arguments["reference"] = _reference(destination, reply_to)
            sent.append(await self._send(destination, channel, arguments))
        return sent

    async def _post_thread(
        self,
        destination: Destination,
        channel: discord.PartialMessageable,
        laid: ThreadedDigest,
        key: str | None,
        kind: int,
    ) -> list[discord.Message]:
        """The parent (a forum post's first message), then the stories not yet in its thread."""
        sent: list[discord.Message] = []
        thread_id = await self._existing_thread(destination, laid.name, key)
        existed = thread_id is not None
        if thread_id is None and kind == FORUM:
            thread_id = await self._forum_post(destination, laid)
        if thread_id is None:
            parent = await self._send(destination, channel, _arguments(laid.parent, key, 0))
            sent.append(parent)
            thread_id, existed = await self._start_thread(destination, parent.id, laid.name)
        done = await self._posted_in(destination, thread_id) if existed else 0
        thread = self.client.get_partial_messageable(thread_id, guild_id=_guild(destination))
        for part, payload in enumerate(laid.stories[done:], start=done + 1):
            sent.append(await self._send(destination, thread, _arguments(payload, key, part)))
        return sent

    async def _kind(self, destination: Destination) -> int:
        """The destination channel's type, asked of Discord once per channel."""
        if destination.channel not in self._types:
            http = self.client.http
            data = await self._call(destination, lambda: http.get_channel(destination.channel))
            self._types[destination.channel] = int(data["type"])
        return self._types[destination.channel]

    async def _start_thread(
        self, destination: Destination, message_id: int, name: str
    ) -> tuple[int, bool]:
        """A thread on the parent message: its id, and whether it was there already."""
        http = self.client.http
        try:
            data = await self._call(
                destination,
                lambda: http.start_thread_with_message(
                    destination.channel,
                    message_id,
                    name=name,
                    auto_archive_duration=ARCHIVE_MINUTES,
                ),
                tolerate=THREAD_EXISTS,
            )
        except _ToleratedError:  # posted again: the thread on the parent has the parent's id
            return message_id, True
        return int(data["id"]), False

    async def _forum_post(self, destination: Destination, laid: ThreadedDigest) -> int:
        """A forum post with the parent as its first message: its id."""
        channel_payload = {"name": laid.name, "auto_archive_duration": ARCHIVE_MINUTES}
        arguments = message_arguments(laid.parent)
        with handle_message_parameters(**arguments, channel_payload=channel_payload) as params:
            http = self.client.http
            data = await self._call(
                destination, lambda: http.start_thread_in_forum(destination.channel, params=params)
            )
        return int(data["id"])

    async def _existing_thread(
        self, destination: Destination, name: str, key: str | None
    ) -> int | None:
        """After a restart (`lookup` asked about the key): the post's thread if it was made.

        Beyond Discord's nonce window the parent's nonce no longer finds the parent, and a forum
        post takes no nonce: the newest active thread of the bot's with the post's name, in
        the destination channel, is the post's.
        """
        if key is None or key not in self._again:
            return None
        self._again.discard(key)
        return await self._find_thread(destination, name)

    async def _find_thread(self, destination: Destination, name: str) -> int | None:
        """The newest active thread (forum post) of the bot's with this name in the channel."""
        guild, me = _guild(destination), self.client.user
        if guild is None or me is None:
            return None
        http = self.client.http
        data = await self._call(destination, lambda: http.get_active_threads(guild))
        ours = [
            int(thread["id"])
            for thread in data.get("threads", [])
            if str(thread.get("parent_id")) == destination.channel
            and thread.get("name") == name
            and str(thread.get("owner_id")) == str(me.id)
        ]
        return max(ours, default=None)

    async def _posted_in(self, destination: Destination, thread_id: int) -> int:
        """How many stories the bot already posted in a thread (messages of its own, in order).

        A forum post's first message (the parent) has the thread's id and is not counted.
        """
        me = self.client.user
        http = self.client.http
        messages = await self._call(destination, lambda: http.logs_from(thread_id, 100))
        return sum(
            1
            for message in messages
            if message.get("type") == 0
            and int(message["id"]) != thread_id
            and me is not None
            and str(message.get("author", {}).get("id")) == str(me.id)
        )

    async def lookup(self, destination: Destination, key: str) -> bool | None:
        """False: post again; Discord drops the messages whose nonces it has already seen."""
        log.debug("post %s to %s is posted again under the same nonces", key, destination)
        self._again.add(key)
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
        return await self._call(destination, lambda: channel.send(**arguments))

    async def _call(
        self, destination: Destination, call: Callable[[], Awaitable[T]], tolerate: int = -1
    ) -> T:
        """`call()`, tried again after Discord's own failures.

        Raises:
            PublishError: Discord refused it, or failed every try.
            _ToleratedError: Discord refused it with the error code `tolerate`.
        """
        for delay in [*self.retry.delays(), None]:
            try:
                return await call()
            except (discord.DiscordServerError, aiohttp.ClientError, OSError) as error:
                if delay is None:
                    raise PublishError(destination, _failure(error)) from None
                log.info("post to %s failed (%s); again in %.0f s", destination, error, delay)
                await self.sleep(delay)
            except discord.HTTPException as error:
                if error.code == tolerate:
                    raise _ToleratedError(error.code) from None
                gone = error.code in GONE_CODES
                raise PublishError(destination, _failure(error), gone=gone) from None
        raise AssertionError("unreachable: the last try returns or raises")


class _ToleratedError(Exception):
    """Discord refused a call with the code the caller expects (and knows what it means)."""

    def __init__(self, code: int) -> None:
        super().__init__(f"Discord error code {code}")
        self.code = code


def _arguments(payload: dict[str, Any], key: str | None, part: int) -> dict[str, Any]:
    arguments = message_arguments(payload)
    if key is not None:
        arguments["nonce"] = nonce(key, part)
    return arguments


def _guild(destination: Destination) -> int | None:
    return int(destination.workspace) if destination.workspace.isdigit() else None


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

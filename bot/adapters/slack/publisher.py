"""SlackPublisher: the Publisher port over Slack's Web API (chat.postMessage).

Each post carries its idempotency key in Slack message metadata, so that after a crash between
"posted" and "recorded" `lookup` can ask conversations.history whether the post got through.
A digest in the thread layout is a parent message and one reply per story (`thread_ts`); each
carries the key and its part number (the parent also how many parts there are), so `lookup` asks
conversations.replies which parts the thread already holds and a post again after a crash
mid-thread posts only the missing ones under the parent that is there.
Posts to one channel go out one at a time, in order; 429 answers are retried after Retry-After and
500/503 answers after a short backoff by slack_sdk's own handlers, so nothing is dropped.

One workspace: every call uses the client's own token. Many workspaces (the OAuth install flow):
the publisher is given `BotTokens` and passes each call the bot token of the destination's
workspace, so one publisher and one client serve every installed workspace.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Protocol

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain import Destination, Digest, DigestLayout
from bot.ports import PublishError
from bot.render.blocks import render_digest_blocks, render_thread_blocks

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"
METADATA_EVENT = "newsdigest_post"
#: Slack's error codes that refuse a post for good for that channel until someone acts (invites
#: the bot back, unarchives, reinstalls the app); a post refused with one counts towards pausing
#: the channel. Rate limits and 5xx are waited out by the client and never land here as these.
GONE = frozenset(
    {
        "not_in_channel",
        "channel_not_found",
        "is_archived",
        "account_inactive",
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "team_access_not_granted",
        "restricted_action",
    }
)
NOT_INSTALLED = (
    "the Slack app is not installed in workspace {workspace} (install it at /slack/install)"
)


@dataclass(frozen=True)
class SlackClientOptions:
    """How the Web API client connects."""

    bot_token: str | None
    api_url: str = DEFAULT_API_URL
    rate_limit_retries: int = 10
    timeout: int = 30
    server_error_retries: int = 3
    server_error_wait: float = 1.0  # before retrying a 500/503 or a dropped connection; doubles


def web_client(options: SlackClientOptions) -> AsyncWebClient:
    """An AsyncWebClient on `api_url` that waits out 429s, 500s and dropped connections.

    Slack answers 500/503 when it hiccups; a digest must not be lost to one (a post that failed
    for good releases its stories, and a live story would then never be posted live).
    """
    backoff = BackoffRetryIntervalCalculator(backoff_factor=options.server_error_wait)
    return AsyncWebClient(
        token=options.bot_token,
        base_url=options.api_url,
        timeout=options.timeout,
        retry_handlers=[
            AsyncRateLimitErrorRetryHandler(max_retry_count=options.rate_limit_retries),
            AsyncServerErrorRetryHandler(options.server_error_retries, backoff),
            AsyncConnectionErrorRetryHandler(max_retry_count=2, interval_calculator=backoff),
        ],
    )


@dataclass(frozen=True)
class Resume:
    """Where a threaded post stands that a crash cut short.

    Attributes:
        parent_ts: The parent message's ts (the thread).
        parts: The story parts already in its thread (1 is the first story).
    """

    parent_ts: str
    parts: frozenset[object]


class BotTokens(Protocol):
    """Where each workspace's bot token is kept (the OAuth installation store)."""

    async def bot_token(self, workspace: str) -> str | None:
        """The workspace's bot token; None if the app is not installed there."""


class SlackPublisher:
    """Posts digests to Slack channels (and threads), in order per channel."""

    def __init__(self, client: AsyncWebClient, tokens: BotTokens | None = None) -> None:
        """Post through `client` (see `web_client`).

        Args:
            client: The Web API client.
            tokens: Each workspace's bot token (many workspaces); None: the client's own token.
        """
        self.client = client
        self.tokens = tokens
        self._channels: dict[Destination, asyncio.Lock] = {}
        # threaded posts `lookup` found cut short, for the next `publish` of their key
        self._resume: dict[tuple[Destination, str], Resume] = {}

    async def token(self, workspace: str) -> str | None:
        """The token for calls to a workspace; None: the client's own (or not installed)."""
        return await self.tokens.bot_token(workspace) if self.tokens is not None else None

    async def _auth(self, destination: Destination) -> dict[str, Any]:
        """`token=` for calls to the destination's workspace ({}: the client's own).

        Raises:
            PublishError: The app is not installed in that workspace.
        """
        if self.tokens is None:
            return {}
        token = await self.tokens.bot_token(destination.workspace)
        if token is None:
            reason = NOT_INSTALLED.format(workspace=destination.workspace)
            raise PublishError(destination, reason, gone=True)
        return {"token": token}

    async def publish(self, destination: Destination, digest: Digest, key: str) -> None:
        """Post every message of the digest, tagged with the idempotency key.

        Raises:
            PublishError: Slack refused a message (the reason in one line).
        """
        await self.post(destination, digest, key=key)

    async def post(
        self,
        destination: Destination,
        digest: Digest,
        *,
        key: str | None = None,
        thread_ts: str | None = None,
    ) -> None:
        """Post every message of the digest, after any post to the channel already under way.

        Args:
            destination: The channel.
            digest: What to post (one or more messages).
            key: Idempotency key stored in the messages' metadata, for `lookup`.
            thread_ts: Reply in this message's thread instead of the channel.

        Raises:
            PublishError: Slack refused a message (the reason in one line).
        """
        extras = _extras(key, thread_ts)
        async with self._channels.setdefault(destination, asyncio.Lock()):
            auth = await self._auth(destination)
            if _threaded(digest) and thread_ts is None:
                await self._post_thread(destination, digest, key, auth)
                return
            for message in render_digest_blocks(digest):
                await self._post(destination, {**message, **extras, **auth})

    async def _post_thread(
        self, destination: Destination, digest: Digest, key: str | None, auth: dict[str, Any]
    ) -> None:
        """The parent, then each story in its thread; after a crash, only what is missing."""
        parent, *stories = render_thread_blocks(digest)
        done = self._resume.pop((destination, key), None) if key is not None else None
        parts = len(stories) + 1
        parent_ts = done.parent_ts if done is not None else None
        if parent_ts is None:
            extras = _part_extras(key, 0, parts)
            parent_ts = await self._post(destination, {**parent, **extras, **auth})
        for part, story in enumerate(stories, start=1):
            if done is not None and part in done.parts:
                continue
            extras = _part_extras(key, part) | {"thread_ts": parent_ts}
            await self._post(destination, {**story, **extras, **auth})

    async def _post(self, destination: Destination, message: dict[str, Any]) -> str:
        """Post one message; its `ts`."""
        try:
            answer = await self.client.chat_postMessage(
                channel=destination.channel, unfurl_links=False, unfurl_media=False, **message
            )
        except SlackApiError as error:
            code = _refusal(error)
            reason = f"Slack refused the post: {code}"
            raise PublishError(destination, reason, gone=code in GONE) from None
        except (SlackClientError, aiohttp.ClientError, TimeoutError, OSError) as error:
            # slack_sdk lets the connection's own errors through once its retries are spent
            reason = str(error) or type(error).__name__
            raise PublishError(destination, f"Slack could not be reached ({reason})") from None
        return str(answer.get("ts") or "")

    async def lookup(self, destination: Destination, key: str) -> bool | None:
        """Whether a post with this key got through whole (None: unknown).

        A threaded post got through when its parent is among the channel's recent messages and
        every story is in its thread; with the parent there and stories missing the answer is
        False, and the next `publish` of the key posts only the missing stories.
        """
        try:
            return await self._lookup(destination, key)
        except PublishError as error:
            log.warning("cannot look up post %s in %s: %s", key, destination.channel, error.reason)
        except (SlackApiError, SlackClientError, aiohttp.ClientError, TimeoutError, OSError) as e:
            log.warning("cannot look up post %s in %s: %s", key, destination.channel, e)
        return None

    async def _lookup(self, destination: Destination, key: str) -> bool:
        auth = await self._auth(destination)
        answer = await self.client.conversations_history(
            channel=destination.channel, include_all_metadata=True, limit=100, **auth
        )
        found = [m for m in answer.get("messages") or [] if _key_of(m) == key]
        if not found:
            return False
        parts = _payload_of(found[0]).get("parts")
        if not isinstance(parts, int):  # an inline post: its messages carry the key alone
            return True
        parent_ts = str(found[0].get("ts"))
        replies = await self.client.conversations_replies(
            channel=destination.channel, ts=parent_ts, include_all_metadata=True, limit=200, **auth
        )
        posted = {
            _payload_of(m).get("part") for m in replies.get("messages") or [] if _key_of(m) == key
        }
        if posted >= set(range(1, parts)):
            return True
        self._resume[(destination, key)] = Resume(parent_ts, frozenset(posted - {None}))
        log.info("post %s to %s stopped mid-thread: posting the rest", key, destination)
        return False


def _refusal(error: SlackApiError) -> str:
    """Slack's error code; the HTTP status when the answer was not JSON (a proxy's 502 page)."""
    data = error.response.data
    if isinstance(data, dict):
        return str(data.get("error", "unknown error"))
    return f"HTTP {error.response.status_code}"


def _extras(key: str | None, thread_ts: str | None) -> dict[str, Any]:
    extras: dict[str, Any] = {}
    if key is not None:
        extras["metadata"] = {"event_type": METADATA_EVENT, "event_payload": {"key": key}}
    if thread_ts is not None:
        extras["thread_ts"] = thread_ts
    return extras


def _part_extras(key: str | None, part: int, parts: int | None = None) -> dict[str, Any]:
    """A threaded post's metadata: the key, the message's part (0: the parent), how many."""
    if key is None:
        return {}
    payload: dict[str, Any] = {"key": key, "part": part}
    if parts is not None:
        payload["parts"] = parts
    return {"metadata": {"event_type": METADATA_EVENT, "event_payload": payload}}


def _threaded(digest: Digest) -> bool:
    return digest.layout is DigestLayout.THREAD and bool(digest.entries)


def _payload_of(message: dict[str, object]) -> dict[str, object]:
    metadata = message.get("metadata")
    if not isinstance(metadata, dict) or metadata.get("event_type") != METADATA_EVENT:
        return {}
    payload = metadata.get("event_payload")
    return payload if isinstance(payload, dict) else {}


def _key_of(message: dict[str, object]) -> object:
    return _payload_of(message).get("key")

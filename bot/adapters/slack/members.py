"""Which channels a person is a member of, asked of Slack and remembered for a minute.

The Home tab lists a channel's subscriptions only to members of that channel: a private channel's
feeds and topics are as private as its messages. Slack answers `users.conversations` for the
viewer, a page of up to 200 channels at a time; one answer is kept per (workspace, person) for
`ttl` on the injected clock, and at most `size` answers are kept (the oldest dropped first), so
reopening the tab does not cost a page walk each time. A failure is never remembered: the next
opening asks again.

Only public and private channels are asked for (the `channels:read` and `groups:read` scopes).
Direct and group messages would need `im:read` and `mpim:read`, scopes the bot has no other use
for, and the bot cannot post digests there anyway, so they are never listed.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from slack_sdk.errors import SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import Clock

log = logging.getLogger(__name__)

CHANNEL_TYPES = "public_channel,private_channel"
PAGE = 200  # Slack's recommended page size for users.conversations

Auth = Callable[[str], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class MembershipOptions:
    """How long and how many answers are kept, and how far a page walk goes.

    Attributes:
        ttl: How long one person's answer is trusted.
        size: Answers kept at most (one per workspace and person).
        pages: Pages read at most for one person; past it the channels read so far are used
            (a subset of the person's channels: nothing is shown that should not be).
    """

    ttl: timedelta = timedelta(seconds=60)
    size: int = 1000
    pages: int = 50


class ChannelMemberships:
    """The channels each person is a member of, from `users.conversations`, briefly cached."""

    def __init__(
        self,
        client: AsyncWebClient,
        auth: Auth,
        clock: Clock,
        options: MembershipOptions | None = None,
    ) -> None:
        """Ask through `client`, with `auth(workspace)` giving each call's token arguments."""
        self.client = client
        self.auth = auth
        self.clock = clock
        self.options = options or MembershipOptions()
        self._kept: OrderedDict[tuple[str, str], tuple[datetime, frozenset[str]]] = OrderedDict()

    async def channels(self, workspace: str, user: str) -> frozenset[str] | None:
        """The ids of the channels `user` is a member of; None when Slack could not tell."""
        key = (workspace, user)
        kept = self._kept.get(key)
        if kept is not None and self.clock.now() - kept[0] < self.options.ttl:
            return kept[1]
        try:
            found = await self._ask(workspace, user)
        except (SlackClientError, aiohttp.ClientError, TimeoutError, OSError) as error:
            log.warning("cannot tell which channels %s is in (%s): listing none", user, error)
            return None
        self._keep(key, found)
        return found

    async def _ask(self, workspace: str, user: str) -> frozenset[str]:
        found: set[str] = set()
        cursor: str | None = None
        auth = await self.auth(workspace)
        for _ in range(self.options.pages):
            answer = await self.client.users_conversations(
                user=user, types=CHANNEL_TYPES, limit=PAGE, cursor=cursor, **auth
            )
            found.update(str(channel["id"]) for channel in answer.get("channels") or [])
            cursor = (answer.get("response_metadata") or {}).get("next_cursor") or None
            if cursor is None:
                return frozenset(found)
        log.warning(
            "%s is in more channels than %d pages hold; listing %d",
            user,
            self.options.pages,
            len(found),
        )
        return frozenset(found)

    def _keep(self, key: tuple[str, str], channels: frozenset[str]) -> None:
        self._kept.pop(key, None)
        self._kept[key] = (self.clock.now(), channels)
        while len(self._kept) > self.options.size:
            self._kept.popitem(last=False)

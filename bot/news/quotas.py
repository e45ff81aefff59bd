"""Quotas: how much one channel and one tenant (a workspace or server) may follow.

The engine asks `QuotaKeeper` before it adds a subscription; the counts come from the store, one
query scoped to the channel or the tenant, never from loading every subscription. The check and
the insert are two store calls, so the engine holds `QuotaKeeper.held(tenant)` around both: two
commands racing at the very limit in one process cannot both get in. Commands are handled by the
one process that holds the platform connection (workers only poll and post), so a lock in that
process is enough; it is not a lock across processes.
"""

from __future__ import annotations

import asyncio
import weakref
from dataclasses import dataclass
from enum import StrEnum

from bot.domain import DestinationRecord, Tenant
from bot.store.port import Store


@dataclass(frozen=True)
class Quotas:
    """The limits of one channel, one tenant and one user (0 means no limit).

    Attributes:
        feeds_per_tenant: Distinct feeds the channels of one workspace (or server) may follow.
        subscriptions_per_channel: Feeds and topics one channel may follow.
        commands_per_minute: Commands one user may run in any minute.
        digests_per_minute: On-demand digests one channel may ask for in any minute.
    """

    feeds_per_tenant: int = 200
    subscriptions_per_channel: int = 50
    commands_per_minute: int = 20
    digests_per_minute: int = 6


class QuotaScope(StrEnum):
    """What a quota counts."""

    CHANNEL = "channel"
    """Feeds and topics of one channel."""
    TENANT = "tenant"
    """Distinct feeds of one workspace or server."""


class QuotaExceededError(Exception):
    """A subscription would go over a quota.

    Attributes:
        scope: Which quota.
        limit: Its limit.
    """

    def __init__(self, scope: QuotaScope, limit: int) -> None:
        super().__init__(f"the {scope} quota of {limit} is reached")
        self.scope = scope
        self.limit = limit


class QuotaKeeper:
    """Checks a channel's and its tenant's room before a subscription is added."""

    def __init__(self, store: Store, quotas: Quotas) -> None:
        """Count through `store`, against `quotas`."""
        self.store = store
        self.quotas = quotas
        # Weak values: a tenant's lock lives only while some command holds or awaits it.
        self._locks: weakref.WeakValueDictionary[Tenant, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

    def held(self, record: DestinationRecord) -> asyncio.Lock:
        """The lock to hold from the quota check to the insert, one per tenant.

        Usage: `async with keeper.held(record): check, then add`.
        """
        tenant = record.destination.tenant
        lock = self._locks.get(tenant)
        if lock is None:
            lock = self._locks[tenant] = asyncio.Lock()
        return lock

    async def check_channel(self, record: DestinationRecord) -> None:
        """Refuse when the channel already follows its most feeds and topics.

        Raises:
            QuotaExceededError: The channel is full.
        """
        limit = self.quotas.subscriptions_per_channel
        if limit and await self.store.count_subscriptions(record.id) >= limit:
            raise QuotaExceededError(QuotaScope.CHANNEL, limit)

    async def check_tenant(self, record: DestinationRecord, feed_id: int) -> None:
        """Refuse when following this feed would take the tenant over its distinct feeds.

        A feed another channel of the tenant already follows costs the tenant nothing.

        Raises:
            QuotaExceededError: The tenant is full.
        """
        limit = self.quotas.feeds_per_tenant
        where = record.destination
        if (
            limit
            and await self.store.count_feeds(where.platform, where.workspace, [feed_id]) > limit
        ):
            raise QuotaExceededError(QuotaScope.TENANT, limit)

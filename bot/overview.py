"""A workspace at a glance: every channel of one workspace with its subscriptions and settings.

Platform-neutral; a Slack Home tab (or any other front-end) renders it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import DestinationRecord, Platform
from bot.replies import SubscriptionView
from bot.store.port import Store


@dataclass(frozen=True)
class ChannelOverview:
    """One channel the bot knows, with what it follows (feeds with their health).

    Attributes:
        record: The channel's destination record (its settings included).
        subscriptions: Its subscriptions, oldest first.
    """

    record: DestinationRecord
    subscriptions: tuple[SubscriptionView, ...]


async def workspace_overview(
    store: Store, platform: Platform, workspace: str
) -> tuple[ChannelOverview, ...]:
    """Every channel of the workspace that follows something, in the order they were first seen."""
    channels = [
        record
        for record in await store.destinations()
        if record.destination.platform == platform and record.destination.workspace == workspace
    ]
    overviews = [await _channel(store, record) for record in channels]
    return tuple(overview for overview in overviews if overview.subscriptions)


async def _channel(store: Store, record: DestinationRecord) -> ChannelOverview:
    views = [
        SubscriptionView(sub, await store.feed(sub.feed_id) if sub.feed_id else None)
        for sub in await store.subscriptions(record.id)
    ]
    return ChannelOverview(record, tuple(views))

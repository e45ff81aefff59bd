"""What one scheduler tick reads once for every destination, handed to each destination's delivery.

A tick for 1,000 live channels would otherwise make a handful of store round trips per channel
(subscriptions, feeds, last post, last slot, stories, deliveries, notices), a second or more in
all; read together, the tick makes a handful in all (`Scheduler.deliver_all`). A worker delivering
one destination (`Scheduler.deliver`, scaled mode) reads its own instead, with no snapshot.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.domain import Post, Story, SubscriptionView


@dataclass(frozen=True)
class TickReads:
    """A snapshot taken at the start of a tick's deliveries, by destination id.

    Attributes:
        views: Each destination's subscriptions with their feeds' health.
        slots: Each destination's latest recorded daily slot (none: never).
        notices: Each destination's feed alerts and recovery lines of the alerts' lookback.
        live: Each live destination's undelivered stories (none: nothing new).
    """

    views: Mapping[int, tuple[SubscriptionView, ...]]
    slots: Mapping[int, datetime]
    notices: Mapping[int, tuple[Post, ...]]
    live: Mapping[int, tuple[Story, ...]]

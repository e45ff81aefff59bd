"""The engine's options and the results of its subscribing calls."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from bot.domain import DestinationSettings, Platform, Subscription
from bot.news.digests import ComposeOptions
from bot.news.ingest import IngestOptions, PollResult
from bot.news.quotas import QuotaExceededError, Quotas

MAX_ASKED_WINDOW = timedelta(days=30)
"""The longest window `/digest since ...` accepts (bot/commands/arguments.py reads it here)."""


@dataclass(frozen=True)
class EngineOptions:
    """Defaults and windows of the engine.

    Attributes:
        defaults: Settings a new destination starts with.
        on_demand_window: What `digest` covers when no "since" is given.
        lookback: The furthest back a scheduled or catch-up digest reaches.
        compose: How much of each story a digest shows.
        ingest: Feed polling limits.
        quotas: What a channel, a tenant and a user may follow and ask for.
        seen_margin: How far before a destination's last post an unasked read starts
            (`SelectionOptions.seen_margin`).
        link_replies: Per platform, whether a channel that never chose (`links on|off`) answers
            links posted in it; the composition root fills it from the configuration.
    """

    defaults: DestinationSettings = field(default_factory=DestinationSettings)
    on_demand_window: timedelta = timedelta(hours=24)
    lookback: timedelta = timedelta(days=7)
    compose: ComposeOptions = field(default_factory=ComposeOptions)
    ingest: IngestOptions = field(default_factory=IngestOptions)
    quotas: Quotas = field(default_factory=Quotas)
    seen_margin: timedelta = timedelta(hours=1)
    link_replies: Mapping[Platform, bool] = field(
        default_factory=lambda: {Platform.SLACK: True, Platform.DISCORD: False}
    )


def longest_window(options: EngineOptions) -> timedelta:
    """The furthest back any digest reads, unasked or asked: articles stay at least this long."""
    return max(options.lookback, options.on_demand_window, MAX_ASKED_WINDOW)


@dataclass(frozen=True)
class FeedSubscribed:
    """A new feed subscription and what its first fetch found.

    Attributes:
        subscription: The stored subscription.
        poll: The first fetch (None when the feed was fetched recently by someone else).
    """

    subscription: Subscription
    poll: PollResult | None


@dataclass(frozen=True)
class FeedsImported:
    """What an import of feeds did.

    Attributes:
        added: The new subscriptions.
        already: Feeds the channel followed before.
        left_out: Feeds not followed because a quota was reached.
        refusal: The quota that left them out (None when none did).
    """

    added: tuple[Subscription, ...]
    already: tuple[str, ...]
    left_out: tuple[str, ...] = ()
    refusal: QuotaExceededError | None = None

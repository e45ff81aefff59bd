"""Feed failure alerts: a channel hears when a feed it follows has failed a day, and recovered.

A feed counts as failing from its last successful poll (or from the subscription, when it never
worked since), so "failed for 24 hours" needs no record of its own. Each destination's notices
go through the Deliverer under keys that make them exactly-once across restarts:
`alert:{destination}:{feed}:{UTC day}` (and no alert within 24 hours of the last one: at most
once a day per feed) and `recovered:{that alert's key}` (one line when the feed works again).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.delivery.deliverer import Deliverer
from bot.delivery.reads import TickReads
from bot.domain import (
    DestinationRecord,
    Digest,
    DigestKind,
    FeedNotice,
    Heading,
    Post,
    PostState,
    SubscriptionView,
)
from bot.engine import Engine

log = logging.getLogger(__name__)

NOTICE_KINDS = {DigestKind.ALERT, DigestKind.RECOVERED}
LOOKBACK = timedelta(days=8)
"""How far back earlier notices are read: a recovery after more than a week of silence is lost."""


@dataclass(frozen=True)
class AlertOptions:
    """When a channel hears about its failing feeds.

    Attributes:
        enabled: False: no alerts and no recovery lines (NEWSDIGEST_FEED_ALERTS).
        after: How long a feed fails before the first alert.
        every: The least time between two alerts about one feed.
        min_errors: Failed polls needed too, so a long outage of the bot itself followed by
            one bad poll does not alert at once.
    """

    enabled: bool = True
    after: timedelta = timedelta(hours=24)
    every: timedelta = timedelta(hours=24)
    min_errors: int = 2


@dataclass(frozen=True)
class DueNotice:
    """A notice to post: its idempotency key, its kind and its facts."""

    key: str
    kind: DigestKind
    notice: FeedNotice


def failing_since(view: SubscriptionView) -> datetime | None:
    """When the subscribed feed's current failure began, for this channel; None if it works."""
    feed = view.feed
    if feed is None or feed.errors == 0:
        return None
    start = view.subscription.created_at
    if feed.last_success_at is not None:
        start = max(start, feed.last_success_at)
    return start


def due_notice(
    record_id: int,
    view: SubscriptionView,
    notices: list[Post],
    now: datetime,
    options: AlertOptions,
) -> DueNotice | None:
    """The notice this subscription's feed is due now, given the destination's earlier notices."""
    feed = view.feed
    if feed is None:
        return None
    prefix = f"alert:{record_id}:{feed.id}:"
    alerts = [p for p in notices if p.key.startswith(prefix) and p.state is not PostState.FAILED]
    latest = max(alerts, key=lambda post: post.created_at, default=None)
    keys = {post.key for post in notices}
    since = failing_since(view)
    if since is None:
        return _recovery(view, latest, keys)
    if now - since < options.after or feed.errors < options.min_errors:
        return None  # not failing long enough yet
    if latest is not None and now - latest.created_at < options.every:
        return None  # alerted within the day
    key = f"{prefix}{now:%Y-%m-%d}"
    if key in keys:
        return None
    notice = FeedNotice(feed.url, view.subscription.id, now - since, feed.last_error)
    return DueNotice(key, DigestKind.ALERT, notice)


def _recovery(view: SubscriptionView, latest: Post | None, keys: set[str]) -> DueNotice | None:
    """The recovery line of a working feed, once after its latest alert (none if never alerted)."""
    if latest is None or view.feed is None or f"recovered:{latest.key}" in keys:
        return None
    notice = FeedNotice(view.feed.url, view.subscription.id)
    return DueNotice(f"recovered:{latest.key}", DigestKind.RECOVERED, notice)


def notice_digest(due: DueNotice, now: datetime, record: DestinationRecord) -> Digest:
    """The notice as a digest with no entries (renderers post its title alone)."""
    heading = Heading(timezone=record.settings.timezone, notice=due.notice)
    return Digest(kind=due.kind, heading=heading, since=now, until=now, entries=())


class FeedAlerts:
    """Posts each destination's due feed alerts and recovery lines."""

    def __init__(
        self, engine: Engine, deliverer: Deliverer, clock: Clock, options: AlertOptions
    ) -> None:
        """Wire the engine, the deliverer and the clock."""
        self.engine = engine
        self.deliverer = deliverer
        self.clock = clock
        self.options = options

    async def deliver(
        self, record: DestinationRecord, reads: TickReads | None = None
    ) -> list[Post]:
        """Post the destination's due notices (none when switched off).

        Args:
            record: The destination.
            reads: The tick's snapshot of every destination's subscriptions and notices; None:
                read this destination's own.
        """
        if not self.options.enabled:
            return []
        if reads is None:
            views = await self.engine.subscriptions(record)
        else:
            views = reads.views.get(record.id, ())
        views = tuple(view for view in views if view.feed)
        if not views:
            return []
        now = self.clock.now()
        if reads is None:
            notices = await self.engine.posts_since(record, now - LOOKBACK, NOTICE_KINDS)
        else:
            notices = list(reads.notices.get(record.id, ()))
        posts: list[Post] = []
        for view in views:
            due = due_notice(record.id, view, notices, now, self.options)
            if due is not None:
                posts += await self._post(record, due, now)
        return posts

    async def notices(self) -> dict[int, tuple[Post, ...]]:
        """Every destination's notices within the lookback, by id, in one read (a tick's).

        One read for all rather than one per destination with a failing feed: a feed that just
        recovered looks like any working feed, and only its destinations' notices tell.
        """
        if not self.options.enabled:
            return {}
        return await self.engine.everyones_posts_since(self.clock.now() - LOOKBACK, NOTICE_KINDS)

    async def rebuild(self, post: Post, record: DestinationRecord) -> Digest | None:
        """The notice a pending post stood for; None when it no longer holds (not re-posted)."""
        feed_id = int(post.key.split(":")[-2])
        views = [v for v in await self.engine.subscriptions(record) if v.feed]
        view = next((v for v in views if v.feed and v.feed.id == feed_id), None)
        if view is None or view.feed is None:
            return None
        since = failing_since(view)
        if post.kind is DigestKind.RECOVERED:
            notice = FeedNotice(view.feed.url, view.subscription.id)
        elif since is None:
            return None  # it works again: the recovery line will say so
        else:
            failing = post.created_at - since
            notice = FeedNotice(view.feed.url, view.subscription.id, failing, view.feed.last_error)
        return notice_digest(DueNotice(post.key, post.kind, notice), post.created_at, record)

    async def _post(self, record: DestinationRecord, due: DueNotice, now: datetime) -> list[Post]:
        log.info("feed notice %s to %s", due.key, record.destination)
        post = await self.deliverer.deliver(record, notice_digest(due, now, record), due.key, ())
        return [] if post is None else [post]

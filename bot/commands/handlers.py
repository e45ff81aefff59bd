"""Platform-neutral commands: text in, a domain result (`replies.py`) out, for adapters to render.

Every argument error becomes a `CommandError`: one line saying what is wrong and an example of
correct use. Nothing here knows about Slack, Discord or the console.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.commands import arguments
from bot.commands.arguments import ArgumentError, FeedTarget
from bot.commands.limits import RateLimits, quota_refusal
from bot.commands.replies import (
    SPECS,
    CommandError,
    CommandRequest,
    CommandResult,
    CommandSpec,
    DigestReply,
    FeedChoices,
    HelpReply,
    OpmlExported,
    OpmlImported,
    SettingsChanged,
    Subscribed,
    SubscriptionList,
    SubscriptionView,
    Unsubscribed,
)
from bot.commands.spec import invoke
from bot.delivery.timing import next_fire
from bot.domain import DestinationRecord
from bot.engine import DuplicateSubscriptionError, Engine, QuotaExceededError
from bot.feeds.discovery import COMMON_PATHS
from bot.feeds.urls import scheme_refusal, url_scheme
from bot.ports import FeedError, FeedLink, OpmlCodec, OpmlError, OpmlOutline

log = logging.getLogger(__name__)

MAX_OPML_FEEDS = 500
WEB_SCHEMES = ("http", "https")  # pages whose feeds may be discovered
NEEDS_MANAGE = (
    "only people who may manage this channel can change its subscriptions, schedule or mode; "
    "anyone can read digests"
)

Handler = Callable[[DestinationRecord, str, CommandRequest], Awaitable[CommandResult]]

__all__ = [
    "SPECS",
    "CommandError",
    "CommandRequest",
    "CommandResult",
    "CommandSpec",
    "Commands",
    "DigestReply",
    "FeedChoices",
    "HelpReply",
    "OpmlExported",
    "OpmlImported",
    "SettingsChanged",
    "Subscribed",
    "SubscriptionList",
    "SubscriptionView",
    "Unsubscribed",
    "help_reply",
]


class Commands:
    """Parses command lines and runs them against the engine."""

    def __init__(self, engine: Engine, opml: OpmlCodec) -> None:
        """Wire the engine and the OPML reader/writer."""
        self.engine = engine
        self.opml = opml
        self.rates = RateLimits.of(engine.options.quotas, engine.clock)

    async def handle(self, request: CommandRequest) -> CommandResult:
        """Run one command; argument errors and refusals come back as CommandError, never raised."""
        name, _, args = request.text.strip().removeprefix("/").partition(" ")
        refusal = self.rates.refusal(request, name.lower())
        if refusal is not None:
            return refusal
        spec = SPECS.get(name.lower())
        if spec is None:
            return CommandError(f"unknown command {name!r}; /help lists them", invoke("help"))
        if spec.manages and not request.may_manage:
            return CommandError(NEEDS_MANAGE, invoke("digest"))
        record = await self.engine.destination(request.destination)
        try:
            return await self._run(spec.name, record, args.strip(), request)
        except ArgumentError as error:
            return CommandError(error.reason, SPECS[error.command].example)
        except QuotaExceededError as error:
            return quota_refusal(error, request.destination.platform)

    async def _run(
        self, name: str, record: DestinationRecord, args: str, request: CommandRequest
    ) -> CommandResult:
        handlers: dict[str, Handler] = {
            "digest": lambda r, a, _: self.digest(r, a),
            "subscribe": lambda r, a, _: self.subscribe(r, a),
            "unsubscribe": lambda r, a, _: self.unsubscribe(r, a),
            "subscriptions": lambda r, _a, _q: self.subscriptions(r),
            "schedule": lambda r, a, _: self.settings(r, "schedule", a),
            "mode": lambda r, a, _: self.settings(r, "mode", a),
            "import-opml": lambda r, _, q: self.import_opml(r, q.attachment),
            "export-opml": lambda r, _a, _q: self.export_opml(r),
        }
        handler = handlers.get(name)
        if handler is None:
            return help_reply(args)
        return await handler(record, args, request)

    async def digest(self, record: DestinationRecord, args: str) -> DigestReply:
        """`digest [topic] [since]`."""
        topic_text, window = arguments.split_since(args, self.engine.on_demand_window, self.now())
        topic = arguments.topic(topic_text, "digest") if topic_text else None
        digest = await self.engine.on_demand(record, topic, window)
        return DigestReply(digest, topic_text or None)

    async def subscribe(self, record: DestinationRecord, args: str) -> Subscribed | FeedChoices:
        """`subscribe <feed-url | site [N] | topic>`: a site's page is searched for its feeds."""
        if not args:
            raise ArgumentError("subscribe needs a feed URL, a site or a topic", "subscribe")
        try:
            target = arguments.feed_target(args)
            if target is not None:
                return await self._subscribe_target(record, target)
            subscription = await self.engine.subscribe_topic(
                record, arguments.topic(args, "subscribe")
            )
        except DuplicateSubscriptionError as error:
            raise ArgumentError(
                f"this channel already follows {error.target}", "subscribe"
            ) from error
        return Subscribed(subscription)

    async def _subscribe_target(
        self, record: DestinationRecord, target: FeedTarget
    ) -> Subscribed | FeedChoices:
        scheme = arguments.foreign_scheme(target.url)
        if scheme is not None:
            raise ArgumentError(scheme_refusal(scheme), "subscribe")
        if target.pick is not None:
            return await self._discovered(record, target)
        return await self._subscribe_feed(
            record, target.url, discover=url_scheme(target.url) in WEB_SCHEMES
        )

    async def _subscribe_feed(
        self, record: DestinationRecord, url: str, *, discover: bool = False
    ) -> Subscribed | FeedChoices:
        result = await self.engine.subscribe_feed(record, url)
        poll, sub = result.poll, result.subscription
        if poll is None:
            return Subscribed(sub)
        if poll.permanent and poll.feed.last_success_at is None:
            # a first fetch that failed for good undoes the subscription
            await self.engine.unsubscribe(record, sub.id)
            if discover and poll.not_a_feed:  # a web page: follow the feed it names
                return await self._discovered(record, FeedTarget(url))
            raise ArgumentError(f"cannot follow {url}: {poll.error}", "subscribe")
        return Subscribed(sub, poll.feed, len(poll.articles), poll.error)

    async def _discovered(
        self, record: DestinationRecord, target: FeedTarget
    ) -> Subscribed | FeedChoices:
        """One discovered feed (or the picked one) is followed; several are listed to pick."""
        feeds = await self._discover(target.url)
        if target.pick is not None:
            if not 1 <= target.pick <= len(feeds):
                raise ArgumentError(
                    f"{target.url} has {len(feeds)} feed(s); pick 1 to {len(feeds)}", "subscribe"
                )
            return await self._subscribe_feed(record, feeds[target.pick - 1].url)
        if len(feeds) == 1:
            return await self._subscribe_feed(record, feeds[0].url)
        return FeedChoices(target.url, tuple(feeds))

    async def _discover(self, url: str) -> list[FeedLink]:
        try:
            feeds = await self.engine.discover_feeds(url)
        except FeedError as error:
            raise ArgumentError(f"cannot follow {url}: {error.reason}", "subscribe") from error
        if not feeds:
            paths = ", ".join(COMMON_PATHS[:4])
            raise ArgumentError(
                f"no feed found at {url}: the page names none, and {paths} are no feeds",
                "subscribe",
            )
        return feeds

    async def unsubscribe(self, record: DestinationRecord, args: str) -> Unsubscribed:
        """`unsubscribe <id>`."""
        if not args.isdigit():
            raise ArgumentError(
                "unsubscribe needs a subscription id (a number); /subscriptions lists them",
                "unsubscribe",
            )
        removed = await self.engine.unsubscribe(record, int(args))
        if removed is None:
            raise ArgumentError(
                f"this channel has no subscription {args}; /subscriptions lists them",
                "unsubscribe",
            )
        return Unsubscribed(removed)

    async def subscriptions(self, record: DestinationRecord) -> SubscriptionList:
        """`subscriptions`, with each feed's health."""
        return SubscriptionList(await self.engine.subscriptions(record))

    async def settings(self, record: DestinationRecord, name: str, args: str) -> SettingsChanged:
        """`schedule <HH:MM> [timezone] [weekdays] [max=N]` and `mode <quiet | live> [N]`."""
        parse = arguments.schedule if name == "schedule" else arguments.mode
        settings = parse(record.settings, args.split())
        updated = await self.engine.change_settings(record, settings)
        return SettingsChanged(updated.settings, next_fire(updated.settings, self.now()))

    async def import_opml(self, record: DestinationRecord, document: str | None) -> OpmlImported:
        """`import-opml`, with the OPML file attached; its feeds are polled on the next tick."""
        if not document:
            raise ArgumentError("attach an OPML file to import", "import-opml")
        try:
            outlines = self.opml.parse(document)
        except OpmlError as error:
            raise ArgumentError(
                f"cannot read the OPML file: {error.reason}", "import-opml"
            ) from error
        if len(outlines) > MAX_OPML_FEEDS:
            raise ArgumentError(f"at most {MAX_OPML_FEEDS} feeds per import", "import-opml")
        done = await self.engine.import_feeds(record, [o.url for o in outlines])
        platform = record.destination.platform
        limit = None if done.refusal is None else quota_refusal(done.refusal, platform).message
        return OpmlImported(done.added, done.already, done.left_out, limit)

    async def export_opml(self, record: DestinationRecord) -> OpmlExported:
        """`export-opml`: the channel's feeds as OPML."""
        outlines = [
            OpmlOutline(url, title) for url, title in await self.engine.export_feeds(record)
        ]
        title = f"newsdigest subscriptions of {record.destination}"
        return OpmlExported(self.opml.render(outlines, title), len(outlines))

    def now(self) -> datetime:
        """The engine clock's now."""
        return self.engine.now()


def help_reply(args: str) -> HelpReply | CommandError:
    """`help [command]`: every command; each platform shows those it runs."""
    name = args.strip().removeprefix("/").lower()
    if not name:
        return HelpReply(tuple(SPECS.values()))
    if name not in SPECS:
        return CommandError(f"no command {name!r}; /help lists them", SPECS["help"].example)
    return HelpReply((SPECS[name],))

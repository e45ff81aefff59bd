"""Platform-neutral commands: text in, a domain result (`replies.py`) out, for adapters to render.

Every argument error becomes a `CommandError`: one line saying what is wrong and an example of
correct use. Nothing here knows about Slack, Discord or the console.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime

from bot.commands import arguments
from bot.commands.arguments import ArgumentError, FeedTarget
from bot.commands.limits import RateLimits, quota_refusal
from bot.commands.opml_files import opml_document
from bot.commands.replies import (
    SPECS,
    CommandError,
    CommandRequest,
    CommandResult,
    CommandSpec,
    DigestReply,
    FeedChoices,
    FilterReplaced,
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
from bot.news.topics import Query
from bot.ports import Downloads, FeedError, FeedLink, OpmlCodec, OpmlError, OpmlOutline

log = logging.getLogger(__name__)

MAX_OPML_FEEDS = 500
WEB_SCHEMES = ("http", "https")  # pages whose feeds may be discovered
TOPIC_ONLY = (
    "only: filters a feed; a topic is a filter already: put all its words in one topic, "
    "like /subscribe ceasefire place:Gaza"
)
NEEDS_MANAGE = (
    "only people who may manage this channel can change its subscriptions, schedule or mode; "
    "anyone can read digests"
)

SubscribeAnswer = Subscribed | FeedChoices | FilterReplaced
"""What `subscribe` answers: a new subscription, feeds to pick from, or a feed's new filter."""
SETTINGS = {"schedule": arguments.schedule, "mode": arguments.mode, "links": arguments.links}

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
    "FilterReplaced",
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

    def __init__(self, engine: Engine, opml: OpmlCodec, downloads: Downloads | None = None) -> None:
        """Wire the engine, the OPML reader/writer and (for OPML URLs) the guarded downloads."""
        self.engine = engine
        self.opml = opml
        self.downloads = downloads
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
            result = await self._run(spec.name, record, args.strip(), request)
        except ArgumentError as error:
            return CommandError(error.reason, SPECS[error.command].example)
        except QuotaExceededError as error:
            return quota_refusal(error, request.destination.platform)
        if spec.manages and not isinstance(result, CommandError):
            await self.engine.resume(record)  # someone is looking after the channel again
        return result

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
            "links": lambda r, a, _: self.settings(r, "links", a),
            "import-opml": lambda r, a, q: self.import_opml(r, a, q.attachment),
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
        digest = await self.engine.stories.on_demand(record, topic, window)
        return DigestReply(digest, topic_text or None)

    async def subscribe(self, record: DestinationRecord, args: str) -> SubscribeAnswer:
        """`subscribe <feed-url | site [N] | topic> [only:<topic>]`: a site is searched for feeds.

        Subscribing to a followed feed with another filter (or none) replaces its filter.
        """
        if not args:
            raise ArgumentError("subscribe needs a feed URL, a site or a topic", "subscribe")
        args, only = arguments.split_only(args)
        try:
            target = arguments.feed_target(args)
            if target is not None:
                return await self._subscribe_target(record, replace(target, only=only))
            if only is not None:
                raise ArgumentError(TOPIC_ONLY, "subscribe")
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
    ) -> SubscribeAnswer:
        scheme = arguments.foreign_scheme(target.url)
        if scheme is not None:
            raise ArgumentError(scheme_refusal(scheme), "subscribe")
        if target.pick is not None:
            return await self._discovered(record, target)
        discover = url_scheme(target.url) in WEB_SCHEMES
        return await self._subscribe_feed(record, target.url, target.only, discover=discover)

    async def _subscribe_feed(
        self, record: DestinationRecord, url: str, only: Query | None, *, discover: bool = False
    ) -> SubscribeAnswer:
        try:
            result = await self.engine.subscribe_feed(record, url, only)
        except DuplicateSubscriptionError:
            replaced = await self.engine.replace_filter(record, url, only)
            if replaced is None:  # the same feed with the same filter: nothing to change
                raise
            return replaced
        poll, sub = result.poll, result.subscription
        if poll is None:
            return Subscribed(sub)
        if poll.permanent and poll.feed.last_success_at is None:
            # a first fetch that failed for good undoes the subscription
            await self.engine.unsubscribe(record, sub.id)
            if discover and poll.not_a_feed:  # a web page: follow the feed it names
                return await self._discovered(record, FeedTarget(url, only=only))
            raise ArgumentError(f"cannot follow {url}: {poll.error}", "subscribe")
        return Subscribed(sub, poll.feed, len(poll.articles), poll.error)

    async def _discovered(self, record: DestinationRecord, target: FeedTarget) -> SubscribeAnswer:
        """One discovered feed (or the picked one) is followed; several are listed to pick."""
        feeds = await self._discover(target.url)
        if target.pick is not None:
            if not 1 <= target.pick <= len(feeds):
                raise ArgumentError(
                    f"{target.url} has {len(feeds)} feed(s); pick 1 to {len(feeds)}", "subscribe"
                )
            return await self._subscribe_feed(record, feeds[target.pick - 1].url, target.only)
        if len(feeds) == 1:
            return await self._subscribe_feed(record, feeds[0].url, target.only)
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
        """`subscriptions`: each feed's health, link replies, the catalogue's size, any pause."""
        items = await self.engine.subscriptions(record)
        return SubscriptionList(
            items,
            self.engine.link_replies(record),
            catalogue=await self.engine.catalogue_size(),
            paused_at=record.paused_at,
            paused_reason=record.paused_reason,
            layout=record.settings.layout,
        )

    async def settings(self, record: DestinationRecord, name: str, args: str) -> SettingsChanged:
        """`schedule <HH:MM> [timezone] [weekdays] [max=N]`, `mode <quiet | live> [N]`, `links`."""
        parse = SETTINGS[name]
        settings = parse(record.settings, args.split())
        updated = await self.engine.change_settings(record, settings)
        next_digest = next_fire(updated.settings, self.now())
        return SettingsChanged(updated.settings, next_digest, self.engine.link_replies(updated))

    async def import_opml(
        self, record: DestinationRecord, args: str, attachment: str | bytes | None = None
    ) -> OpmlImported:
        """`import-opml [url]`, the OPML file attached or at the URL; polled on the next tick."""
        document = await opml_document(args, attachment, self.downloads)
        try:
            outlines = self.opml.parse(document)
        except OpmlError as error:
            raise ArgumentError(
                f"cannot read the OPML file: {error.reason}", "import-opml"
            ) from error
        if len(outlines) > MAX_OPML_FEEDS:
            raise ArgumentError(f"at most {MAX_OPML_FEEDS} feeds per import", "import-opml")
        feeds, unreadable = _filtered(outlines)
        done = await self.engine.import_feeds(record, feeds)
        platform = record.destination.platform
        limit = None if done.refusal is None else quota_refusal(done.refusal, platform).message
        return OpmlImported(done.added, done.already, done.left_out, limit, unreadable)

    async def export_opml(self, record: DestinationRecord) -> OpmlExported:
        """`export-opml`: the channel's feeds as OPML, each with its filter."""
        outlines = await self.engine.export_feeds(record)
        title = f"newsdigest subscriptions of {record.destination}"
        return OpmlExported(self.opml.render(outlines, title), len(outlines))

    def now(self) -> datetime:
        """The engine clock's now."""
        return self.engine.now()


def _filtered(
    outlines: list[OpmlOutline],
) -> tuple[list[tuple[str, Query | None]], tuple[str, ...]]:
    """Outlines as (url, parsed filter); those whose filter does not parse are set apart."""
    feeds: list[tuple[str, Query | None]] = []
    unreadable: list[str] = []
    for outline in outlines:
        try:
            only = arguments.feed_filter(outline.only, "import-opml") if outline.only else None
        except ArgumentError as error:
            log.info("OPML outline %s left out: %s", outline.url, error.reason)
            unreadable.append(outline.url)
        else:
            feeds.append((outline.url, only))
    return feeds, tuple(unreadable)


def help_reply(args: str) -> HelpReply | CommandError:
    """`help [command]`: every command; each platform shows those it runs."""
    name = args.strip().removeprefix("/").lower()
    if not name:
        return HelpReply(tuple(SPECS.values()))
    if name not in SPECS:
        return CommandError(f"no command {name!r}; /help lists them", SPECS["help"].example)
    return HelpReply((SPECS[name],))

"""The composition root: builds the store, the engine, the scheduler and the adapters.

The only module that wires concrete stores and adapters together. Everything with a lifetime is
opened with `async with` and closed in reverse order; there are no globals.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.exc import SQLAlchemyError

from bot.adapters.console import CONSOLE, ConsoleChat, ConsolePublisher
from bot.adapters.console.chat import script_lines, stream_lines
from bot.adapters.discord import (
    DiscordPublisher,
    DiscordStartError,
    open_discord,
    open_discord_client,
)
from bot.adapters.slack.publisher import SlackPublisher
from bot.adapters.slack.runner import (
    SlackStartError,
    open_slack,
    slack_publisher,
)
from bot.app.platforms import discord_options, slack_options
from bot.app.reading import routed_source
from bot.clock import Clock, SystemClock
from bot.commands.handlers import Commands
from bot.config import ConfigError, Settings, hide_password
from bot.delivery.alerts import AlertOptions
from bot.delivery.deliverer import Deliverer, PlatformPublishers
from bot.delivery.scheduler import Scheduler, SchedulerOptions
from bot.delivery.timing import parse_time
from bot.domain import DestinationSettings, Platform
from bot.engine import Engine, EngineOptions, Quotas
from bot.feeds.catalogue import CatalogueError, read_catalogue
from bot.feeds.download import HttpDownloads
from bot.feeds.opml import StdlibOpml
from bot.feeds.source import open_http_feed_source
from bot.news.clustering import ClusterOptions
from bot.news.ingest import Defer, IngestOptions, Ingestor
from bot.observability.metrics import CountedPublisher, CountedSource, Metrics, TimedSummariser
from bot.ports import (
    Downloads,
    FeedSource,
    OpmlCodec,
    Publisher,
    Summariser,
)
from bot.store.port import Store
from bot.store.sql import open_store
from bot.store.sql_engine import create_engine
from bot.tasks.scaled import migrate_queue, open_queue, serve_operations, work
from summaries import Analyzer

log = logging.getLogger(__name__)

DEMO_CATALOG = "examples/catalog.opml"


@dataclass(frozen=True)
class Bot:
    """Everything a front-end needs, built and owned by `open_bot`."""

    settings: Settings
    store: Store
    engine: Engine
    commands: Commands
    scheduler: Scheduler


@dataclass(frozen=True)
class Overrides:
    """Ports a caller (a test, a benchmark) supplies instead of the configured ones."""

    clock: Clock | None = None
    source: FeedSource | None = None
    summariser: Summariser | None = None
    defer: Defer | None = None  # scaled mode: new items go to the task queue
    metrics: Metrics | None = None  # count polls, analyses and posts
    downloads: Downloads | None = None  # OPML URLs and shared files


@contextlib.asynccontextmanager
async def open_database(url: str) -> AsyncIterator[Store]:
    """The store at `url`, migrated; a database that cannot be opened is one ConfigError line.

    Raises:
        ConfigError: The database cannot be reached or opened (its password shown as ***).
    """
    opened = False
    try:
        async with open_store(url) as store:
            opened = True
            yield store
    except (OSError, SQLAlchemyError) as error:
        if opened:
            raise  # a failure while running is not a start-up problem
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ConfigError(
            (f"the database {hide_password(url)} cannot be opened: {reason}",)
        ) from None


@contextlib.asynccontextmanager
async def open_bot(
    settings: Settings,
    publisher: Publisher,
    overrides: Overrides | None = None,
    platforms: frozenset[Platform] | None = None,
) -> AsyncIterator[Bot]:
    """Open the database (migrating it), load the NLP model and build the engine.

    Args:
        settings: The configuration.
        publisher: Where digests are posted.
        overrides: Ports a test or benchmark supplies.
        platforms: The platforms whose channels get scheduled digests; None: all.
    """
    given = overrides or Overrides()
    clock = given.clock or SystemClock()
    async with (
        open_database(settings.database_url) as store,
        open_http_feed_source(settings.allow_hosts) as web,
    ):
        summariser = given.summariser or await _load_analyzer(settings)
        options = engine_options(settings)
        source = given.source or routed_source(settings.feed_dirs, web)
        if given.metrics is not None:
            source = CountedSource(source, given.metrics)
            summariser = TimedSummariser(summariser, given.metrics)
            publisher = CountedPublisher(publisher, given.metrics)
        pace = SchedulerOptions(
            tick=timedelta(seconds=settings.tick_seconds),
            platforms=platforms,
            alerts=AlertOptions(enabled=settings.feed_alerts),
            retention=timedelta(days=settings.retention_days),
        )
        downloads = given.downloads or HttpDownloads(web.fetcher)
        core = compose(
            store, source, summariser, clock, publisher, options, pace, given.defer, downloads
        )
        await core.engine.set_catalogue(await _catalogue(settings))
        yield Bot(settings, store, core.engine, core.commands, core.scheduler)


@dataclass(frozen=True)
class Core:
    """The engine and what drives it, wired onto the ports by `compose`."""

    engine: Engine
    deliverer: Deliverer
    scheduler: Scheduler
    commands: Commands


def compose(
    store: Store,
    source: FeedSource,
    summariser: Summariser,
    clock: Clock,
    publisher: Publisher,
    options: EngineOptions,
    scheduling: SchedulerOptions | None = None,
    defer: Defer | None = None,
    downloads: Downloads | None = None,
) -> Core:
    """Wire the ingestor, engine, deliverer, scheduler and commands onto the given ports.

    The one place the core is put together: `open_bot` uses it, and so does the tests' stack.
    `downloads` fetches OPML URLs and files shared on a platform (None: not at all).
    """
    ingestor = Ingestor(store, source, summariser, clock, options.ingest, defer)
    engine = Engine(store, ingestor, clock, options)
    deliverer = Deliverer(store, publisher, clock)
    scheduler = Scheduler(engine, deliverer, clock, scheduling)
    return Core(engine, deliverer, scheduler, Commands(engine, opml_codec(), downloads))


async def _catalogue(settings: Settings) -> list[str]:
    """The feeds NEWSDIGEST_CATALOG names (read off the event loop).

    Raises:
        ConfigError: The OPML file cannot be read, in one line.
    """
    try:
        return await asyncio.to_thread(read_catalogue, settings.catalog, opml_codec())
    except CatalogueError as error:
        raise ConfigError((f"NEWSDIGEST_CATALOG: {error.reason}",)) from None


async def _load_analyzer(settings: Settings) -> Summariser:
    analyzer: Summariser = await asyncio.to_thread(Analyzer.load, settings.model)
    return analyzer


def engine_options(settings: Settings) -> EngineOptions:
    """Engine options from the settings."""
    defaults = DestinationSettings(
        digest_time=parse_time(settings.digest_time),
        timezone=settings.timezone,
        max_stories=settings.max_stories,
    )
    clustering = replace(ClusterOptions(), threshold=settings.cluster_threshold)
    ingest = IngestOptions(interval=timedelta(minutes=settings.poll_minutes), clustering=clustering)
    quotas = Quotas(
        feeds_per_tenant=settings.max_feeds_per_tenant,
        subscriptions_per_channel=settings.max_subscriptions_per_channel,
        commands_per_minute=settings.commands_per_minute,
        digests_per_minute=settings.digests_per_minute,
    )
    link_replies = {
        Platform.SLACK: settings.slack_link_replies,
        Platform.DISCORD: settings.discord_link_replies,
    }
    return EngineOptions(defaults=defaults, ingest=ingest, quotas=quotas, link_replies=link_replies)


def opml_codec() -> OpmlCodec:
    """The OPML reader and writer."""
    return StdlibOpml()


async def console_chat(
    settings: Settings,
    script: Sequence[str] | None,
    out: TextIO,
    *,
    stdin: TextIO | None = None,
    demo: bool = False,
    prompt: str = "",
    overrides: Overrides | None = None,
) -> None:
    """Run the bot with the console adapter until the script or the input (`stdin`) ends.

    Steps: (0) with `demo` and no catalogue set, the demo's (`DEMO_CATALOG`); (1) one scheduler
    tick at once (settle pending posts, poll due feeds, due digests); (2) with `demo`, subscribe
    to the demo feed when nothing is subscribed and show a digest; (3) the scheduler
    in the background while the chat reads commands.
    """
    console = frozenset({Platform.CONSOLE})
    if demo and not settings.catalog and Path(DEMO_CATALOG).is_file():
        settings = settings.model_copy(update={"catalog": DEMO_CATALOG})
    async with open_bot(settings, ConsolePublisher(out), overrides, console) as bot:
        chat = ConsoleChat(bot.commands, out)
        await bot.scheduler.tick()
        if demo:
            await start_demo(bot, chat)
        lines = script_lines(script) if script is not None else stream_lines(stdin or sys.stdin)
        async with _background(bot.scheduler):
            await chat.run(lines, prompt)


async def run_platforms(settings: Settings, overrides: Overrides | None = None) -> None:
    """The bot on every configured platform (Slack, Discord or both) until cancelled.

    Steps: (1) the platforms' clients (Discord logs in and names its gateway first, so a bad
    token is one clear error before anything else starts); (2) the bot, delivering through
    each destination's platform; (3) each platform served; (4) the scheduler.

    Raises:
        ConfigError: A platform setting is missing or a platform refuses a token (one line).
    """
    try:
        async with contextlib.AsyncExitStack() as exits:
            publishers = await _platform_clients(settings, exits)
            served = frozenset(publishers)
            given = await _operations(settings, overrides, exits)
            bot = await exits.enter_async_context(
                open_bot(settings, PlatformPublishers(publishers), given, served)
            )
            background = _idle if settings.scaled else bot.scheduler.run
            await _serve(settings, bot, publishers, exits, background)
    except (SlackStartError, DiscordStartError) as error:
        raise ConfigError((error.reason,)) from None


async def run_worker(settings: Settings, overrides: Overrides | None = None) -> None:
    """A scaled-mode worker until stopped: polls, analyses and posts through the platforms' APIs.

    Raises:
        ConfigError: Not on Postgres, the queue not migrated, or a platform refuses a token.
    """
    try:
        async with contextlib.AsyncExitStack() as exits:
            publishers = await _platform_clients(settings, exits)
            queue = await exits.enter_async_context(open_queue(settings))
            metrics = Metrics()
            given = replace(overrides or Overrides(), defer=queue.analyse, metrics=metrics)
            bot = await exits.enter_async_context(
                open_bot(settings, PlatformPublishers(publishers), given, frozenset(publishers))
            )
            await work(settings, bot.store, bot.engine, bot.scheduler, queue, metrics)
    except (SlackStartError, DiscordStartError) as error:
        raise ConfigError((error.reason,)) from None


async def migrate(settings: Settings) -> list[str]:
    """`newsdigest migrate`: the bot's tables, then (on Postgres) the task queue's."""
    async with open_database(settings.database_url):
        pass  # opening the store runs the migrations
    queue = await migrate_queue(settings)
    return ["bot tables migrated", *([queue] if queue else [])]


async def _operations(
    settings: Settings, overrides: Overrides | None, exits: contextlib.AsyncExitStack
) -> Overrides:
    """Metrics (and in scaled mode the task queue new items go to) for a front-end process."""
    metrics = Metrics()
    queue = await exits.enter_async_context(open_queue(settings)) if settings.scaled else None
    await exits.enter_async_context(serve_operations(settings, metrics, queue))
    defer = queue.analyse if queue is not None else None
    return replace(overrides or Overrides(), defer=defer, metrics=metrics)


async def _idle() -> None:
    """A scaled front-end's background: the workers poll and deliver, so nothing."""
    await asyncio.Event().wait()


async def _platform_clients(
    settings: Settings, exits: contextlib.AsyncExitStack
) -> dict[Platform, Publisher]:
    publishers: dict[Platform, Publisher] = {}
    if settings.slack_bot_token is not None or settings.slack_oauth:
        publishers[Platform.SLACK] = await _slack_publisher(settings, exits)
    if settings.discord_token is not None:
        client = await exits.enter_async_context(open_discord_client(discord_options(settings)))
        publishers[Platform.DISCORD] = DiscordPublisher(client)
    return publishers


async def _slack_publisher(settings: Settings, exits: contextlib.AsyncExitStack) -> SlackPublisher:
    """Slack's publisher; with OAuth installs, on an engine of its own on the bot's database."""
    options = slack_options(settings)
    if options.oauth is None:
        return await slack_publisher(options)
    engine = create_engine(settings.database_url)
    exits.push_async_callback(engine.dispose)
    return await slack_publisher(options, engine)


async def _serve(
    settings: Settings,
    bot: Bot,
    publishers: dict[Platform, Publisher],
    exits: contextlib.AsyncExitStack,
    background: Callable[[], Coroutine[Any, Any, None]],
) -> None:
    slack = publishers.get(Platform.SLACK)
    if isinstance(slack, SlackPublisher):
        await exits.enter_async_context(open_slack(bot.commands, slack, slack_options(settings)))
    discord = publishers.get(Platform.DISCORD)
    if not isinstance(discord, DiscordPublisher):
        await background()
        return
    running = await exits.enter_async_context(
        open_discord(discord.client, bot.commands, discord, discord_options(settings))
    )
    await running.serve(background())


async def start_demo(bot: Bot, chat: ConsoleChat) -> None:
    """Subscribe the console to the demo feed (when it follows nothing) and show a digest."""
    record = await bot.engine.destination(CONSOLE)
    if bot.settings.demo_feed and not await bot.store.subscriptions(record.id):
        await chat.handle(f"/subscribe {bot.settings.demo_feed}")
    await chat.handle("/digest")


@contextlib.asynccontextmanager
async def _background(scheduler: Scheduler) -> AsyncIterator[None]:
    task = asyncio.create_task(scheduler.run(), name="scheduler")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

"""The engine stack for tests, composed by the bot's own `compose` (bot/app.py)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.app import compose
from bot.clock import Clock
from bot.commands.handlers import Commands
from bot.delivery.deliverer import Deliverer
from bot.delivery.scheduler import Scheduler
from bot.domain import Destination, DestinationRecord, Platform
from bot.engine import Engine, EngineOptions
from bot.ports import Downloads, FeedSource, Publisher, Summariser
from bot.store.port import Store

CHANNEL = Destination(Platform.SLACK, "T1", "C1")


@dataclass
class Stack:
    store: Store
    engine: Engine
    deliverer: Deliverer
    scheduler: Scheduler
    commands: Commands

    async def channel(self, destination: Destination = CHANNEL) -> DestinationRecord:
        return await self.engine.destination(destination)


def build(
    store: Store,
    source: FeedSource,
    summariser: Summariser,
    clock: Clock,
    publisher: Publisher,
    options: EngineOptions | None = None,
    downloads: Downloads | None = None,
) -> Stack:
    engine_options = options or EngineOptions()
    core = compose(store, source, summariser, clock, publisher, engine_options, downloads=downloads)
    return Stack(store, core.engine, core.deliverer, core.scheduler, core.commands)

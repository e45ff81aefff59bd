"""The engine stack built by hand for tests (bot/app.py does the same for the real bot)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.commands import Commands
from bot.delivery import Deliverer
from bot.domain import Destination, DestinationRecord, Platform
from bot.engine import Engine, EngineOptions
from bot.ingest import Ingestor
from bot.opml import StdlibOpml
from bot.ports import FeedSource, Publisher, Summariser
from bot.scheduler import Scheduler
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
) -> Stack:
    chosen = options or EngineOptions()
    ingestor = Ingestor(store, source, summariser, clock, chosen.ingest)
    engine = Engine(store, ingestor, clock, chosen)
    deliverer = Deliverer(store, publisher, clock)
    scheduler = Scheduler(engine, deliverer, clock)
    return Stack(store, engine, deliverer, scheduler, Commands(engine, StdlibOpml()))

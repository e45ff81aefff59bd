"""Fixtures of the bot tests: stores on every backend, a fake clock, feeds and a publisher.

SQLite always runs; Postgres runs when NEWSDIGEST_TEST_DATABASE_URL is set (each test gets its own
schema, dropped afterwards, so reruns start clean).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.clock import FakeClock
from bot.fakes import FakePublisher, MemoryFeedSource
from bot.store.memory import MemoryStore
from bot.store.port import Store
from bot.store.sql import SqlStore, open_store

POSTGRES_URL = os.environ.get("NEWSDIGEST_TEST_DATABASE_URL", "")
START = datetime(2024, 3, 28, 12, 0, tzinfo=UTC)


@dataclass
class Database:
    """A test database that can be opened again, as a restarted process would."""

    url: str
    connect_args: dict[str, Any] = field(default_factory=dict)

    def open(self) -> AbstractAsyncContextManager[SqlStore]:
        return open_store(self.url, connect_args=self.connect_args)


@asynccontextmanager
async def backend(kind: str, tmp_path: Path) -> AsyncIterator[Database]:
    """A fresh, empty database of this kind; a Postgres one is a schema dropped afterwards."""
    if kind == "sqlite":
        yield Database(f"sqlite+aiosqlite:///{tmp_path}/data/bot.db")
        return
    if not POSTGRES_URL:
        pytest.skip("NEWSDIGEST_TEST_DATABASE_URL is not set")
    schema = f"nd_test_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(POSTGRES_URL)
    async with admin.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield Database(POSTGRES_URL, {"server_settings": {"search_path": schema}})
    finally:
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


POSTGRES = pytest.param("postgres", marks=pytest.mark.postgres)


@pytest_asyncio.fixture(params=["sqlite", POSTGRES])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    async with backend(request.param, tmp_path) as opened:
        yield opened


@pytest_asyncio.fixture(params=["memory", "sqlite", POSTGRES])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    if request.param == "memory":
        yield MemoryStore()
        return
    async with backend(request.param, tmp_path) as opened, opened.open() as sql:
        yield sql


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def source() -> MemoryFeedSource:
    return MemoryFeedSource()


@pytest.fixture
def publisher() -> FakePublisher:
    return FakePublisher()

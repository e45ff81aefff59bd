"""Alembic migrations: run on start, match the models exactly, and keep data when re-run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text

from bot.domain import Destination, DestinationSettings, Platform
from bot.store.migrate import alembic_config, current_revision, upgrade
from bot.store.sql import open_store
from bot.store.sql_engine import create_engine
from bot.store.tables import Base
from tests.bot.conftest import Database

pytestmark = pytest.mark.asyncio

NOW = datetime(2024, 5, 1, tzinfo=UTC)


def head() -> str:
    revision = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert revision is not None
    return revision


def differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_an_empty_database_is_migrated_to_exactly_the_models(database: Database) -> None:
    engine = create_engine(database.url, connect_args=database.connect_args)
    try:
        assert await current_revision(engine) is None
        await upgrade(engine)
        assert await current_revision(engine) == head()
        async with engine.connect() as connection:
            assert await connection.run_sync(differences) == []
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert {"destinations", "feeds", "subscriptions", "articles", "posts"} <= tables
    finally:
        await engine.dispose()


async def test_starting_again_on_a_migrated_database_keeps_its_data(database: Database) -> None:
    where = Destination(Platform.CONSOLE, "local", "terminal")
    async with database.open() as store:
        first = await store.ensure_destination(where, DestinationSettings(), NOW)
        await store.ensure_feed("https://a.example/feed", timedelta(minutes=15), NOW)
    async with database.open() as store:
        assert await store.ensure_destination(where, DestinationSettings(), NOW) == first
        assert (await store.feed(1)) is not None


async def test_the_sqlite_folder_is_created(tmp_path: Path) -> None:
    target = tmp_path / "nested" / "data" / "bot.db"
    async with open_store(f"sqlite+aiosqlite:///{target}"):
        pass
    assert target.is_file()


async def test_a_database_of_the_first_version_upgrades_without_loss(database: Database) -> None:
    engine = create_engine(database.url, connect_args=database.connect_args)
    try:
        await upgrade(engine, "0001")
        async with engine.begin() as connection:
            await connection.execute(
                text("INSERT INTO stories (id, first_seen) VALUES (1, :now)"),
                {"now": NOW},
            )
            await connection.execute(
                text(
                    "INSERT INTO articles (id, story_id, url, source, ingested_at, content_hash, "
                    "backfill, summary, actors, dates, terms, text) VALUES (1, 1, "
                    "'https://a.example/1', 'a.example', :now, 'h', false, '[]', '[]', '[]', "
                    "'{}', 'kept')"
                ),
                {"now": NOW},
            )
        await upgrade(engine)
        assert await current_revision(engine) == head()
    finally:
        await engine.dispose()
    async with database.open() as store:
        (kept,) = await store.recent_articles(NOW - timedelta(days=1))
    assert (kept.url, kept.text, kept.excerpt_only) == ("https://a.example/1", "kept", False)

"""Scaled-mode clustering candidates: signatures read once per worker; polls queued in batches."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Collection
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from procrastinate import App

from bot.app import migrate
from bot.config import load_settings
from bot.domain import Article, Signature
from bot.news.candidates import SignatureCache
from bot.news.clustering import ClusterOptions, terms_of
from bot.news.story_index import best_story
from bot.store.memory import MemoryStore, signature_of
from bot.store.port import Store
from bot.store.sql import open_store
from bot.tasks.jobs import TaskOptions, register_tasks
from bot.tasks.queue import TaskQueue, build_app, open_app
from summaries import Actor, ActorKind, DateMention

NOW = datetime(2024, 6, 3, 12, 0, tzinfo=UTC)
StoreFactory = Callable[[Path], AbstractAsyncContextManager[Store]]


@asynccontextmanager
async def memory_store(_: Path) -> AsyncIterator[Store]:
    yield MemoryStore()


@asynccontextmanager
async def sqlite_store(folder: Path) -> AsyncIterator[Store]:
    async with open_store(f"sqlite+aiosqlite:///{folder / 'news.db'}") as store:
        yield store


STORES = [pytest.param(memory_store, id="memory"), pytest.param(sqlite_store, id="sqlite")]


async def add(store: Store, text: str, at: datetime, story_id: int = 0) -> Article:
    feed = await store.ensure_feed("https://news.example/feed.xml", timedelta(minutes=15), NOW)
    article = Article(
        url=f"https://news.example/{abs(hash((text, at)))}",
        title=text[:20],
        source="Example",
        published=at,
        ingested_at=at,
        content_hash=str(abs(hash((text, at)))),
        summary=("A sentence.",),
        actors=(Actor("Elena Marsh", ActorKind.PERSON, 3, ("Marsh",)),),
        dates=(DateMention("3 June", "2024-06-03", 0, 6),),
        terms=terms_of(text),
        text=text,
        feed_id=feed.id,
        story_id=story_id,
    )
    return await store.add_article(article)


@pytest.mark.asyncio
@pytest.mark.parametrize("factory", STORES)
async def test_signatures_are_the_articles_clustering_features(
    factory: StoreFactory, tmp_path: Path
) -> None:
    async with factory(tmp_path) as store:
        old = await add(store, "Harbour dredging in Porto", NOW - timedelta(days=5))
        first = await add(store, "Copper mine strike in Accra", NOW - timedelta(hours=1))
        second = await add(store, "Copper mine strike spreads", NOW, story_id=first.story_id)
        assert await store.recent_article_ids(NOW - timedelta(days=1)) == [first.id, second.id]
        signatures = await store.signatures([second.id, first.id, 999_999])
    assert signatures == [signature_of(first), signature_of(second)]
    assert [s.terms for s in signatures] == [first.terms, second.terms]
    assert old.id not in {s.id for s in signatures}


@pytest.mark.asyncio
@pytest.mark.parametrize("factory", STORES)
async def test_the_cache_reads_each_signature_once_and_forgets_old_ones(
    factory: StoreFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with factory(tmp_path) as store:
        reads: list[list[int]] = []
        real = store.signatures

        async def counted(ids: Collection[int]) -> list[Signature]:
            reads.append(sorted(ids))
            return await real(ids)

        monkeypatch.setattr(store, "signatures", counted)
        cache = SignatureCache(store)
        first = await add(store, "Solar farm opens near Perth", NOW - timedelta(hours=2))
        assert [s.id for s in await cache.since(NOW - timedelta(hours=3))] == [first.id]
        second = await add(store, "Solar farm output doubles", NOW)
        held = await cache.since(NOW - timedelta(hours=3))
        assert [s.id for s in held] == [first.id, second.id]
        assert reads == [[first.id], [second.id]]
        assert [s.id for s in await cache.since(NOW - timedelta(hours=1))] == [second.id]
        assert len(cache) == 1


@pytest.mark.asyncio
async def test_clustering_on_signatures_equals_clustering_on_articles() -> None:
    store = MemoryStore()
    texts = [
        "Teacher strike closes schools in Lyon as unions march",
        "Lyon teacher strike enters second week, unions say",
        "Satellite launch from Kourou delayed by weather",
        "Chess tournament in Tbilisi ends in a draw",
    ]
    stored = [await add(store, text, NOW - timedelta(minutes=n)) for n, text in enumerate(texts)]
    incoming = Article(
        url="https://other.example/strike",
        title="Strike",
        source="Other",
        published=NOW,
        ingested_at=NOW,
        content_hash="x",
        terms=terms_of("Teacher strike in Lyon: unions march again"),
    )
    options = ClusterOptions()
    signatures = await SignatureCache(store).since(NOW - options.window)
    assert best_story(incoming, signatures, options) == best_story(incoming, stored, options)
    assert best_story(incoming, signatures, options) is not None


@pytest.mark.asyncio
@pytest.mark.postgres
async def test_polls_are_queued_in_batches_once_per_feed(database_url: str) -> None:
    await migrate(load_settings(database_url=database_url, _env_file=None))
    app: App = build_app(database_url, pool_size=2)
    register_tasks(app, TaskOptions())
    async with open_app(app):
        queue = TaskQueue(app)
        assert await queue.poll(3) is True
        assert await queue.poll_many([1, 2, 3, 2, 4]) == 3  # 3 already waits; 2 once
        assert await queue.poll_many([1, 5]) == 1
        assert await queue.poll_many([]) == 0
        rows = await app.connector.execute_query_all_async(
            "SELECT queueing_lock FROM procrastinate_jobs ORDER BY id"
        )
    assert [row["queueing_lock"] for row in rows] == [f"feed:{n}" for n in (3, 1, 2, 4, 5)]

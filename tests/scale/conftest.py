"""Fixtures of the scale tests: a database of their own on the CI Postgres, a loopback news site.

Each test that needs Postgres gets a fresh database (created and dropped here), so worker
processes can share it by URL without touching the other tests' schemas. Without
NEWSDIGEST_TEST_DATABASE_URL these tests are skipped.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import asyncpg
import pytest
import pytest_asyncio
from aiohttp import web
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get("NEWSDIGEST_TEST_DATABASE_URL", "")

PEOPLE = (
    "Elena Marsh",
    "Tomas Berg",
    "Aiko Tanaka",
    "Rafael Ortiz",
    "Grace Mensah",
    "Ivan Petrov",
    "Lucia Romano",
    "Omar Haddad",
    "Nina Kowalski",
    "Samuel Okafor",
    "Hana Novak",
    "Diego Silva",
    "Mara Lindqvist",
    "Kofi Asante",
    "Yuki Mori",
    "Pavel Horak",
)
PLACES = (
    "Lisbon",
    "Nairobi",
    "Osaka",
    "Quito",
    "Tallinn",
    "Accra",
    "Porto",
    "Hanoi",
    "Bergen",
    "Cusco",
    "Lyon",
    "Dakar",
    "Tbilisi",
    "Perth",
    "Gdansk",
    "Izmir",
)
SUBJECTS = (
    "railway tunnel",
    "fishing quota",
    "vaccine plant",
    "copper mine",
    "solar farm",
    "harbour dredging",
    "teacher strike",
    "flood barrier",
    "airline merger",
    "water tariff",
    "museum theft",
    "chess tournament",
    "wildfire season",
    "bridge collapse",
    "coffee harvest",
    "satellite launch",
)


def article_html(index: int) -> str:
    """A news page about one event of its own (distinct people, place and subject)."""
    person, place, subject = PEOPLE[index % 16], PLACES[index % 16], SUBJECTS[index % 16]
    paragraphs = [
        f"{person} announced on Tuesday that the {subject} in {place} will go ahead next year.",
        f"The decision followed months of debate in {place}, where the {subject} divided "
        f"residents and business owners alike.",
        f"Officials said the {subject} would cost about {index + 3} million dollars and employ "
        f"hundreds of local workers during its first phase.",
        f"Critics of {person} argued that the {subject} had been rushed, and promised to "
        f"challenge the plan before the regional court in {place}.",
        f"{person} said the work would begin in March and finish within two years.",
    ]
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    title = f"{place} approves the {subject}"
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}"
        "</article></body></html>"
    )


@dataclass
class NewsSite:
    """Feeds and article pages on 127.0.0.1; pages answer after `page_delay` seconds."""

    base: str = ""
    feeds: dict[int, list[int]] = field(default_factory=dict)
    page_delay: float = 0.0
    in_flight: int = 0
    pages_served: list[str] = field(default_factory=list)
    start: datetime = field(default_factory=lambda: datetime.now(UTC))

    def feed_url(self, feed: int) -> str:
        return f"{self.base}/feed/{feed}.xml"

    def page_url(self, item: int) -> str:
        return f"{self.base}/page/{item}"

    async def feed(self, request: web.Request) -> web.Response:
        number = int(request.match_info["feed"])
        items = "".join(self._item(item) for item in self.feeds.get(number, []))
        body = f"<rss version='2.0'><channel><title>Feed {number}</title>{items}</channel></rss>"
        return web.Response(text=body, content_type="application/rss+xml")

    def _item(self, item: int) -> str:
        published = format_datetime(self.start + timedelta(minutes=item))
        return (
            f"<item><title>Story {item}</title><link>{self.page_url(item)}</link>"
            f"<guid>item-{item}</guid><pubDate>{published}</pubDate>"
            f"<description>Story {item} in brief.</description></item>"
        )

    async def page(self, request: web.Request) -> web.Response:
        item = int(request.match_info["item"])
        self.in_flight += 1
        try:
            await asyncio.sleep(self.page_delay)
            self.pages_served.append(str(item))
            return web.Response(text=article_html(item), content_type="text/html")
        finally:
            self.in_flight -= 1


@pytest_asyncio.fixture
async def news_site() -> AsyncIterator[NewsSite]:
    site = NewsSite()
    app = web.Application()
    app.router.add_get("/feed/{feed}.xml", site.feed)
    app.router.add_get("/page/{item}", site.page)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    site.base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        yield site
    finally:
        await runner.cleanup()


def libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest_asyncio.fixture
async def database_url() -> AsyncIterator[str]:
    """A fresh Postgres database for one test (SQLAlchemy URL), dropped afterwards."""
    if not POSTGRES_URL:
        pytest.skip("NEWSDIGEST_TEST_DATABASE_URL is not set")
    name = f"nd_scale_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(libpq(POSTGRES_URL))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()

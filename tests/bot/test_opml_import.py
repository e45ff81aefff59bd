"""import-opml from an attached file or an OPML URL: the same limits and refusals everywhere."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp import web

from bot.app import Overrides, console_chat
from bot.clock import FakeClock
from bot.commands.handlers import CommandError, CommandRequest, OpmlImported
from bot.commands.opml_files import MAX_OPML_BYTES
from bot.commands.spec import command_line
from bot.config import load_settings
from bot.fakes import FakePublisher, MemoryDownloads, MemoryFeedSource
from bot.feeds.guard import AllowList, UrlGuard
from bot.feeds.http import open_fetcher
from bot.store.memory import MemoryStore
from summaries import Analyzer
from tests.bot.conftest import START
from tests.support.loopback import serve_on_loopback
from tests.support.stack import CHANNEL, Stack, build

pytestmark = pytest.mark.asyncio

URL = "https://lists.example/subs.opml"
FEEDS = ["https://a.example/feed.xml", "https://b.example/feed.xml"]


def opml(*urls: str, declaration: str = '<?xml version="1.0"?>') -> str:
    outlines = "".join(f'<outline text="Ä {url}" xmlUrl="{url}"/>' for url in urls)
    return f'{declaration}<opml version="2.0"><body>{outlines}</body></opml>'


@pytest.fixture
def downloads() -> MemoryDownloads:
    return MemoryDownloads({URL: opml(*FEEDS).encode()})


@pytest.fixture
def stack(analyzer: Analyzer, downloads: MemoryDownloads) -> Stack:
    clock = FakeClock(START)
    store, source = MemoryStore(), MemoryFeedSource()
    return build(store, source, analyzer, clock, FakePublisher(), downloads=downloads)


async def run(stack: Stack, line: str, attachment: str | bytes | None = None) -> object:
    return await stack.commands.handle(CommandRequest(CHANNEL, line, attachment))


async def targets(stack: Stack) -> list[str]:
    record = await stack.channel()
    return [sub.target for sub in await stack.store.subscriptions(record.id)]


async def test_an_opml_url_is_downloaded_and_imported(
    stack: Stack, downloads: MemoryDownloads
) -> None:
    imported = await run(stack, f"/import-opml {URL}")
    assert isinstance(imported, OpmlImported) and len(imported.added) == 2
    assert downloads.asked == [(URL, None)]
    assert await targets(stack) == FEEDS


async def test_an_attachment_wins_over_a_url(stack: Stack, downloads: MemoryDownloads) -> None:
    imported = await run(stack, f"/import-opml {URL}", opml(FEEDS[1]).encode())
    assert isinstance(imported, OpmlImported) and await targets(stack) == [FEEDS[1]]
    assert downloads.asked == []


@pytest.mark.parametrize(
    ("line", "attachment", "expected"),
    [
        ("/import-opml https://lists.example/gone.opml", None, "HTTP 404"),
        ("/import-opml ftp://lists.example/subs.opml", None, "neither an attached file nor"),
        ("/import-opml", "x" * (MAX_OPML_BYTES + 1), "larger than 1,000,000 bytes"),
        ("/import-opml", b"\xff\xfe\xfa not text", "not UTF-8 text"),
        ("/import-opml", b"", "attach an OPML file to import, or give its URL"),
    ],
)
async def test_bad_sources_are_one_line_with_an_example(
    stack: Stack, line: str, attachment: str | bytes | None, expected: str
) -> None:
    refused = await run(stack, line, attachment)
    assert isinstance(refused, CommandError) and expected in refused.message
    assert command_line(refused.example) == "/import-opml https://example.com/subs.opml"
    assert await targets(stack) == []


async def test_a_too_big_download_is_refused(stack: Stack, downloads: MemoryDownloads) -> None:
    downloads.documents[URL] = b" " * (MAX_OPML_BYTES + 1)
    refused = await run(stack, f"/import-opml {URL}")
    assert isinstance(refused, CommandError) and "larger than 1,000,000 bytes" in refused.message


async def test_a_file_in_its_declared_encoding_is_read(stack: Stack) -> None:
    latin = opml(*FEEDS, declaration='<?xml version="1.0" encoding="ISO-8859-1"?>')
    imported = await run(stack, "/import-opml", latin.encode("iso-8859-1"))
    assert isinstance(imported, OpmlImported) and len(imported.added) == 2


async def test_without_downloads_a_url_is_refused(analyzer: Analyzer) -> None:
    bare = build(MemoryStore(), MemoryFeedSource(), analyzer, FakeClock(START), FakePublisher())
    refused = await run(bare, f"/import-opml {URL}")
    assert isinstance(refused, CommandError) and "does not fetch OPML URLs" in refused.message


@pytest_asyncio.fixture
async def site() -> AsyncIterator[str]:
    async def subs(_: web.Request) -> web.Response:
        return web.Response(text=opml(*FEEDS), content_type="text/x-opml")

    app = web.Application()
    app.router.add_get("/subs.opml", subs)
    async with serve_on_loopback(app) as url:
        yield url


async def test_the_console_imports_a_url_through_the_guard_and_refuses_private_ones(
    tmp_path: Path, analyzer: Analyzer, site: str
) -> None:
    settings = load_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path}/bot.db", allow_hosts="127.0.0.1"
    )
    huge = tmp_path / "huge.opml"
    huge.write_bytes(b" " * (MAX_OPML_BYTES + 5))
    script = [
        f"/import-opml {site}/subs.opml",
        "/import-opml http://10.1.2.3/subs.opml",
        f"/import-opml {huge}",
        "/subscriptions",
    ]
    out = io.StringIO()
    await console_chat(settings, script, out, overrides=Overrides(summariser=analyzer))
    text = out.getvalue()
    assert "Imported 2 feed(s)" in text
    assert "Error: cannot import http://10.1.2.3/subs.opml: refused:" in text
    assert "Error: the OPML file is larger than 1,000,000 bytes; split it." in text
    assert all(feed in text for feed in FEEDS)


async def test_credentials_go_only_to_the_files_own_origin() -> None:
    seen: list[tuple[str, str | None]] = []

    async def record(request: web.Request) -> web.Response:
        seen.append((request.path, request.headers.get("Authorization")))
        return web.Response(body=b"<opml/>")

    elsewhere = web.Application()
    elsewhere.router.add_get("/file", record)
    async with serve_on_loopback(elsewhere) as other:

        async def start(request: web.Request) -> web.Response:
            seen.append((request.path, request.headers.get("Authorization")))
            raise web.HTTPFound(f"{other}/file")

        origin = web.Application()
        origin.router.add_get("/start", start)
        guard = UrlGuard(AllowList.parse("127.0.0.1"))
        async with serve_on_loopback(origin) as url, open_fetcher(guard) as fetcher:
            result = await fetcher.get(f"{url}/start", max_bytes=100, authorization="Bearer t")
    assert result.body == b"<opml/>"
    assert seen == [("/start", "Bearer t"), ("/file", None)]

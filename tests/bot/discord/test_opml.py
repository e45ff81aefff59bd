"""OPML on Discord: /export-opml answers with an ephemeral file; /import-opml, a file or a URL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from bot.adapters.discord import DiscordPublisher, open_discord, open_discord_client
from bot.clock import FakeClock
from bot.commands.opml_files import MAX_OPML_BYTES
from bot.engine import EngineOptions, Quotas
from bot.fakes import MemoryFeedSource
from bot.feeds.download import HttpDownloads
from bot.feeds.guard import AllowList, UrlGuard
from bot.feeds.http import open_fetcher
from bot.feeds.opml import StdlibOpml
from bot.store.memory import MemoryStore
from summaries import Analyzer
from tests.bot.discord.conftest import (
    CHANNEL,
    NOW,
    LiveDiscord,
    option,
    options_for,
    slash_payload,
)
from tests.bot.discord.standin import EVERYONE_PERMISSIONS, discord_standin
from tests.bot.discord.test_gateway_flows import EPHEMERAL, run_command
from tests.support.stack import build

pytestmark = pytest.mark.asyncio

#: Room for a 300-feed list: the default quotas (50 a channel, 200 a server) would cut it.
ROOMY = Quotas(feeds_per_tenant=1000, subscriptions_per_channel=1000, commands_per_minute=0)
ATTACHMENT = 11  # the option type of a file


def feeds(count: int) -> list[str]:
    return [f"https://outlet-{n:03d}.example/feed.xml" for n in range(count)]


def opml(*urls: str) -> bytes:
    outlines = "".join(f'<outline type="rss" text="{url}" xmlUrl="{url}"/>' for url in urls)
    return f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>'.encode()


@pytest_asyncio.fixture
async def live(analyzer: Analyzer) -> AsyncIterator[LiveDiscord]:
    source = MemoryFeedSource()
    guard = UrlGuard(AllowList.parse("127.0.0.1"))
    async with open_fetcher(guard) as fetcher, discord_standin() as standin:
        options = options_for(standin)
        async with open_discord_client(options) as client:
            publisher = DiscordPublisher(client)
            stack = build(
                MemoryStore(),
                source,
                analyzer,
                FakeClock(NOW),
                publisher,
                EngineOptions(quotas=ROOMY),
                downloads=HttpDownloads(fetcher),
            )
            async with open_discord(client, stack.commands, publisher, options) as running:
                yield LiveDiscord(standin, source, stack, running)


def import_payload(live: LiveDiscord, name: str, content: bytes, **extra: Any) -> dict[str, Any]:
    """/import-opml with `content` attached as the `file` option."""
    attached = live.standin.attach(name, content)
    payload = slash_payload("import-opml", [option("file", attached["id"], kind=ATTACHMENT)])
    payload["data"]["resolved"] = {"attachments": {attached["id"]: attached}}
    return payload | extra


async def targets(live: LiveDiscord) -> list[str]:
    record = await live.stack.engine.destination(CHANNEL)
    return [sub.target for sub in await live.stack.store.subscriptions(record.id)]


async def last_answer(live: LiveDiscord) -> dict[str, Any]:
    body: dict[str, Any] = live.standin.made("POST", "/webhooks/")[-1].body
    return body


async def test_an_export_of_300_feeds_is_an_ephemeral_file_that_imports_back(
    live: LiveDiscord,
) -> None:
    engine = live.stack.engine
    record = await engine.destination(CHANNEL)
    await engine.import_feeds(record, [(url, None) for url in feeds(300)])
    await run_command(live, slash_payload("export-opml"))
    defer = live.standin.made("POST", "/interactions/")[-1].body
    assert defer["type"] == 5 and defer["data"]["flags"] & EPHEMERAL
    answer = await last_answer(live)
    assert answer["flags"] & EPHEMERAL and "300 feed(s)" in answer["content"]
    ((name, content),) = answer["uploaded"]
    assert name.endswith(".opml") and len(content) > 2000
    outlines = StdlibOpml().parse(content.decode("utf-8"))
    assert [outline.url for outline in outlines] == feeds(300)
    for sub in await live.stack.store.subscriptions(record.id):
        await engine.unsubscribe(record, sub.id)
    assert await targets(live) == []
    await run_command(live, import_payload(live, name, content))
    assert (await last_answer(live))["content"].startswith("Imported 300 feed(s)")
    assert await targets(live) == feeds(300)


async def test_an_opml_url_is_imported_through_the_guard(live: LiveDiscord) -> None:
    served = live.standin.attach("subs.opml", opml(*feeds(3)))
    payload = slash_payload("import-opml", [option("url", served["url"])])
    await run_command(live, payload)
    assert (await last_answer(live))["content"].startswith("Imported 3 feed(s)")
    assert await targets(live) == feeds(3)


@pytest.mark.parametrize(
    ("content", "url", "expected"),
    [
        (b"<rss><channel/></rss>", None, "the root element is <rss>, not <opml>"),
        (b"x" * (MAX_OPML_BYTES + 1), None, "big.opml is larger than 1,000,000 bytes"),
        (None, "http://10.1.2.3/subs.opml", "refused:"),
        (None, None, "attach an OPML file to import, or give its URL"),
    ],
)
async def test_bad_input_is_answered_privately_in_one_line(
    live: LiveDiscord, content: bytes | None, url: str | None, expected: str
) -> None:
    if content is not None:
        payload = import_payload(live, "big.opml", content)
    else:
        payload = slash_payload("import-opml", [option("url", url)] if url else [])
    await run_command(live, payload, answers=2)
    answer = await last_answer(live)
    assert answer["flags"] & EPHEMERAL and answer["content"].startswith("Error:")
    assert expected in answer["content"] and "\n" not in answer["content"]
    assert answer["content"].endswith("Example: /import-opml url:https://example.com/subs.opml")
    assert await targets(live) == []


async def test_importing_needs_manage_channels_and_reads_no_file(live: LiveDiscord) -> None:
    payload = import_payload(live, "subs.opml", opml(*feeds(2)))
    payload["member"]["permissions"] = str(EVERYONE_PERMISSIONS)
    await run_command(live, payload, answers=0)
    refusal = live.standin.made("POST", "/interactions/")[-1].body
    assert "Manage Channels" in refusal["data"]["content"]
    assert "/import-opml url:" in refusal["data"]["content"]
    assert await targets(live) == []


async def test_an_empty_channel_exports_nothing_and_says_so(live: LiveDiscord) -> None:
    await run_command(live, slash_payload("export-opml"))
    answer = await last_answer(live)
    assert answer["flags"] & EPHEMERAL and "nothing to export" in answer["content"]
    assert "uploaded" not in answer

"""OPML on Slack: export as a file in the asker's DM, import of a shared file or an OPML URL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest
import pytest_asyncio
from aiohttp import web

from bot.adapters.slack.app import SlackAppOptions, build_slack_app, slack_http_routes
from bot.adapters.slack.publisher import SlackClientOptions, SlackPublisher, web_client
from bot.clock import FakeClock
from bot.commands.opml_files import MAX_OPML_BYTES
from bot.domain import Destination, Platform
from bot.engine import EngineOptions, Quotas
from bot.fakes import FakePublisher, MemoryFeedSource
from bot.feeds.download import HttpDownloads
from bot.feeds.guard import AllowList, UrlGuard
from bot.feeds.http import open_fetcher
from bot.feeds.opml import StdlibOpml
from bot.store.memory import MemoryStore
from summaries import Analyzer
from tests.bot.slack.signing import SECRET, post, signed, slash_fields
from tests.bot.slack.standin import TOKEN, SlackStandIn, slack_standin
from tests.support.loopback import serve_on_loopback
from tests.support.stack import Stack, build

pytestmark = pytest.mark.asyncio

NOW = datetime(2024, 1, 5, 9, 0, tzinfo=UTC)
#: Room for a 300-feed list: the default quotas (50 a channel, 200 a workspace) would cut it.
ROOMY = Quotas(feeds_per_tenant=1000, subscriptions_per_channel=1000, commands_per_minute=0)
C1 = Destination(Platform.SLACK, "T1", "C1")
C2 = Destination(Platform.SLACK, "T1", "C2")


def feeds(count: int) -> list[str]:
    return [f"https://outlet-{n:03d}.example/feed.xml" for n in range(count)]


def opml(*urls: str) -> bytes:
    outlines = "".join(f'<outline type="rss" text="{url}" xmlUrl="{url}"/>' for url in urls)
    return f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>'.encode()


def served(body: bytes) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handler(_: web.Request) -> web.Response:
        return web.Response(body=body)

    return handler


@dataclass
class Slack:
    url: str
    standin: SlackStandIn
    stack: Stack
    web: str  # a loopback web server's base, serving /subs.opml

    async def digest(self, text: str, channel: str = "C1") -> str:
        """Run `/digest <text>` in `channel`; the ephemeral answer."""
        before = len(self.standin.posts("chat.postEphemeral"))
        body = urlencode({**slash_fields(text), "channel_id": channel})
        status, _ = await post(self.url, body, signed(body))
        assert status == 200
        await self.standin.called("chat.postEphemeral", before + 1)
        return str(self.standin.posts("chat.postEphemeral")[before]["text"])

    async def targets(self, where: Destination) -> list[str]:
        record = await self.stack.engine.destination(where)
        return [sub.target for sub in await self.stack.store.subscriptions(record.id)]


@pytest_asyncio.fixture
async def slack(analyzer: Analyzer) -> AsyncIterator[Slack]:
    site = web.Application()
    site.router.add_get("/subs.opml", served(opml(*feeds(3))))
    site.router.add_get("/big.opml", served(b" " * (MAX_OPML_BYTES + 10)))
    guard = UrlGuard(AllowList.parse("127.0.0.1"))
    async with open_fetcher(guard) as fetcher, slack_standin() as standin:
        stack = build(
            MemoryStore(),
            MemoryFeedSource(),
            analyzer,
            FakeClock(NOW),
            FakePublisher(),
            EngineOptions(quotas=ROOMY),
            downloads=HttpDownloads(fetcher),
        )
        client = web_client(SlackClientOptions(TOKEN, api_url=standin.url))
        options = SlackAppOptions(signing_secret=SECRET)
        app = build_slack_app(stack.commands, client, options, SlackPublisher(client))
        async with (
            serve_on_loopback(slack_http_routes(app, options)) as url,
            serve_on_loopback(site) as site_url,
        ):
            yield Slack(f"{url}/slack/events", standin, stack, site_url)


async def test_an_export_of_300_feeds_arrives_whole_in_the_dm_and_imports_back(
    slack: Slack,
) -> None:
    record = await slack.stack.engine.destination(C1)
    await slack.stack.engine.import_feeds(record, [(url, None) for url in feeds(300)])
    answer = await slack.digest("export-opml")
    assert "direct messages" in answer and "300 feed(s)" in answer
    standin = slack.standin
    (opened,) = standin.posts("conversations.open")
    assert opened["users"] == "U1"
    (asked,) = standin.posts("files.getUploadURLExternal")
    (completed,) = standin.posts("files.completeUploadExternal")
    assert asked["filename"] == "newsdigest-C1.opml" and completed["channel_id"] == "D-U1"
    (uploaded,) = standin.files.values()
    assert int(asked["length"]) == len(uploaded.content) > 12_000
    outlines = StdlibOpml().parse(uploaded.content.decode("utf-8"))
    assert [outline.url for outline in outlines] == feeds(300)
    standin.share("U1", "C2", "newsdigest-C1.opml", uploaded.content)
    imported = await slack.digest("import-opml", channel="C2")
    assert imported.startswith("Imported 300 feed(s)")
    assert await slack.targets(C2) == await slack.targets(C1) == feeds(300)


async def test_import_takes_the_askers_newest_opml_file_with_the_bot_token(slack: Slack) -> None:
    standin = slack.standin
    standin.share("U1", "C1", "old.opml", opml(*feeds(2)))
    newest = standin.share("U1", "D-U1", "mine.opml", opml(feeds(5)[4]))
    standin.share("U1", "C1", "notes.txt", b"not an OPML file")
    standin.share("U2", "C1", "theirs.opml", opml(feeds(6)[5]))
    answer = await slack.digest("import-opml")
    assert answer.startswith("Imported 1 feed(s)")
    assert await slack.targets(C1) == [feeds(5)[4]]
    assert standin.downloads == [(newest.id, f"Bearer {TOKEN}")]
    listed = standin.posts("files.list")
    assert {(ask["user"], ask["channel"]) for ask in listed} == {("U1", "C1"), ("U1", "D-U1")}


async def test_an_opml_url_is_imported_through_the_guard(slack: Slack) -> None:
    answer = await slack.digest(f"import-opml {slack.web}/subs.opml")
    assert answer.startswith("Imported 3 feed(s)")
    assert await slack.targets(C1) == feeds(3)
    assert slack.standin.posts("files.list") == [], "a URL needs no shared file"


@pytest.mark.parametrize(
    ("shared", "text", "expected"),
    [
        (None, "import-opml", "I found no .opml file from you"),
        (b"<rss><channel/></rss>", "import-opml", "the root element is &lt;rss&gt;"),
        (b"x" * (MAX_OPML_BYTES + 1), "import-opml", "is larger than 1,000,000 bytes"),
        (None, "import-opml http://10.1.2.3/subs.opml", "refused:"),
        (None, "import-opml {web}/big.opml", "larger than 1,000,000 bytes"),
        (None, "import-opml subs.opml", "neither an attached file nor an http(s) URL"),
    ],
)
async def test_bad_input_gets_one_line_with_an_example(
    slack: Slack, shared: bytes | None, text: str, expected: str
) -> None:
    if shared is not None:
        slack.standin.share("U1", "C1", "subs.opml", shared)
    answer = await slack.digest(text.format(web=slack.web))
    assert answer.startswith("Error:") and expected in answer, answer
    assert "\n" not in answer and "Example: /digest import-opml https://" in answer
    assert await slack.targets(C1) == []


async def test_an_empty_channel_exports_nothing_and_says_so(slack: Slack) -> None:
    answer = await slack.digest("export-opml")
    assert "nothing to export" in answer and "Example: /digest subscribe" in answer
    assert slack.standin.posts("files.getUploadURLExternal") == []


async def test_a_missing_files_scope_is_explained(slack: Slack) -> None:
    record = await slack.stack.engine.destination(C1)
    await slack.stack.engine.import_feeds(record, [(url, None) for url in feeds(2)])
    slack.standin.refuse["files.getUploadURLExternal"] = "missing_scope"
    answer = await slack.digest("export-opml")
    assert answer.startswith("Error: I could not send you the OPML file (missing_scope)")
    assert "files:write" in answer and "\n" not in answer
    slack.standin.refuse["files.list"] = "missing_scope"
    answer = await slack.digest("import-opml")
    assert "files:read" in answer and "Example: /digest import-opml" in answer


async def test_guests_cannot_import_and_no_file_is_read(slack: Slack) -> None:
    slack.standin.guests.add("U1")
    slack.standin.share("U1", "C1", "subs.opml", opml(*feeds(2)))
    answer = await slack.digest("import-opml")
    assert answer.startswith("Error: only people who may manage this channel")
    assert slack.standin.downloads == [] and await slack.targets(C1) == []

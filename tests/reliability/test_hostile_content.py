"""Hostile feeds and pages from 127.0.0.1: a clean digest or a readable error, memory bounded.

Each feed is followed with `/subscribe` through the production fetch path (guard, pinned
connection, caps, feedparser, page reading, the real analyzer, a SQLite store), then `/digest` is
rendered by every renderer a platform uses: Slack blocks (bot/render/blocks.py), Discord embeds
(bot/render/embeds.py), plain text (bot/render/text.py) and Slack's ephemeral reply text. No
output may hold an active mention or a bidi override; a refused feed must be one readable line.
tracemalloc measures the peak of each case, and the peak must stay under a fixed bound.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import tracemalloc
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import pytest
import pytest_asyncio
from aiohttp import web

from bot.adapters.slack.listeners import reply_text
from bot.app.reading import routed_source
from bot.clock import FakeClock
from bot.commands.links import LinkFailed, LinkReader
from bot.commands.replies import (
    CommandError,
    CommandRequest,
    CommandResult,
    DigestReply,
    Subscribed,
)
from bot.config import load_settings
from bot.domain import Destination, Digest, Platform
from bot.fakes import FakePublisher
from bot.feeds.source import open_http_feed_source
from bot.render.blocks import render_digest_blocks
from bot.render.embeds import render_digest_embeds
from bot.render.text import render_digest, render_text
from bot.store.sql import open_store
from summaries import Analyzer
from tests.reliability.conftest import BIDI_CONTROLS, active_mentions, loopback_site
from tests.support.stack import Stack, build

pytestmark = pytest.mark.asyncio

NOW = datetime(2024, 1, 5, 12, 0, tzinfo=UTC)
CHANNEL = Destination(Platform.SLACK, "T1", "C-hostile")
MENTIONS = (
    "@everyone",
    "@here",
    "@channel",
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!subteam^S0123|@oncall>",
    "<@U0123ABCD>",
    "<@123456789012345678>",
    "<@!123456789012345678>",
    "<@&987654321098765432>",
    "<#C0123ABCD>",
)
MARKUP = (
    "*bold* _it_ ~strike~ `code` ```block```",
    "<https://evil.example|click here>",
    "**bold** __under__ ||spoiler|| [phish](https://evil.example) # heading",
    "> quoted",
)
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
RTL = "\u202e\u2067\u200f\u061c"
MB = 1_000_000


def hostile(n: int) -> str:
    """One hostile line: mentions, markup, zero-width and right-to-left characters."""
    mention = MENTIONS[n % len(MENTIONS)]
    return f"{mention} {MARKUP[n % len(MARKUP)]} {INVISIBLE} {RTL}gnp.exe {mention}"


def page(n: int) -> str:
    """An article page whose every part is hostile, long enough to summarise."""
    sentences = " ".join(
        f"The harbour council of Lindmoor met on Thursday for the {k + 1}th time, and "
        f"{hostile(n + k)} was written on the notice board by Councillor Ilse Brandt."
        for k in range(8)
    )
    return (
        f"<!doctype html><html><head><title>{xml_escape(hostile(n))} harbour news</title>"
        f"</head><body><article><h1>{xml_escape(hostile(n + 1))} Harbour council meets</h1>"
        f"<p>{xml_escape(sentences)}</p></article></body></html>"
    )


def rss(items: list[str], title: str = "Hostile Post") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://127.0.0.1/</link>{''.join(items)}</channel></rss>"
    ).encode()


def item(n: int, title: str, link: str, description: str = "") -> str:
    when = format_datetime(NOW - timedelta(minutes=n))
    return (
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>{when}</pubDate><description>{description}</description></item>"
    )


def mentions_feed() -> bytes:
    items = [
        item(n, xml_escape(hostile(n)), f"/page/{n}", xml_escape(hostile(n + 3))) for n in range(6)
    ]
    return rss(items, xml_escape(hostile(99)))


def huge_feed() -> bytes:
    items = [
        item(n, f"Item {n} {xml_escape(hostile(n)) if n % 100 == 0 else ''}", f"/missing/{n}")
        for n in range(10_000)
    ]
    return rss(items)


def titled_feed(title_chars: int) -> bytes:
    title = ("@everyone <!channel> " * (title_chars // 21 + 1))[:title_chars]
    return rss([item(0, xml_escape(title), "/page/1")])


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>http://127.0.0.1/page/1</link></item></channel></rss>"""

PADDED_LAUGHS = BILLION_LAUGHS.replace(b"<!DOCTYPE rss [", b"<!DOCTYPE rss [" + b" " * 300_000)
XXE = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&xxe;</title>
<item><title>&xxe;</title><link>http://127.0.0.1/page/1</link></item></channel></rss>"""

#: Titles with an invalid continuation, stray bytes, an encoded surrogate and a broken 4-byte form.
BAD_UTF8 = rss(
    [item(n, f"BROKEN {xml_escape(hostile(n))}", f"/page/{n}") for n in range(3)]
).replace(b"BROKEN", b"Caf\xc3\x28 \xff\xfe \xed\xa0\x80 \xf0\x28\x8c\x28")


@dataclass(frozen=True)
class Case:
    """A hostile feed: where it is served, and the tracemalloc peak it must stay under."""

    path: str
    body: bytes
    peak_limit: int
    content_type: str = "application/rss+xml"
    gzip: bool = False
    rss: bool = False  # measure the peak resident set instead (tracemalloc slows feedparser 11x)


CASES = {
    "mentions-markup-zero-width-rtl": Case("/feed/mentions.xml", mentions_feed(), 60 * MB),
    "10000-items": Case("/feed/huge.xml", huge_feed(), 150 * MB, rss=True),
    "5mb-title": Case("/feed/title-5mb.xml", titled_feed(5 * MB), 60 * MB),
    "5mb-title-gzipped": Case("/feed/title-5mb.xml.gz", titled_feed(5 * MB), 60 * MB, gzip=True),
    "2mb-title": Case("/feed/title-2mb.xml", titled_feed(2 * MB), 150 * MB),
    "billion-laughs": Case("/feed/laughs.xml", BILLION_LAUGHS, 20 * MB),
    "billion-laughs-padded": Case("/feed/laughs-padded.xml", PADDED_LAUGHS, 20 * MB),
    "xxe": Case("/feed/xxe.xml", XXE, 20 * MB),
    "malformed-utf8": Case("/feed/bad-utf8.xml", BAD_UTF8, 60 * MB),
    "malformed-utf8-json": Case(
        "/feed/bad.json",
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "\xff\xfe <!channel>", '
        b'"items": [{"id": "1", "url": "/page/2", "title": "\xc3\x28 @everyone"}]}',
        60 * MB,
        content_type="application/feed+json",
    ),
}
#: Outcomes that are a readable error rather than a digest.
REFUSALS = {
    "5mb-title": "larger than 5,000,000 bytes",
    "5mb-title-gzipped": "larger than 5,000,000 bytes",
    "billion-laughs": "feeds declaring XML entities are refused",
    "billion-laughs-padded": "feeds declaring XML entities are refused",
    "xxe": "feeds declaring XML entities are refused",
}


def serve(case: Case) -> web.Response:
    if case.gzip:
        return web.Response(
            body=gzip.compress(case.body, 1),
            headers={"Content-Type": case.content_type, "Content-Encoding": "gzip"},
        )
    return web.Response(body=case.body, headers={"Content-Type": case.content_type})


@dataclass
class Site:
    url: str
    stack: Stack
    links: LinkReader
    flip: list[bytes]


@pytest_asyncio.fixture
async def site(analyzer: Analyzer, tmp_path: Path) -> AsyncIterator[Site]:
    async def feed(request: web.Request) -> web.Response:
        return serve(next(c for c in CASES.values() if c.path == request.path))

    async def article(request: web.Request) -> web.Response:
        number = int(request.match_info["n"])
        if number == 2:  # a page in broken UTF-8 that claims to be UTF-8
            body = page(number).encode().replace(b"harbour", b"harb\xff\xc3\x28ur")
            return web.Response(body=body, headers={"Content-Type": "text/html; charset=utf-8"})
        return web.Response(text=page(number), content_type="text/html")

    flip = [mentions_feed()]

    async def flipping(request: web.Request) -> web.Response:
        return web.Response(body=flip[-1], headers={"Content-Type": "application/rss+xml"})

    routes = {case.path: feed for case in CASES.values()}
    routes["/page/{n}"] = article
    routes["/feed/flip.xml"] = flipping
    async with (
        loopback_site(routes) as base,
        open_store(f"sqlite+aiosqlite:///{tmp_path}/hostile.db") as store,
        open_http_feed_source("127.0.0.1") as web_source,
    ):
        source = routed_source(load_settings().feed_dirs, web_source)
        stack = build(store, source, analyzer, FakeClock(NOW), FakePublisher())
        yield Site(base, stack, LinkReader(stack.engine), flip)


@contextlib.contextmanager
def peak_memory(case: Case) -> Iterator[list[int]]:
    """The peak memory of the block, in bytes: tracemalloc's, or the resident set's growth."""
    found: list[int] = []
    if case.rss:
        before = resident_peak(reset=True)
        yield found
        found.append(resident_peak() - before)
        return
    tracemalloc.start()
    try:
        yield found
        found.append(tracemalloc.get_traced_memory()[1])
    finally:
        tracemalloc.stop()


def resident_peak(reset: bool = False) -> int:
    """VmHWM of this process (Linux); `reset` first brings it down to the current size."""
    if reset:
        Path("/proc/self/clear_refs").write_text("5")
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM in /proc/self/status")


def outputs(result: CommandResult | Digest) -> list[str]:
    """Everything a platform would be sent for a result, as text."""
    texts = [reply_text(result)] if not isinstance(result, Digest) else []
    digest = result.digest if isinstance(result, DigestReply) else result
    if isinstance(digest, Digest):
        texts.append(json.dumps(render_digest_blocks(digest), ensure_ascii=False))
        texts.append(json.dumps(render_digest_embeds(digest), ensure_ascii=False))
        texts.append(render_digest(digest))
    else:
        texts.append(render_text(result))
    return texts


def assert_inert(texts: list[str]) -> None:
    for text in texts:
        assert active_mentions(text) == [], active_mentions(text)[:5]
        assert BIDI_CONTROLS.search(text) is None


def assert_slack_and_discord_limits(digest: Digest) -> None:
    for message in render_digest_blocks(digest):
        assert len(message["blocks"]) <= 50 and len(message["text"]) <= 3000
        for block in message["blocks"]:
            text = block.get("text", {}).get("text", "")
            assert len(text) <= (150 if block["type"] == "header" else 3000)
    for payload in render_digest_embeds(digest):
        assert payload["allowed_mentions"] == {"parse": []}
        assert len(payload["content"]) <= 2000 and len(payload["embeds"]) <= 10
        for embed in payload["embeds"]:
            assert len(embed["title"]) <= 256 and len(embed["description"]) <= 4096


def one_readable_line(message: str) -> None:
    assert "\n" not in message and "Traceback" not in message and len(message) < 400, message


SLOW_CASES = {"10000-items", "2mb-title"}


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=pytest.mark.slow) if n in SLOW_CASES else n for n in CASES]
)
async def test_a_hostile_feed_gives_a_clean_digest_or_a_readable_error(
    site: Site, name: str
) -> None:
    case = CASES[name]
    url = f"{site.url}{case.path}"
    with peak_memory(case) as peak:
        answer = await site.stack.commands.handle(CommandRequest(CHANNEL, f"/subscribe {url}"))
        assert_inert(outputs(answer))
        if name in REFUSALS:
            assert isinstance(answer, CommandError), answer
            one_readable_line(answer.message)
            assert REFUSALS[name] in answer.message
        else:
            assert isinstance(answer, Subscribed), answer
            assert answer.new_articles == (50 if name == "10000-items" else answer.new_articles)
            digest = await site.stack.commands.handle(CommandRequest(CHANNEL, "/digest"))
            assert isinstance(digest, DigestReply) and digest.digest.entries, digest
            assert_inert(outputs(digest))
            assert_slack_and_discord_limits(digest.digest)
            listed = await site.stack.commands.handle(CommandRequest(CHANNEL, "/subscriptions"))
            assert_inert(outputs(listed))
    how = "resident set growth" if case.rss else "tracemalloc peak"
    print(f"{name}: {how} {peak[0] / MB:.1f} MB (bound {case.peak_limit / MB:.0f} MB)")
    assert peak[0] < case.peak_limit


async def test_hostile_shared_links_are_answered_inertly(site: Site) -> None:
    for number in (1, 2, 3):
        digest = await site.links.digest(f"{site.url}/page/{number}")
        assert not isinstance(digest, LinkFailed), digest
        assert digest.entries
        assert_inert(outputs(digest))
        assert_slack_and_discord_limits(digest)


async def test_a_feed_that_turns_hostile_records_a_readable_health_line(site: Site) -> None:
    url = f"{site.url}/feed/flip.xml"
    answer = await site.stack.commands.handle(CommandRequest(CHANNEL, f"/subscribe {url}"))
    assert isinstance(answer, Subscribed) and answer.feed is not None
    site.flip.append(BILLION_LAUGHS)  # the next poll finds entity declarations
    result = await site.stack.engine.ingestor.poll(answer.feed)
    assert result.error == "feeds declaring XML entities are refused" and result.permanent
    listed = await site.stack.commands.handle(CommandRequest(CHANNEL, "/subscriptions"))
    shown = outputs(listed)
    assert_inert(shown)
    assert "feeds declaring XML entities are refused" in shown[0]

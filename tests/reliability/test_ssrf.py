"""SSRF: crafted URLs are refused before any connection, through every path that fetches.

Each URL goes through the paths production uses, wired as bot/app/ wires them: a feed poll
(`RoutedFeedSource` over `HttpFeedSource`, `routed_source`), an article page, a link shared in chat
(`LinkReader`) and `/subscribe` (`Commands`). Only DNS is replaced (a table, through the guard's
`resolve` seam). A canary listener on 127.0.0.1 (and ::1) must see no connection, and the event
loop's connection log must show nothing but the one allowed redirect origin, `origin.test`, a
server on 127.0.0.1 that only ever answers with a redirect to a refused address.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
import pytest_asyncio
from aiohttp import web

from bot.app.reading import routed_source
from bot.clock import FakeClock
from bot.commands.links import LinkFailed, LinkReader
from bot.commands.replies import CommandError, CommandRequest, Subscribed
from bot.config import load_settings
from bot.domain import Destination, Platform, SubscriptionKind
from bot.fakes import FakePublisher, TableResolver
from bot.feeds.guard import AllowList, UrlGuard
from bot.feeds.http import FetchOptions, open_fetcher
from bot.feeds.source import HttpFeedSource
from bot.ports import FeedEntry, FeedError, FeedSource, Validators
from bot.store.memory import MemoryStore
from summaries import Analyzer
from tests.reliability.conftest import (
    Canary,
    ConnectionLog,
    canary_listener,
    loopback_site,
    observed_connections,
)
from tests.support.stack import Stack, build
from tests.support.waiting import wait_until

pytestmark = pytest.mark.asyncio

CHANNEL = Destination(Platform.SLACK, "T1", "C-ssrf")
ORIGIN = "origin.test"  # the one allowed host: it redirects, and is the only thing ever dialled
DNS: dict[str, list[str]] = {
    ORIGIN: ["127.0.0.1"],
    "localhost": ["127.0.0.1", "::1"],
    "sub.localhost": ["127.0.0.1"],  # systemd-resolved answers every *.localhost so
    "intranet.example": ["127.0.0.1"],
    "metadata.example": ["169.254.169.254"],
    "private.example": ["10.1.2.3"],
    "mixed.example": ["93.184.216.34", "127.0.0.1"],  # one private answer refuses the name
    "v6.internal.example": ["::1"],
    "mapped.example": ["::ffff:127.0.0.1"],
    "ula.example": ["fd12:3456::1"],
}

#: Refused URLs; {p} is the canary's port on 127.0.0.1, {p6} its port on ::1.
DIRECT = [
    # loopback, in every spelling
    "http://127.0.0.1:{p}/feed.xml",
    "https://127.0.0.1:{p}/feed.xml",
    "http://2130706433:{p}/",  # decimal
    "http://0177.0.0.1:{p}/",  # octal
    "http://017700000001:{p}/",  # octal, one number
    "http://0x7f.0.0.1:{p}/",  # hex, dotted
    "http://0x7f000001:{p}/",  # hex, one number
    "http://127.1:{p}/",  # short form
    "http://127.0.1:{p}/",
    "http://127.000.000.001:{p}/",  # zero-padded
    "http://\uff11\uff12\uff17.\uff10.\uff10.\uff11:{p}/",  # full-width digits
    "http://[::1]:{p6}/",
    "http://[::ffff:127.0.0.1]:{p}/",  # IPv4-mapped IPv6
    "http://[::ffff:7f00:1]:{p}/",
    "http://[0:0:0:0:0:ffff:127.0.0.1]:{p}/",
    "http://[::127.0.0.1]:{p}/",  # IPv4-compatible IPv6
    "http://[2002:7f00:1::]:{p}/",  # 6to4 around 127.0.0.1
    "http://[64:ff9b::7f00:1]:{p}/",  # NAT64 around 127.0.0.1
    "http://localhost:{p}/",
    "http://LOCALHOST.:{p}/",
    "http://sub.localhost:{p}/",
    "http://0.0.0.0:{p}/",  # Linux delivers 0.0.0.0 to the local host
    "http://0:{p}/",
    # link-local, the cloud metadata service among them
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://[::ffff:169.254.169.254]/latest/meta-data/",
    "http://[fe80::1]/",
    "http://[fe80::1%25lo]:{p}/",
    # private, shared and other non-public ranges
    "http://10.0.0.5/",
    "http://172.16.3.4/",
    "http://192.168.0.1/",
    "http://100.64.0.1/",
    "http://[fd00::1]/",
    "http://[fec0::1]/",  # IPv6 site-local (deprecated, still routed by old networks)
    "http://224.0.0.1/",
    "http://[ff02::1]/",
    # names that resolve to non-public addresses
    "http://intranet.example:{p}/feed.xml",
    "http://metadata.example/latest/meta-data/",
    "http://private.example/",
    "http://mixed.example:{p}/",
    "http://v6.internal.example:{p6}/",
    "http://mapped.example:{p}/",
    "http://ula.example/",
    "http://nowhere.example/",
    # credentials and userinfo tricks
    "http://user:secret@127.0.0.1:{p}/",
    "http://origin.test@127.0.0.1:{p}/",
    # schemes other than HTTP(S)
    "file:///etc/passwd",
    "file://localhost/etc/passwd",
    "gopher://127.0.0.1:{p}/_GET%20/",
    "ftp://127.0.0.1:{p}/feed.xml",
    "dict://127.0.0.1:{p}/info",
    "ws://127.0.0.1:{p}/",
    "ldap://127.0.0.1:{p}/",
    "jar:http://127.0.0.1:{p}/x.jar!/",
    "javascript:alert(1)",
    "data:text/html,<h1>hi</h1>",
]

#: Where the allowed origin redirects to: each must be refused at that hop.
REDIRECT_TARGETS = [
    "http://127.0.0.1:{p}/feed.xml",
    "http://2130706433:{p}/",
    "//127.0.0.1:{p}/",  # scheme-relative
    "http://localhost:{p}/",
    "http://[::ffff:127.0.0.1]:{p}/",
    "http://[::1]:{p6}/",
    "http://169.254.169.254/latest/meta-data/",
    "http://intranet.example:{p}/",
    "http://10.0.0.5/",
    "file:///etc/passwd",
    "gopher://127.0.0.1:{p}/",
    "/hop?to=http%3A%2F%2F127.0.0.1%3A{p}%2F",  # a second hop on the origin, then the canary
]


def fill(template: str, canary: Canary) -> str:
    return template.format(p=canary.port, p6=canary.port6 or canary.port)


@dataclass
class Rig:
    canary: Canary
    origin: str
    origin_hits: list[str]
    source: FeedSource
    stack: Stack
    links: LinkReader
    connections: ConnectionLog


@pytest_asyncio.fixture
async def rig(analyzer: Analyzer) -> AsyncIterator[Rig]:
    hits: list[str] = []

    async def hop(request: web.Request) -> web.Response:
        hits.append(request.query["to"])
        raise web.HTTPFound(request.query["to"])

    async with canary_listener() as canary, loopback_site({"/hop": hop}) as site:
        port = int(site.rsplit(":", 1)[1])
        guard = UrlGuard(AllowList.parse(ORIGIN), resolve=TableResolver(DNS))
        options = FetchOptions(connect_timeout=2, total_timeout=5)
        settings = load_settings(allow_hosts=ORIGIN)
        loop = asyncio.get_running_loop()
        async with open_fetcher(guard, options) as fetcher:
            source = routed_source(settings.feed_dirs, HttpFeedSource(fetcher))
            clock = FakeClock(datetime(2024, 1, 5, 9, tzinfo=UTC))
            stack = build(MemoryStore(), source, analyzer, clock, FakePublisher())
            with observed_connections(loop) as connections:
                yield Rig(
                    canary,
                    f"http://{ORIGIN}:{port}",
                    hits,
                    source,
                    stack,
                    LinkReader(stack.engine),
                    connections,
                )
        assert canary.seen == [], f"the canary was reached: {canary.seen}"


async def refused_everywhere(rig: Rig, url: str) -> list[str]:
    """The reasons each path gives for `url`; asserts every path refused it."""
    reasons: list[str] = []
    for fetch in (
        lambda: rig.source.fetch(url, Validators()),
        lambda: rig.source.article(FeedEntry(url=url)),
    ):
        with pytest.raises(FeedError) as refused:
            await fetch()
        assert refused.value.permanent, (url, refused.value.reason)
        reasons.append(refused.value.reason)
    shared = await rig.links.digest(url)
    assert isinstance(shared, LinkFailed), url
    reasons.append(shared.reason)
    answer = await rig.stack.commands.handle(CommandRequest(CHANNEL, f"/subscribe {url}"))
    if "://" in url:
        assert isinstance(answer, CommandError), (url, answer)
        reasons.append(answer.message)
    else:  # "javascript:alert(1)" is no feed address: it is followed as a topic, never fetched
        assert isinstance(answer, Subscribed), (url, answer)
        assert answer.subscription.kind is SubscriptionKind.TOPIC
    return reasons


def is_a_refusal(reason: str) -> bool:
    return any(
        words in reason
        for words in ("refused:", "local files are read only", "cannot follow", "no such file")
    )


async def test_at_least_40_crafted_urls_are_refused_before_any_connection(rig: Rig) -> None:
    urls = [fill(template, rig.canary) for template in DIRECT]
    assert len(set(urls)) >= 40
    for url in urls:
        reasons = await refused_everywhere(rig, url)
        assert all(is_a_refusal(reason) for reason in reasons), (url, reasons)
    assert rig.connections.attempts == [], rig.connections.attempts
    record = await rig.stack.channel(CHANNEL)
    subscriptions = await rig.stack.store.subscriptions(record.id)
    assert all(sub.kind is SubscriptionKind.TOPIC for sub in subscriptions)


async def test_redirects_from_the_allowed_origin_to_refused_addresses_stop_there(
    rig: Rig,
) -> None:
    origin_port = int(rig.origin.rsplit(":", 1)[1])
    for template in REDIRECT_TARGETS:
        url = f"{rig.origin}/hop?to={quote(fill(template, rig.canary), safe='')}"
        reasons = await refused_everywhere(rig, url)
        assert all("refused:" in reason for reason in reasons), (url, reasons)
    assert rig.connections.ports() == {origin_port}, rig.connections.attempts
    assert len(rig.origin_hits) == 4 * (len(REDIRECT_TARGETS) + 1)  # 4 paths, one double hop


async def test_the_canary_itself_is_reachable_when_allowed(analyzer: Analyzer) -> None:
    """The proof is live: the same rig does reach the canary once the allow-list admits it."""
    async with canary_listener() as canary:
        guard = UrlGuard(AllowList.parse("127.0.0.1"), resolve=TableResolver(DNS))
        async with open_fetcher(guard, FetchOptions(connect_timeout=2, total_timeout=5)) as f:
            with pytest.raises(FeedError):
                await HttpFeedSource(f).fetch(f"http://127.0.0.1:{canary.port}/", Validators())
        # the canary records on its own task (aiohttp retries a GET once when the server hangs up)
        await wait_until(lambda: canary.seen, "the canary's connection", timeout=1, interval=0.01)

"""The HTTP seam against a real aiohttp server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import gzip
import zlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
import pytest_asyncio
from aiohttp import web

from bot.feeds.guard import AllowList, UrlGuard, UrlRefusedError
from bot.feeds.http import (
    USER_AGENT,
    BodyTooLargeError,
    FetchOptions,
    HttpFetcher,
    HttpStatusError,
    open_fetcher,
    retry_after,
)
from bot.feeds.politeness import HostWaitError
from bot.ports import FeedError, Validators
from tests.support.loopback import serve_on_loopback

pytestmark = pytest.mark.asyncio

FEED = b"<rss version='2.0'><channel><title>T</title></channel></rss>"
LIMIT = 1_000_000


async def conditional(request: web.Request) -> web.Response:
    if request.headers.get("If-None-Match") == '"v1"':
        return web.Response(status=304)
    assert request.headers["User-Agent"] == USER_AGENT
    return web.Response(body=FEED, headers={"ETag": '"v1"', "Content-Type": "application/rss+xml"})


async def redirect_chain(request: web.Request) -> web.Response:
    hops = int(request.match_info["hops"])
    if hops == 0:
        return web.Response(body=FEED)
    raise web.HTTPFound(f"/hops/{hops - 1}")


async def slow_hops(request: web.Request) -> web.Response:
    hops = int(request.match_info["hops"])
    await asyncio.sleep(0.15)  # each hop well within the timeout, all of them together not
    if hops == 0:
        return web.Response(body=FEED)
    raise web.HTTPFound(f"/slow-hops/{hops - 1}")


async def to_private(request: web.Request) -> web.Response:
    raise web.HTTPFound("http://10.0.0.5/feed.xml")


async def slow(request: web.Request) -> web.Response:
    await asyncio.sleep(5)  # the client gives up after 0.5 s; the server task is cancelled
    return web.Response(body=FEED)


async def huge(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse()
    await response.prepare(request)
    chunk = b"x" * 65_536
    for _ in range(50 * 16):  # 50 MB, if anyone read it all
        await response.write(chunk)
    return response


async def bomb(request: web.Request) -> web.Response:
    packed = gzip.compress(b"\0" * (20 * LIMIT))
    return web.Response(body=packed, headers={"Content-Encoding": "gzip"})


async def zipped(request: web.Request) -> web.Response:
    return web.Response(body=gzip.compress(FEED), headers={"Content-Encoding": "gzip"})


async def raw_deflate(request: web.Request) -> web.Response:
    packer = zlib.compressobj(wbits=-15)
    body = packer.compress(FEED) + packer.flush()
    return web.Response(body=body, headers={"Content-Encoding": "deflate"})


async def throttled(request: web.Request) -> web.Response:
    return web.Response(status=429, headers={"Retry-After": "120"})


async def gone(request: web.Request) -> web.Response:
    return web.Response(status=410)


async def host_header(request: web.Request) -> web.Response:
    return web.Response(text=request.host)


async def unavailable(request: web.Request) -> web.Response:
    request.app[HITS].append(request.path)
    return web.Response(status=503, headers={"Retry-After": "30"})


async def peer(request: web.Request) -> web.Response:
    assert request.transport is not None
    return web.Response(text=str(request.transport.get_extra_info("peername")[1]))


async def hits(request: web.Request) -> web.Response:
    return web.Response(text=str(len(request.app[HITS])))


HITS = web.AppKey("hits", list[str])


@pytest_asyncio.fixture
async def server() -> AsyncIterator[str]:
    app = web.Application()
    app.add_routes(
        [
            web.get("/feed.xml", conditional),
            web.get("/hops/{hops}", redirect_chain),
            web.get("/to-private", to_private),
            web.get("/slow-hops/{hops}", slow_hops),
            web.get("/slow", slow),
            web.get("/huge", huge),
            web.get("/bomb", bomb),
            web.get("/zipped", zipped),
            web.get("/deflate", raw_deflate),
            web.get("/throttled", throttled),
            web.get("/gone", gone),
            web.get("/host", host_header),
            web.get("/unavailable", unavailable),
            web.get("/hits", hits),
            web.get("/peer", peer),
        ]
    )
    app[HITS] = []
    async with serve_on_loopback(app) as url:
        yield url


@pytest_asyncio.fixture
async def fetcher() -> AsyncIterator[HttpFetcher]:
    """A fetcher whose timeouts a loopback answer never meets, even on a busy machine."""
    guard = UrlGuard(AllowList.parse("127.0.0.1"))
    options = FetchOptions(total_timeout=5, connect_timeout=5, max_bytes=LIMIT)
    async with open_fetcher(guard, options) as fetcher:
        yield fetcher


@pytest_asyncio.fixture
async def impatient() -> AsyncIterator[HttpFetcher]:
    """A fetcher that gives up after 0.5 s in all: the timeout tests' own."""
    guard = UrlGuard(AllowList.parse("127.0.0.1"))
    options = FetchOptions(total_timeout=0.5, connect_timeout=0.5, max_bytes=LIMIT)
    async with open_fetcher(guard, options) as fetcher:
        yield fetcher


async def test_conditional_get_answers_not_modified(server: str, fetcher: HttpFetcher) -> None:
    first = await fetcher.get(f"{server}/feed.xml")
    assert (first.status, first.body, first.headers["etag"]) == (200, FEED, '"v1"')
    assert first.content_type == "application/rss+xml"
    again = await fetcher.get(f"{server}/feed.xml", Validators(etag='"v1"'))
    assert again.not_modified and again.body == b""


async def test_redirects_are_followed_up_to_five(server: str, fetcher: HttpFetcher) -> None:
    landed = await fetcher.get(f"{server}/hops/5")
    assert landed.url == f"{server}/hops/0" and landed.body == FEED
    with pytest.raises(FeedError, match="more than 5 redirects"):
        await fetcher.get(f"{server}/hops/6")


async def test_a_redirect_to_a_private_address_is_refused(
    server: str, fetcher: HttpFetcher
) -> None:
    with pytest.raises(UrlRefusedError) as refused:
        await fetcher.get(f"{server}/to-private")
    assert refused.value.reason == "refused: 10.0.0.5 is a private address"


async def test_loopback_without_the_allow_list_is_refused(server: str) -> None:
    async with open_fetcher(UrlGuard()) as fetcher:
        with pytest.raises(UrlRefusedError, match="loopback"):
            await fetcher.get(f"{server}/feed.xml")


async def test_a_slow_server_times_out(server: str, impatient: HttpFetcher) -> None:
    with pytest.raises(FeedError) as failed:
        await impatient.get(f"{server}/slow")
    assert failed.value.reason == "timed out"


async def test_a_50_mb_body_stops_at_the_cap(server: str) -> None:
    guard = UrlGuard(AllowList.parse("127.0.0.1"))
    async with open_fetcher(guard, FetchOptions(total_timeout=5, max_bytes=LIMIT)) as fetcher:
        with pytest.raises(BodyTooLargeError) as failed:
            await fetcher.get(f"{server}/huge")
    assert failed.value.reason == "the response is larger than 1,000,000 bytes"


async def test_a_gzip_bomb_stops_at_the_cap(server: str) -> None:
    # its own generous deadline: on a loaded machine 0.2 s can pass before the cap is reached
    guard = UrlGuard(AllowList.parse("127.0.0.1"))
    async with open_fetcher(guard, FetchOptions(total_timeout=5, max_bytes=LIMIT)) as fetcher:
        with pytest.raises(BodyTooLargeError):
            await fetcher.get(f"{server}/bomb")


async def test_gzip_and_raw_deflate_bodies_are_decoded(server: str, fetcher: HttpFetcher) -> None:
    assert (await fetcher.get(f"{server}/zipped")).body == FEED
    assert (await fetcher.get(f"{server}/deflate")).body == FEED


async def test_429_carries_retry_after(server: str, fetcher: HttpFetcher) -> None:
    with pytest.raises(HttpStatusError) as failed:
        await fetcher.get(f"{server}/throttled")
    error = failed.value
    assert (error.status, error.retry_after, error.permanent) == (429, 120.0, False)
    assert error.reason == "HTTP 429; retry after 120 s"


async def test_410_is_permanent(server: str, fetcher: HttpFetcher) -> None:
    with pytest.raises(HttpStatusError) as failed:
        await fetcher.get(f"{server}/gone")
    assert failed.value.permanent and failed.value.reason == "HTTP 410"


async def test_nothing_listening_is_a_one_line_error(fetcher: HttpFetcher) -> None:
    with pytest.raises(FeedError) as failed:
        await fetcher.get("http://127.0.0.1:9/feed.xml")
    assert failed.value.reason == "cannot connect to 127.0.0.1:9"


async def test_retry_after_reads_seconds_and_dates() -> None:
    now = datetime(2024, 1, 5, 12, 0, tzinfo=UTC)
    assert retry_after("30") == 30.0
    assert retry_after("Fri, 05 Jan 2024 12:01:00 GMT", now) == 60.0
    assert retry_after("soon") is None and retry_after(None) is None


async def test_a_host_that_asked_to_wait_is_not_asked_again_until_then(server: str) -> None:
    now = [0.0]
    guard = UrlGuard(AllowList.parse("127.0.0.1"))
    async with open_fetcher(guard, FetchOptions(total_timeout=2), clock=lambda: now[0]) as fetcher:
        with pytest.raises(HttpStatusError, match="HTTP 503; retry after 30 s"):
            await fetcher.get(f"{server}/unavailable")
        now[0] = 10.0
        with pytest.raises(HostWaitError) as waiting:
            await fetcher.get(f"{server}/unavailable")
        assert waiting.value.retry_after == 20.0 and not waiting.value.permanent
        assert waiting.value.reason == "127.0.0.1 asked us to wait; retry after 20 s"
        now[0] = 31.0
        assert (await fetcher.get(f"{server}/hits")).body == b"1", "the wait was kept"


async def test_international_names_connect_to_the_address_the_guard_checked(server: str) -> None:
    port = server.rsplit(":", 1)[1]
    asked: list[str] = []

    async def dns(host: str, port: int) -> list[str]:
        asked.append(host)
        return ["127.0.0.1"] if host == "xn--bcher-kva.example" else []

    guard = UrlGuard(AllowList.parse("127.0.0.1"), resolve=dns)
    async with open_fetcher(guard, FetchOptions(total_timeout=2)) as fetcher:
        landed = await fetcher.get(f"http://bücher.example:{port}/host")
    assert landed.body == f"xn--bcher-kva.example:{port}".encode()
    assert asked == ["xn--bcher-kva.example"]


@pytest.mark.parametrize(("keep_alive", "reused"), [(None, False), (5.0, True)])
async def test_connections_close_after_each_response_unless_kept_alive(
    server: str, keep_alive: float | None, reused: bool
) -> None:
    guard = UrlGuard(AllowList.parse("127.0.0.1"))
    options = FetchOptions(total_timeout=2, keep_alive=keep_alive)
    async with open_fetcher(guard, options) as fetcher:
        first = await fetcher.get(f"{server}/peer")
        second = await fetcher.get(f"{server}/peer")
    assert (first.body == second.body) is reused  # the same client port means the same socket


async def test_the_timeout_covers_every_hop_together(server: str, impatient: HttpFetcher) -> None:
    assert (await impatient.get(f"{server}/slow-hops/0")).body == FEED
    with pytest.raises(FeedError) as failed:
        await impatient.get(f"{server}/slow-hops/4")
    assert failed.value.reason == "timed out" and failed.value.url == f"{server}/slow-hops/4"


async def test_a_name_lookup_that_never_answers_times_out() -> None:
    async def silent_dns(host: str, port: int) -> list[str]:
        await asyncio.Event().wait()
        return []

    guard = UrlGuard(resolve=silent_dns)
    async with open_fetcher(guard, FetchOptions(total_timeout=0.2)) as fetcher:
        with pytest.raises(FeedError, match="timed out"):
            await fetcher.get("http://news.example/feed.xml")

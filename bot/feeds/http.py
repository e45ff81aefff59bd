"""The one outbound HTTP seam: guarded, pinned, capped, polite, conditional.

Every request goes through `HttpFetcher.get`:
1. the guard admits the URL and pins the address the connection goes to;
2. politeness (bot/feeds/politeness.py): a few requests per host at a time, and none to a host
   that asked us (429/503 with Retry-After) to wait;
3. the request carries the User-Agent and the conditional-GET validators;
4. a redirect is followed by hand (at most `max_redirects`), each hop admitted by the guard again;
5. the body is read up to `max_bytes` and decompressed up to `max_bytes`, never more;
6. 304 is "nothing new"; 429/503 carry Retry-After; any other failure is a one-line FeedError.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import logging
import socket
import time
import zlib
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from bot.feeds.guard import PinnedTarget, UrlGuard
from bot.feeds.politeness import HostSlots, HostWaitError, HostWaits
from bot.ports import FeedError, Validators

log = logging.getLogger(__name__)

USER_AGENT = "newsdigest/0.1 (self-hosted news digest bot; +https://github.com/newsdigest)"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 65_536


@dataclass(frozen=True)
class FetchOptions:
    """Limits of every outbound request.

    Attributes:
        connect_timeout: Seconds to establish a connection.
        total_timeout: Seconds for a whole fetch: name lookups, redirects and bodies included.
        max_bytes: Largest body, as sent and after decompression.
        max_redirects: Redirects followed, each admitted by the guard again.
        per_host: Requests in flight to one host at a time.
        user_agent: Who we say we are.
        longest_host_wait: Longest pause a host's Retry-After can impose on all its URLs.
        keep_alive: Seconds an idle connection is kept for reuse; None closes each one after its
            response. Polling thousands of hosts, idle connections would pile up (a socket and
            ~8 KiB each, 80 MiB and 10,000 descriptors for 10,000 feeds) for little reuse.
    """

    connect_timeout: float = 10.0
    total_timeout: float = 30.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    per_host: int = 2
    user_agent: str = USER_AGENT
    longest_host_wait: float = 3600.0
    keep_alive: float | None = None


@dataclass(frozen=True)
class FetchResult:
    """A response worth reading (or a 304)."""

    url: str
    status: int
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    not_modified: bool = False

    @property
    def content_type(self) -> str:
        """The media type, lower-case, without parameters."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The charset the server declared, if any."""
        for parameter in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "charset" and value.strip():
                return value.strip().strip('"').lower()
        return None


@dataclass(frozen=True)
class _Ask:
    """What one fetch sends and accepts besides its URL."""

    validators: Validators | None
    max_bytes: int
    authorization: str | None = None

    def anonymous(self) -> _Ask:
        """The same request without credentials (a redirect to another origin)."""
        return replace(self, authorization=None)


class HttpStatusError(FeedError):
    """The server answered with an error status.

    Attributes:
        status: The HTTP status.
        retry_after: Seconds the server asked us to wait (429/503), if it said.
    """

    def __init__(self, url: str, status: int, retry_after: float | None = None) -> None:
        wait = f"; retry after {retry_after:.0f} s" if retry_after is not None else ""
        permanent = status in (404, 410) or (400 <= status < 500 and status not in (408, 429))
        super().__init__(url, f"HTTP {status}{wait}", permanent=permanent, retry_after=retry_after)
        self.status = status


class BodyTooLargeError(FeedError):
    """A body (as sent, or decompressed) over the byte cap."""

    def __init__(self, url: str, limit: int) -> None:
        super().__init__(url, f"the response is larger than {limit:,} bytes", permanent=True)
        self.limit = limit


class PinnedResolver(AbstractResolver):
    """Answers only with addresses the guard admitted; never asks DNS itself."""

    def __init__(self) -> None:
        """Start with no pins."""
        self.pins: dict[tuple[str, int], str] = {}

    def pin(self, target: PinnedTarget) -> None:
        """Remember the admitted address of a host and port."""
        self.pins[(target.host, target.port)] = target.address

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """The pinned address, or an error for a host the guard never saw."""
        address = self.pins.get((host.lower().rstrip("."), port))
        if address is None:
            raise OSError(f"{host}:{port} was not admitted by the guard")
        kind = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [
            ResolveResult(
                hostname=host,
                host=address,
                port=port,
                family=kind,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
        ]

    async def close(self) -> None:
        """Nothing to release."""


class HttpFetcher:
    """GET through the guard, within the limits of `FetchOptions`."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        resolver: PinnedResolver,
        guard: UrlGuard,
        options: FetchOptions | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Use a session built on `resolver` (see `open_fetcher`); `clock` times host waits."""
        self.session, self.resolver, self.guard = session, resolver, guard
        self.options = options or FetchOptions()
        self.waits = HostWaits(self.options.longest_host_wait, clock)
        self.slots = HostSlots(self.options.per_host)

    async def get(
        self,
        url: str,
        validators: Validators | None = None,
        *,
        max_bytes: int | None = None,
        authorization: str | None = None,
    ) -> FetchResult:
        """Fetch a URL, following redirects; raises FeedError (or a subclass) on failure.

        The total timeout covers the whole fetch: name lookups, every redirect hop and the body.

        Args:
            url: What to fetch.
            validators: Conditional-GET validators, if any.
            max_bytes: A smaller body cap than the options' for this request (a shared file).
            authorization: An `Authorization` header value (a Slack file's bot token), sent only
                to the URL's own scheme, host and port: a redirect elsewhere never carries it.
        """
        limit = min(max_bytes or self.options.max_bytes, self.options.max_bytes)
        ask = _Ask(validators, limit, authorization)
        try:
            async with asyncio.timeout(self.options.total_timeout):
                return await self._follow(url, ask)
        except TimeoutError:
            raise FeedError(url, "timed out") from None

    async def _follow(self, url: str, ask: _Ask) -> FetchResult:
        current = url
        origin: tuple[str, str, int] | None = None
        for _hop in range(self.options.max_redirects + 1):
            target = await self.guard.admit(current)
            self.resolver.pin(target)
            origin = origin or (target.scheme, target.host, target.port)
            same_origin = origin == (target.scheme, target.host, target.port)
            result = await self._request(target, ask if same_origin else ask.anonymous())
            if result.status not in REDIRECTS:
                return result
            current = self._next_hop(current, result)
        raise FeedError(url, f"more than {self.options.max_redirects} redirects", permanent=True)

    def _next_hop(self, url: str, result: FetchResult) -> str:
        location = result.headers.get("location")
        if not location:
            raise FeedError(url, f"HTTP {result.status} without a Location")
        return urljoin(url, location)

    async def _request(self, target: PinnedTarget, ask: _Ask) -> FetchResult:
        left = self.waits.left(target.host)
        if left is not None:
            raise HostWaitError(target.url, target.host, left)
        try:
            return await self._polite_request(target, ask)
        except HttpStatusError as error:
            if error.status in (429, 503) and error.retry_after:
                self.waits.wait(target.host, error.retry_after)
            raise

    async def _polite_request(self, target: PinnedTarget, ask: _Ask) -> FetchResult:
        try:
            async with self.slots.slot(target.host), self._open(target.url, ask) as response:
                return await self._result(target.url, response, ask.max_bytes)
        except TimeoutError:
            raise FeedError(target.url, "timed out") from None
        except aiohttp.ClientError as error:
            raise FeedError(target.url, _client_error_reason(error)) from None

    def _open(self, url: str, ask: _Ask) -> Any:
        headers = {"User-Agent": self.options.user_agent, "Accept-Encoding": "gzip, deflate"}
        validators = ask.validators
        if ask.authorization:
            headers["Authorization"] = ask.authorization
        if validators and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        timeout = aiohttp.ClientTimeout(
            total=self.options.total_timeout, sock_connect=self.options.connect_timeout
        )
        return self.session.get(url, headers=headers, allow_redirects=False, timeout=timeout)

    async def _result(self, url: str, response: aiohttp.ClientResponse, limit: int) -> FetchResult:
        headers = {name.lower(): value for name, value in response.headers.items()}
        status = response.status
        if status == 304:
            return FetchResult(url, status, headers=headers, not_modified=True)
        if status in REDIRECTS:
            return FetchResult(url, status, headers=headers)
        if status >= 400:
            raise HttpStatusError(url, status, retry_after(headers.get("retry-after")))
        raw = await _read_capped(url, response.content, limit)
        body = decompress(url, raw, headers.get("content-encoding", ""), limit)
        return FetchResult(url, status, body, headers)


async def _read_capped(url: str, stream: aiohttp.StreamReader, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in stream.iter_chunked(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise BodyTooLargeError(url, limit)
        chunks.append(chunk)
    return b"".join(chunks)


def decompress(url: str, raw: bytes, encoding: str, limit: int) -> bytes:
    """Undo gzip or deflate content coding, producing at most `limit` bytes.

    Raises:
        BodyTooLargeError: The decompressed body would pass the limit (a decompression bomb).
        FeedError: An unknown coding or a corrupt stream.
    """
    coding = encoding.strip().lower()
    if coding in ("", "identity"):
        return raw
    if coding not in ("gzip", "x-gzip", "deflate"):
        raise FeedError(url, f"unsupported content encoding {coding}", permanent=True)
    wbits = 47 if coding != "deflate" else 15  # 47: gzip or zlib header, detected
    try:
        return _bounded_inflate(url, raw, wbits, limit)
    except zlib.error:
        if coding == "deflate":  # some servers send raw deflate without the zlib header
            return _bounded_inflate(url, raw, -15, limit)
        raise FeedError(url, f"corrupt {coding} body") from None


def _bounded_inflate(url: str, raw: bytes, wbits: int, limit: int) -> bytes:
    inflater = zlib.decompressobj(wbits)
    body = inflater.decompress(raw, limit + 1)
    if len(body) > limit or inflater.unconsumed_tail:
        raise BodyTooLargeError(url, limit)
    return body


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), if it is readable."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    moment = now or datetime.now(UTC)
    return max(0.0, (when - moment).total_seconds())


def _client_error_reason(error: aiohttp.ClientError) -> str:
    if isinstance(error, aiohttp.ClientConnectorError):
        return f"cannot connect to {error.host}:{error.port}"
    if isinstance(error, aiohttp.ClientPayloadError):
        return "the connection broke while reading the body"
    return f"the request failed ({type(error).__name__})"


@contextlib.asynccontextmanager
async def open_fetcher(
    guard: UrlGuard,
    options: FetchOptions | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> AsyncIterator[HttpFetcher]:
    """An HttpFetcher on its own session, closed on exit; `clock` times host waits (tests)."""
    options = options or FetchOptions()
    resolver = PinnedResolver()
    connector = aiohttp.TCPConnector(
        resolver=resolver,
        limit=100,
        limit_per_host=options.per_host,
        use_dns_cache=False,
        force_close=options.keep_alive is None,
        keepalive_timeout=options.keep_alive,
    )
    async with aiohttp.ClientSession(connector=connector, auto_decompress=False) as session:
        yield HttpFetcher(session, resolver, guard, options, clock)

"""The SSRF guard: every user-supplied URL, and every redirect, passes here before a connection.

A URL is admitted when its scheme is http or https, its host resolves (once), and every address it
resolves to is public. The caller then connects to the returned, pinned address, so a DNS answer
that changes between the check and the connection (rebinding) cannot smuggle in a private address.
Hosts and networks on the allow-list (`NEWSDIGEST_ALLOW_HOSTS`) are the only way past the check;
tests use it for 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from yarl import URL

from bot.ports import FeedError

log = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
#: host, port -> the addresses it resolves to (as text).
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]

ALLOWED_SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}


class UrlRefusedError(FeedError):
    """A URL the guard will not let the bot fetch; retrying cannot help.

    Attributes:
        url: The URL as given.
        reason: Why, in one line, starting with "refused:".
    """

    def __init__(self, url: str, why: str) -> None:
        super().__init__(url, f"refused: {why}", permanent=True)


@dataclass(frozen=True)
class AllowList:
    """Hosts and networks that may be reached although they are not public."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def parse(cls, setting: str) -> AllowList:
        """Read a comma-separated list of host names, addresses and CIDR networks.

        Raises:
            ValueError: An entry that is neither a host name nor a network, in one line.
        """
        hosts: set[str] = set()
        networks: list[IPNetwork] = []
        for entry in (part.strip().lower() for part in setting.split(",")):
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                if "/" in entry or not entry.replace("-", "").replace(".", "").isalnum():
                    raise ValueError(f"{entry!r} is neither a host name nor a CIDR") from None
                hosts.add(entry.rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def admits(self, host: str, address: IPAddress) -> bool:
        """Whether the host name or the address is on the list."""
        return host in self.hosts or any(address in network for network in self.networks)


@dataclass(frozen=True)
class PinnedTarget:
    """An admitted URL and the address the connection must go to."""

    url: str
    scheme: str
    host: str
    port: int
    address: str


class UrlGuard:
    """Checks URLs and pins the address to connect to."""

    def __init__(self, allow: AllowList | None = None, resolve: Resolver | None = None) -> None:
        """Guard with an allow-list; `resolve` replaces the system resolver (tests)."""
        self.allow = allow or AllowList()
        self._resolve = resolve or system_resolve

    async def admit(self, url: str) -> PinnedTarget:
        """Check a URL and resolve its host once.

        Raises:
            UrlRefusedError: The scheme, the host or one of its addresses is not allowed.
        """
        scheme, host, port = split_target(url)
        literal = parse_ip_literal(host)
        if literal is not None:
            self._check(url, host, literal)
            return PinnedTarget(url, scheme, host, port, str(literal))
        addresses = await self._addresses(url, host, port)
        for address in addresses:
            self._check(url, host, address)
        return PinnedTarget(url, scheme, host, port, str(addresses[0]))

    async def _addresses(self, url: str, host: str, port: int) -> list[IPAddress]:
        try:
            answers = await self._resolve(host, port)
        except OSError:
            raise UrlRefusedError(url, f"{host} does not resolve") from None
        addresses = [ipaddress.ip_address(answer.split("%")[0]) for answer in answers]
        if not addresses:
            raise UrlRefusedError(url, f"{host} does not resolve")
        return addresses

    def _check(self, url: str, host: str, address: IPAddress) -> None:
        problem = address_problem(address)
        if problem is not None and not self.allow.admits(host, address):
            log.info("refused %s: %s is %s", url, address, problem)
            raise UrlRefusedError(url, f"{address} is {problem}")


def split_target(url: str) -> tuple[str, str, int]:
    """The URL's scheme, its host as the HTTP client will connect to it, and its port.

    The host is read with yarl, the URL library of aiohttp, so that the guard checks exactly the
    host the connection will use: international names in their ASCII (IDNA) form, full-width
    digits folded ("１２７.０.０.１" is 127.0.0.1), upper case lowered, a final dot dropped.

    Raises:
        UrlRefusedError: Not http(s), no host, credentials in the URL, or a bad port.
    """
    try:
        parsed = URL(url.strip())
    except (TypeError, ValueError):
        raise UrlRefusedError(url, "not a valid URL") from None
    scheme = parsed.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise UrlRefusedError(url, f"{scheme or 'no scheme'} is not http or https")
    host = (parsed.raw_host or "").rstrip(".")
    if not host:
        raise UrlRefusedError(url, "the URL has no host")
    if parsed.user is not None or parsed.password is not None:
        raise UrlRefusedError(url, "URLs with a user name or password are not fetched")
    port = DEFAULT_PORTS[scheme] if parsed.explicit_port is None else parsed.explicit_port
    if not 0 < port < 65536:
        raise UrlRefusedError(url, "not a valid URL")
    return scheme, host, port


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address a host literal stands for, legacy IPv4 forms included.

    "2130706433", "0177.0.0.1", "0x7f.1" and "127.1" all mean 127.0.0.1 to the C library's
    inet_aton, so they are read the same way here rather than left to the resolver.
    """
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    if not all(part and part.isalnum() for part in host.split(".")):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def address_problem(address: IPAddress) -> str | None:
    """Why an address may not be reached ("a private address"), or None when it is public."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour or _teredo_client(address)
        if embedded is not None:
            return address_problem(embedded)
        if address.is_site_local:  # fec0::/10: deprecated, yet still routed by old networks
            return "a site-local address"
    checks = (
        (address.is_unspecified, "an unspecified address"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (address.is_private, "a private address"),
        (address.is_reserved, "a reserved address"),
        (not address.is_global, "not a public address"),
    )
    return next((problem for failed, problem in checks if failed), None)


def _teredo_client(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    teredo = address.teredo
    return teredo[1] if teredo else None


async def system_resolve(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for a host, once."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]

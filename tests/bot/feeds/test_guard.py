"""The SSRF guard refuses every non-public target before any connection, and pins what it admits."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot.fakes import TableResolver
from bot.feeds.guard import (
    AllowList,
    UrlGuard,
    UrlRefusedError,
    address_problem,
    parse_ip_literal,
)
from bot.ports import FeedError

DNS = {
    "news.example": ["93.184.216.34"],
    "rebind.example": ["93.184.216.34", "10.0.0.5"],
    "intranet.example": ["192.168.1.10"],
    "v6.example": ["2606:2800:220:1:248:1893:25c8:1946"],
    "mapped.example": ["::ffff:127.0.0.1"],
    "localhost": ["127.0.0.1", "::1"],
}


@pytest_asyncio.fixture
async def canary() -> AsyncIterator[list[str]]:
    """A listener on 127.0.0.1 that records every connection it receives."""
    seen: list[str] = []

    async def record(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.append("connection")
        writer.close()

    server = await asyncio.start_server(record, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    DNS["canary.example"] = ["127.0.0.1"]
    seen.append(str(port))
    async with server:
        yield seen
    assert seen == [str(port)], "the guard let a connection reach the canary"


REFUSED = [
    ("http://127.0.0.1/", "127.0.0.1 is a loopback address"),
    ("http://127.0.0.1:{port}/", "127.0.0.1 is a loopback address"),
    ("http://2130706433/", "127.0.0.1 is a loopback address"),
    ("http://0177.0.0.1/", "127.0.0.1 is a loopback address"),
    ("http://0x7f.1/", "127.0.0.1 is a loopback address"),
    ("http://127.1/", "127.0.0.1 is a loopback address"),
    ("http://0x7f000001/", "127.0.0.1 is a loopback address"),
    ("http://[::1]/", "::1 is a loopback address"),
    ("http://\uff11\uff12\uff17.\uff10.\uff10.\uff11/", "127.0.0.1 is a loopback address"),
    ("http://LocalHost./", "127.0.0.1 is a loopback address"),
    ("http://[::ffff:127.0.0.1]/", "is a loopback address"),
    ("http://[::ffff:169.254.169.254]/", "is a link-local address"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
    ("http://[fe80::1]/", "fe80::1 is a link-local address"),
    ("http://10.0.0.5/", "10.0.0.5 is a private address"),
    ("http://172.16.3.4/", "172.16.3.4 is a private address"),
    ("http://192.168.0.1/", "192.168.0.1 is a private address"),
    ("http://[fd00::1]/", "fd00::1 is a private address"),
    ("http://100.64.0.1/", "100.64.0.1 is not a public address"),
    ("http://0.0.0.0/", "0.0.0.0 is an unspecified address"),
    ("http://[::]/", ":: is an unspecified address"),
    ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
    ("http://[ff02::1]/", "ff02::1 is a multicast address"),
    ("http://240.0.0.1/", "240.0.0.1 is a private address"),
    ("http://255.255.255.255/", "255.255.255.255 is a private address"),
    ("http://[2002:7f00:1::]/", "2002:7f00:1:: is a loopback address"),
    ("http://localhost/", "127.0.0.1 is a loopback address"),
    ("http://localhost.:{port}/", "127.0.0.1 is a loopback address"),
    ("http://canary.example:{port}/", "127.0.0.1 is a loopback address"),
    ("http://intranet.example/", "192.168.1.10 is a private address"),
    ("http://rebind.example/", "10.0.0.5 is a private address"),
    ("http://mapped.example/", "::ffff:7f00:1 is a loopback address"),
    ("file:///etc/passwd", "file is not http or https"),
    ("gopher://news.example/", "gopher is not http or https"),
    ("ftp://news.example/feed.xml", "ftp is not http or https"),
    ("javascript:alert(1)", "javascript is not http or https"),
    ("news.example/feed.xml", "no scheme is not http or https"),
    ("http:///feed.xml", "the URL has no host"),
    ("http://user:pw@news.example/", "user name or password"),
    ("http://news.example:99999/", "not a valid URL"),
    ("http://news.example:0/", "not a valid URL"),
    ("http://a.example\\@127.0.0.1/", "not a valid URL"),
    ("http://[::1/", "not a valid URL"),
    ("http://nowhere.example/", "nowhere.example does not resolve"),
]


@pytest.mark.asyncio
@pytest.mark.parametrize(("template", "reason"), REFUSED)
async def test_refused_before_any_connection(canary: list[str], template: str, reason: str) -> None:
    guard = UrlGuard(resolve=TableResolver(DNS))
    url = template.format(port=canary[0])
    with pytest.raises(UrlRefusedError) as refused:
        await guard.admit(url)
    assert refused.value.reason.startswith("refused: ")
    assert reason in refused.value.reason
    assert "\n" not in refused.value.reason
    assert refused.value.permanent and isinstance(refused.value, FeedError)


@pytest.mark.asyncio
async def test_public_names_resolve_once_and_are_pinned() -> None:
    dns = TableResolver(DNS)
    target = await UrlGuard(resolve=dns).admit("https://News.Example/world/feed.xml")
    assert (target.host, target.port, target.address) == ("news.example", 443, "93.184.216.34")
    assert dns.lookups == ["news.example"]
    v6 = await UrlGuard(resolve=dns).admit("http://v6.example:8080/")
    assert (v6.port, v6.address) == (8080, "2606:2800:220:1:248:1893:25c8:1946")


@pytest.mark.asyncio
async def test_public_literals_need_no_lookup() -> None:
    dns = TableResolver({})
    target = await UrlGuard(resolve=dns).admit("http://93.184.216.34/feed")
    assert target.address == "93.184.216.34" and dns.lookups == []


@pytest.mark.asyncio
async def test_the_allow_list_is_the_only_way_in(canary: list[str]) -> None:
    url = f"http://127.0.0.1:{canary[0]}/feed.xml"
    by_network = UrlGuard(AllowList.parse("127.0.0.0/8"), resolve=TableResolver(DNS))
    assert (await by_network.admit(url)).address == "127.0.0.1"
    by_name = UrlGuard(AllowList.parse("Canary.Example, 10.1.0.0/16"), resolve=TableResolver(DNS))
    assert (await by_name.admit(f"http://canary.example:{canary[0]}/")).address == "127.0.0.1"
    with pytest.raises(UrlRefusedError, match=r"10\.0\.0\.5 is a private address"):
        await by_name.admit("http://10.0.0.5/")


def test_allow_list_setting_errors_are_one_line() -> None:
    assert AllowList.parse("") == AllowList()
    with pytest.raises(ValueError, match="neither a host name nor a CIDR"):
        AllowList.parse("10.0.0.0/33")
    with pytest.raises(ValueError, match="neither a host name nor a CIDR"):
        AllowList.parse("http://x/")


@pytest.mark.parametrize(
    ("host", "address"),
    [("2130706433", "127.0.0.1"), ("0177.0.0.01", "127.0.0.1"), ("0x7f.0.0.1", "127.0.0.1")],
)
def test_legacy_ipv4_forms_are_read_as_the_c_library_reads_them(host: str, address: str) -> None:
    assert str(parse_ip_literal(host)) == address


def test_names_are_not_literals() -> None:
    assert parse_ip_literal("news.example") is None
    assert parse_ip_literal("cafe") is None


def test_public_addresses_have_no_problem() -> None:
    literal = parse_ip_literal("93.184.216.34")
    assert literal is not None and address_problem(literal) is None

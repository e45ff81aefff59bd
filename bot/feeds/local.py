"""Feeds and articles read from files on disk (the bundled demo), and routing by URL scheme.

Only paths inside the configured folders are read; a path outside them is refused like a private
address is refused by the HTTP fetcher. Parsing defaults to a small standard-library RSS 2.0 /
Atom reader; bot/app/ may hand in the feeds package's parser instead.
"""

from __future__ import annotations

import asyncio
import posixpath
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from xml.etree import ElementTree

from bot.domain import utc
from bot.feeds.htmltext import looks_like_page
from bot.ports import ArticleBody, FeedEntry, FeedError, FeedPoll, FeedSource, Validators

MAX_FILE_BYTES = 5_000_000
_ATOM = "{http://www.w3.org/2005/Atom}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"

FeedParser = Callable[[bytes, str], FeedPoll]


def is_web_url(url: str) -> bool:
    """Whether a feed URL is fetched over HTTP(S) rather than read from disk."""
    return url.lower().startswith(("http://", "https://"))


class LocalFeedSource:
    """The FeedSource port over files inside allowed folders."""

    def __init__(self, roots: Sequence[Path], parse: FeedParser | None = None) -> None:
        """Serve files under `roots` only; parse feeds with `parse` (default: stdlib reader)."""
        self.roots = tuple(root.resolve() for root in roots)
        self.parse = parse or parse_feed_xml

    async def fetch(self, url: str, validators: Validators) -> FeedPoll:
        """Read and parse a feed file; unchanged files answer not-modified."""
        path = self._resolve(url)
        stat = path.stat()
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        if validators.etag == etag:
            return FeedPoll(etag=etag, not_modified=True)
        return replace(self.parse(await self._read(path, url), url), etag=etag)

    async def article(self, entry: FeedEntry) -> ArticleBody:
        """The linked file's text (or HTML page)."""
        path = self._resolve(entry.url)
        text = (await self._read(path, entry.url)).decode("utf-8", errors="replace")
        return ArticleBody(html=text) if looks_like_page(text) else ArticleBody(text=text)

    def _resolve(self, url: str) -> Path:
        path = Path(url.removeprefix("file://").removeprefix("file:")).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise FeedError(url, "local files are read only from the demo folders", permanent=True)
        if not path.is_file():
            raise FeedError(url, "no such file", permanent=True)
        return path

    async def _read(self, path: Path, url: str) -> bytes:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise FeedError(url, f"larger than {MAX_FILE_BYTES:,} bytes", permanent=True)
        return await asyncio.to_thread(path.read_bytes)


class RoutedFeedSource:
    """HTTP(S) URLs to the web source, anything else to the local source (when enabled)."""

    def __init__(self, web: FeedSource | None, local: FeedSource | None) -> None:
        """Either side may be missing; its URLs are then refused."""
        self.web = web
        self.local = local

    async def fetch(self, url: str, validators: Validators) -> FeedPoll:
        """Poll through the source for the URL's scheme."""
        return await self._source(url).fetch(url, validators)

    async def article(self, entry: FeedEntry) -> ArticleBody:
        """Read an article through the source for its URL's scheme."""
        return await self._source(entry.url).article(entry)

    def _source(self, url: str) -> FeedSource:
        source = self.web if is_web_url(url) else self.local
        if source is None:
            kind = "web feeds" if is_web_url(url) else "local files"
            raise FeedError(url, f"{kind} are not enabled in this bot", permanent=True)
        return source


def parse_feed_xml(data: bytes, base: str) -> FeedPoll:
    """A minimal RSS 2.0 / Atom reader; relative links resolve against `base`.

    Raises:
        FeedError: For XML with a DOCTYPE, malformed XML or a document that is not a feed.
    """
    if b"<!doctype" in data.lower() or b"<!entity" in data.lower():
        raise FeedError(base, "feeds declaring a DOCTYPE are refused", permanent=True)
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise FeedError(base, f"not well-formed XML ({error})", permanent=True) from error
    channel = root.find("channel")
    if channel is not None:
        return _rss(channel, base)
    if root.tag == f"{_ATOM}feed":
        return _atom(root, base)
    raise FeedError(base, f"<{root.tag}> is not an RSS or Atom feed", permanent=True)


def _rss(channel: ElementTree.Element, base: str) -> FeedPoll:
    entries = tuple(
        FeedEntry(
            url=_link(base, item.findtext("link") or item.findtext("guid") or ""),
            title=_clean(item.findtext("title")),
            guid=_clean(item.findtext("guid")),
            published=_rfc822(item.findtext("pubDate")),
            summary=item.findtext("description"),
            content=item.findtext(_CONTENT),
        )
        for item in channel.findall("item")
    )
    ttl = (channel.findtext("ttl") or "").strip()
    interval = timedelta(minutes=int(ttl)) if ttl.isdigit() else None
    return FeedPoll(_usable(entries), _clean(channel.findtext("title")), interval=interval)


def _atom(feed: ElementTree.Element, base: str) -> FeedPoll:
    entries = tuple(
        FeedEntry(
            url=_link(base, _atom_link(entry)),
            title=_clean(entry.findtext(f"{_ATOM}title")),
            guid=_clean(entry.findtext(f"{_ATOM}id")),
            published=_iso(
                entry.findtext(f"{_ATOM}published") or entry.findtext(f"{_ATOM}updated")
            ),
            summary=entry.findtext(f"{_ATOM}summary"),
            content=entry.findtext(f"{_ATOM}content"),
        )
        for entry in feed.findall(f"{_ATOM}entry")
    )
    return FeedPoll(_usable(entries), _clean(feed.findtext(f"{_ATOM}title")))


def _atom_link(entry: ElementTree.Element) -> str:
    for link in entry.findall(f"{_ATOM}link"):
        if link.get("rel", "alternate") == "alternate":
            return link.get("href", "")
    return ""


def _usable(entries: tuple[FeedEntry, ...]) -> tuple[FeedEntry, ...]:
    return tuple(entry for entry in entries if entry.url)


def _link(base: str, link: str) -> str:
    link = link.strip()
    if not link or "://" in link or is_web_url(base) or link.startswith("/"):
        return link
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), link))


def _clean(text: str | None) -> str | None:
    folded = " ".join((text or "").split())
    return folded or None


def _rfc822(text: str | None) -> datetime | None:
    try:
        return utc(parsedate_to_datetime(text)) if text else None
    except (TypeError, ValueError):
        return None


def _iso(text: str | None) -> datetime | None:
    try:
        return utc(datetime.fromisoformat(text.strip())) if text else None
    except ValueError:
        return None

"""In-memory stand-ins for the outermost ports: a feed source, downloads and a chat platform."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.domain import Destination, Digest
from bot.ports import ArticleBody, FeedEntry, FeedError, FeedPoll, PublishError, Validators


class MemoryFeedSource:
    """Feeds and pages held in dictionaries; answers not-modified when nothing changed."""

    def __init__(self) -> None:
        """No feeds yet."""
        self.feeds: dict[str, FeedPoll] = {}
        self.pages: dict[str, ArticleBody] = {}
        self.failures: dict[str, FeedError] = {}
        self.fetched: list[str] = []

    def put(self, url: str, entries: list[FeedEntry], title: str | None = None) -> None:
        """Serve a feed with these entries (replacing what it served before)."""
        tag = hashlib.sha256(repr(entries).encode()).hexdigest()[:16]
        self.feeds[url] = FeedPoll(tuple(entries), title, etag=f'"{tag}"')

    async def fetch(self, url: str, validators: Validators) -> FeedPoll:
        """The stored feed, not-modified when the validator matches."""
        self.fetched.append(url)
        if url in self.failures:
            raise self.failures[url]
        poll = self.feeds.get(url)
        if poll is None:
            raise FeedError(url, "HTTP 404", permanent=True)
        if validators.etag == poll.etag:
            return FeedPoll(etag=poll.etag, not_modified=True)
        return poll

    async def article(self, entry: FeedEntry) -> ArticleBody:
        """The stored page."""
        page = self.pages.get(entry.url)
        if page is None:
            raise FeedError(entry.url, "HTTP 404")
        return page


@dataclass
class MemoryDownloads:
    """Documents held in a dictionary by URL; anything else is a 404.

    Attributes:
        documents: What each URL serves.
        asked: Every URL asked for, in order, with its authorization.
    """

    documents: dict[str, bytes] = field(default_factory=dict)
    asked: list[tuple[str, str | None]] = field(default_factory=list)

    async def download(self, url: str, limit: int, authorization: str | None = None) -> bytes:
        """The stored document; a 404 or a too-large error like the HTTP seam's."""
        self.asked.append((url, authorization))
        body = self.documents.get(url)
        if body is None:
            raise FeedError(url, "HTTP 404", permanent=True)
        if len(body) > limit:
            raise FeedError(url, f"the response is larger than {limit:,} bytes", permanent=True)
        return body


@dataclass
class FakePublisher:
    """A chat platform that dedupes on the idempotency key, like Discord's enforced nonce.

    Attributes:
        posts: What the platform shows, by key, in posting order.
        attempts: Every publish call's key, including deduplicated ones.
        refuse: Keys the platform refuses (PublishError).
    """

    posts: dict[str, tuple[Destination, Digest]] = field(default_factory=dict)
    attempts: list[str] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def publish(self, destination: Destination, digest: Digest, key: str) -> None:
        """Show the digest unless a post with the same key is already there."""
        self.attempts.append(key)
        if key in self.refuse:
            raise PublishError(destination, "channel_not_found")
        self.posts.setdefault(key, (destination, digest))

    async def lookup(self, destination: Destination, key: str) -> bool:
        """Whether a post with this key is shown."""
        return key in self.posts

    def story_ids(self, destination: Destination | None = None) -> list[int]:
        """Every story id shown, in posting order (repeats mean a story was posted twice)."""
        return [
            entry.story_id
            for where, digest in self.posts.values()
            if destination in (None, where)
            for entry in digest.entries
        ]


class TableResolver:
    """A DNS resolver (the URL guard's `Resolver`) answering from a table; it counts lookups."""

    def __init__(self, table: Mapping[str, Sequence[str]]) -> None:
        """Answer each host with its addresses in `table`; other hosts do not resolve."""
        self.table = table
        self.lookups: list[str] = []

    async def __call__(self, host: str, port: int) -> Sequence[str]:
        """The host's addresses, as the system resolver gives them.

        Raises:
            OSError: The host is not in the table.
        """
        self.lookups.append(host)
        if host not in self.table:
            raise OSError(f"no such host {host}")
        return self.table[host]

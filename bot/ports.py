"""The engine's ports: what it needs from feeds, the NLP core and chat platforms.

Concrete implementations live elsewhere (bot/feeds for HTTP, bot/local_feeds for files on disk,
bot/adapters/* for chat platforms, bot/fakes for tests) and are wired together in bot/app/.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol, runtime_checkable

from bot.domain import Destination, Digest
from summaries import ArticleDigest
from summaries.explain import SentenceExplanation


@dataclass(frozen=True)
class Validators:
    """Conditional-GET validators from the previous full answer."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed.

    Attributes:
        url: The item's canonical link (or a local path for files on disk).
        title: Its headline.
        guid: The feed's id for it.
        published: Publication time, if given.
        summary: The feed's short description (text or HTML).
        content: The full content when the feed carries it (text or HTML).
        language: The language the item or its feed declares ("fr", "pt-BR"), if any: taken
            when the text is too short for the analyzer to tell its own.
    """

    url: str
    title: str | None = None
    guid: str | None = None
    published: datetime | None = None
    summary: str | None = None
    content: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class FeedPoll:
    """The answer to one poll of a feed.

    Attributes:
        entries: The items, as the feed lists them (empty when not modified).
        title: The feed's title.
        etag: Validator to send next time.
        last_modified: Validator to send next time.
        not_modified: The server answered 304: nothing new.
        interval: The feed's own polling hint (RSS ttl, sy:updatePeriod), if any.
        language: The feed's declared language (RSS `<language>`, Atom `xml:lang`), if any.
    """

    entries: tuple[FeedEntry, ...] = ()
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    interval: timedelta | None = None
    language: str | None = None


@dataclass(frozen=True)
class ArticleBody:
    """An article page's content: exactly one of text or HTML.

    Attributes:
        text: Plain text.
        html: The page's markup.
        canonical_url: The URL the page names as its own (`<link rel="canonical">`), if any.
    """

    text: str | None = None
    html: str | None = None
    canonical_url: str | None = None


class FeedError(Exception):
    """A feed or article that could not be read.

    Attributes:
        url: What was being read.
        reason: Why it failed, in one line.
        permanent: True when retrying cannot help (refused address, not a feed, no such file).
        retry_after: Seconds the server asked us to wait before trying again (429/503), if any.
    """

    def __init__(
        self, url: str, reason: str, *, permanent: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after


class NotAFeedError(FeedError):
    """A document that was fetched but is no feed (an HTML page, other XML, other JSON).

    Always permanent; a web page's own feeds may still be discovered (`bot/feeds/discovery`).
    """

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(url, reason, permanent=True)


@dataclass(frozen=True)
class FeedLink:
    """A feed found for a web page (its `<link rel="alternate">`, or a common path).

    Attributes:
        url: The feed's absolute URL.
        title: The title the page or the feed gives it, if any.
    """

    url: str
    title: str | None = None


class FeedSource(Protocol):
    """Fetches and parses feeds, and fetches article pages."""

    async def fetch(self, url: str, validators: Validators) -> FeedPoll:
        """Poll a feed, sending the validators (raises FeedError)."""
        ...

    async def article(self, entry: FeedEntry) -> ArticleBody:
        """The linked article's page or text (raises FeedError)."""
        ...


class Summariser(Protocol):
    """The NLP core (`summaries.Analyzer`): synchronous and CPU-bound, run off the event loop."""

    def analyze(
        self,
        *,
        text: str | None = None,
        html: str | None = None,
        title: str | None = None,
        url: str | None = None,
        published: date | None = None,
        language: str | None = None,
    ) -> ArticleDigest:
        """Digest one article (raises summaries.InputError); `language` is the declared one."""
        ...


@runtime_checkable
class Explainer(Protocol):
    """A Summariser that can also say how it scored each sentence (`summaries.Analyzer` can)."""

    def explain(
        self,
        *,
        text: str | None = None,
        title: str | None = None,
        url: str | None = None,
        published: date | None = None,
    ) -> tuple[ArticleDigest, tuple[SentenceExplanation, ...]]:
        """Digest one article and each sentence's score components (raises InputError)."""
        ...


class PublishError(Exception):
    """The platform refused or failed a post; it was certainly not posted.

    Attributes:
        destination: Where it was going.
        reason: Why, in one line.
        gone: The platform refused for good for this destination (the bot is not in the channel
            or may not post there, the channel is gone or archived, the workspace's token is
            revoked): trying again cannot help until someone acts. False for anything that may
            pass on its own (rate limits, 5xx, a dropped connection).
    """

    def __init__(self, destination: Destination, reason: str, *, gone: bool = False) -> None:
        super().__init__(f"{destination}: {reason}")
        self.destination = destination
        self.reason = reason
        self.gone = gone


class Publisher(Protocol):
    """Posts digests to a chat platform, idempotently where the platform allows it."""

    async def publish(self, destination: Destination, digest: Digest, key: str) -> None:
        """Post a digest, tagged with an idempotency key (raises PublishError)."""
        ...

    async def lookup(self, destination: Destination, key: str) -> bool | None:
        """Whether a post with this key reached the platform; None when it cannot tell."""
        ...


@dataclass(frozen=True)
class OpmlOutline:
    """One feed in an OPML subscription list.

    Attributes:
        url: The feed.
        title: Its title, if known.
        only: The subscription's filter (a topic query), kept in the project's own attribute.
    """

    url: str
    title: str | None = None
    only: str | None = None


class OpmlError(ValueError):
    """An OPML document that cannot be read.

    Attributes:
        reason: Why, in one line.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class OpmlCodec(Protocol):
    """Reads and writes OPML subscription lists."""

    def parse(self, document: str) -> list[OpmlOutline]:
        """The feeds listed in an OPML document (raises OpmlError)."""
        ...

    def render(self, outlines: list[OpmlOutline], title: str) -> str:
        """An OPML document listing the feeds."""
        ...


class Downloads(Protocol):
    """Fetches one document by URL (an OPML list, a shared file) through the guarded seam."""

    async def download(self, url: str, limit: int, authorization: str | None = None) -> bytes:
        """The body, at most `limit` bytes.

        Args:
            url: An http(s) URL; the SSRF guard admits it (and every redirect) first.
            limit: The largest body accepted.
            authorization: An `Authorization` header for the URL's own origin only.

        Raises:
            FeedError: Refused, unreachable, an error status, or larger than `limit`.
        """
        ...

"""Feed discovery: the feeds a web page names, else the feed at a site's common paths.

A page names its feeds in `<link rel="alternate" type="application/rss+xml" href="...">` (Atom and
JSON Feed likewise); a site that names none often still serves one at `/feed` or `/rss.xml`.
Everything is read through the `FeedSource` port, and so through the SSRF guard: a link to a
private address is refused when it is fetched, by address, like any other URL.
"""

from __future__ import annotations

import logging
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

from bot.ports import FeedEntry, FeedError, FeedLink, FeedSource, Validators

log = logging.getLogger(__name__)

#: The `type` of a `<link rel="alternate">` that names a feed.
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/feed+json",
        "application/json",
        "application/rdf+xml",
    }
)
#: Where sites commonly serve their feed, tried in this order when the page names none.
COMMON_PATHS = ("/feed", "/rss.xml", "/atom.xml", "/index.xml", "/feed.xml", "/rss")
#: Only the head of a page is searched for its feed links.
_HEAD_CHARS = 200_000
#: A page rarely names more feeds than this; more are cut so that a listing stays readable.
MAX_LINKS = 10


def feed_links(html: str, page_url: str) -> list[FeedLink]:
    """The http(s) feeds a page names in `<link rel="alternate">`, absolute, in page order.

    Example:
        >>> page = '<link rel="alternate" type="application/rss+xml" href="/rss">'
        >>> feed_links(page, "https://a.example/x")
        [FeedLink(url='https://a.example/rss', title=None)]
    """
    finder = _FeedLinkFinder()
    finder.feed(html[:_HEAD_CHARS])
    found: dict[str, FeedLink] = {}
    for href, title in finder.links:
        url = urljoin(page_url, href.strip())
        if urlsplit(url).scheme in ("http", "https") and url not in found:
            found[url] = FeedLink(url, title or None)
    return list(found.values())[:MAX_LINKS]


def common_feed_urls(page_url: str) -> list[str]:
    """The common feed paths (`COMMON_PATHS`) on the page's site."""
    parts = urlsplit(page_url)
    return [urlunsplit((parts.scheme, parts.netloc, path, "", "")) for path in COMMON_PATHS]


async def discover_feeds(source: FeedSource, page_url: str) -> list[FeedLink]:
    """The feeds of a web page, read through `source` (and so through its guard).

    Steps: (1) read the page; (2) its `<link rel="alternate">` feeds, when it names any, against
    the address the page gives itself; (3) else the first common path (`COMMON_PATHS`) on that
    site that answers with a feed.

    Raises:
        FeedError: The page itself cannot be read (refused, missing, not HTML).
    """
    body = await source.article(FeedEntry(page_url))
    # a redirected page (example.com -> www.example.com/en/) names itself in its canonical link:
    # its relative links, and its site's common paths, are on that address
    base = body.canonical_url or page_url
    named = feed_links(body.html or "", base)
    if named:
        return named
    probed = await _first_common_feed(source, base)
    return [] if probed is None else [probed]


async def _first_common_feed(source: FeedSource, page_url: str) -> FeedLink | None:
    for url in common_feed_urls(page_url):
        try:
            poll = await source.fetch(url, Validators())
        except FeedError as error:
            log.debug("no feed at %s (%s)", url, error.reason)
            continue
        return FeedLink(url, poll.title)
    return None


class _FeedLinkFinder(HTMLParser):
    """Collects (href, title) of the `<link rel="alternate">` tags whose type is a feed's."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "link":
            return
        values = {name.lower(): (value or "").strip() for name, value in attrs}
        kind = values.get("type", "").lower().split(";")[0].strip()
        rels = values.get("rel", "").lower().split()
        if "alternate" in rels and kind in FEED_TYPES and values.get("href"):
            self.links.append((values["href"], values.get("title", "")))

"""Article pages: fetched through the guarded seam, decoded whatever their charset claims.

The page's HTML goes to the NLP core, which extracts it with trafilatura (text, title, author,
date, site name). When the page cannot be had (a paywall's 401/402/403, a timeout, something that
is not HTML) this raises FeedError and the caller falls back to the feed's own excerpt, flagging
the digest "from feed excerpt" (bot/news/ingest.py, `newsdigest feed`).
"""

from __future__ import annotations

import codecs
import logging
import re

from bot.feeds.htmltext import looks_like_page
from bot.feeds.http import FetchResult, HttpFetcher
from bot.feeds.urls import page_canonical_url
from bot.ports import ArticleBody, FeedError

log = logging.getLogger(__name__)

PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_.:-]+)", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: What browsers assume of a page that says nothing and is not UTF-8.
_LEGACY_DEFAULT = "windows-1252"


async def read_article_page(fetcher: HttpFetcher, url: str) -> ArticleBody:
    """An article page's HTML and the canonical URL it declares.

    Steps: (1) fetch through the guard, redirects and caps included; (2) refuse what is not a
    page; (3) decode; (4) read `<link rel="canonical">` against the final URL.

    Raises:
        FeedError: The page cannot be had or is not HTML (the caller falls back to the feed).
    """
    result = await fetcher.get(url)
    kind = result.content_type
    if kind and kind not in PAGE_TYPES:
        raise FeedError(url, f"not an HTML page ({kind})")
    page = decode_page(result)
    if not kind and not looks_like_page(page):
        raise FeedError(url, "not an HTML page (no content type, and no HTML in it)")
    return ArticleBody(html=page, canonical_url=page_canonical_url(page, result.url))


def decode_page(result: FetchResult) -> str:
    """A page's text, never failing on a wrong or missing charset.

    Order: a byte-order mark; UTF-8 when the bytes are valid UTF-8 (servers that claim Latin-1 for
    UTF-8 pages are common; the reverse cannot decode); the charset the server declared; a
    `<meta charset>`; else windows-1252, as browsers do.
    """
    body = result.body
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    declared = result.charset or _meta_charset(body)
    if not (declared or "").startswith(("utf-16", "utf-32")):
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            pass
    for candidate in (declared, _LEGACY_DEFAULT):
        if candidate and _known_codec(candidate):
            return body.decode(candidate, errors="replace")
    return body.decode(_LEGACY_DEFAULT, errors="replace")


def _meta_charset(body: bytes) -> str | None:
    found = _META_CHARSET.search(body[:4096])
    return found.group(1).decode("ascii").lower() if found else None


def _known_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True

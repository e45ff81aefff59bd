"""Feeds from fetched bytes: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed by hand.

feedparser only ever sees bytes we fetched through the guarded seam; it never fetches anything.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin

import feedparser

from bot.feeds.htmltext import html_to_text, looks_like_page
from bot.feeds.urls import canonical_url
from bot.ports import FeedEntry, FeedError, FeedPoll, NotAFeedError

_INTERNAL_SUBSET = re.compile(rb"<!DOCTYPE[^>\[]*\[", re.I)
_SUBSET_END = re.compile(rb"\]\s*>")
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.I)
_ALTERNATE = re.compile(
    r"<link\b[^>]*\btype=[\"']application/(?:rss|atom)\+xml[\"'][^>]*>", re.I | re.S
)
_HTML_ROOT = re.compile(r"<html\b", re.I)  # an XHTML page may open with <?xml ...?>
_HREF = re.compile(r"\bhref=[\"']([^\"']+)[\"']", re.I)
#: Longest title or id kept; a longer one is junk or an attack, and would be analysed in full.
MAX_TEXT_CHARS = 1000
_SY_PERIODS = {"hourly": 60, "daily": 1440, "weekly": 10080, "monthly": 43200, "yearly": 525600}


def parse_feed(data: bytes, url: str, content_type: str = "") -> FeedPoll:
    """Parse a fetched feed document.

    Args:
        data: The body as fetched.
        url: Where it came from (relative links resolve against it).
        content_type: The Content-Type header, if any.

    Raises:
        FeedError: Entity declarations, an HTML page, or anything that is not a feed (permanent).
    """
    if declares_entities(data):
        raise FeedError(url, "feeds declaring XML entities are refused", permanent=True)
    if "json" in content_type or data.lstrip()[:1] == b"{":
        return parse_json_feed(data, url)
    parsed = feedparser.parse(data, response_headers=_headers(url, content_type))
    if not parsed.get("version"):
        raise NotAFeedError(url, _not_a_feed(data, url))
    language = _language(parsed.feed.get("language"))
    entries = tuple(entry for item in parsed.entries if (entry := _entry(item, url, language)))
    title, interval = _text(parsed.feed.get("title")), _interval(parsed.feed)
    return FeedPoll(entries, title, interval=interval, language=language)


def declares_entities(data: bytes) -> bool:
    """Whether the document's DOCTYPE declares entities (the "billion laughs" family).

    Defence in depth: the expat under feedparser limits entity amplification itself, but a feed
    has no business declaring entities, however far into a padded DOCTYPE they hide. A DOCTYPE
    without an internal subset (RSS 0.91's) and "<!ENTITY" inside the content are fine.
    """
    subset = _INTERNAL_SUBSET.search(data)
    if subset is None:
        return False
    end = _SUBSET_END.search(data, subset.end())
    inside = data[subset.end() : end.start() if end else len(data)]
    return _ENTITY_DECLARATION.search(inside) is not None


def _headers(url: str, content_type: str) -> dict[str, str]:
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    return headers


def _entry(item: Mapping[str, Any], base: str, feed_language: str | None) -> FeedEntry | None:
    link = item.get("link") or _guid_link(item.get("id"))
    if not link:
        return None
    content = item.get("content") or []
    details = (*content, item.get("summary_detail") or {}, item.get("title_detail") or {})
    declared = (_language(detail.get("language")) for detail in details)
    return FeedEntry(
        url=canonical_url(urljoin(base, link)),
        title=_title(item),
        guid=_text(item.get("id")),
        published=_time(item.get("published_parsed") or item.get("updated_parsed")),
        summary=item.get("summary"),
        content=content[0].get("value") if content else None,
        language=next((code for code in declared if code), feed_language),
    )


def _language(value: Any) -> str | None:
    """A declared language tag ("fr-FR", Atom's xml:lang), if it is a short plain string."""
    if not isinstance(value, str) or not 2 <= len(value.strip()) <= 35:
        return None
    return value.strip()


def _title(item: Mapping[str, Any]) -> str | None:
    """The item's title as text: feedparser hands titles with markup over as HTML."""
    detail = item.get("title_detail") or {}
    if detail.get("type") in ("text/html", "application/xhtml+xml"):
        return _text(html_to_text(str(item.get("title") or "")[: MAX_TEXT_CHARS * 4]))
    return _text(item.get("title"))


def _guid_link(guid: str | None) -> str | None:
    return guid if guid and guid.startswith(("http://", "https://")) else None


def _time(parsed: Any) -> datetime | None:
    # feedparser normalises every date it can read to a UTC struct_time
    if parsed is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _interval(feed: Mapping[str, Any]) -> timedelta | None:
    ttl = str(feed.get("ttl") or "").strip()
    if ttl.isdigit() and int(ttl) > 0:
        return timedelta(minutes=int(ttl))
    period = _SY_PERIODS.get(str(feed.get("sy_updateperiod") or "").strip().lower())
    frequency = str(feed.get("sy_updatefrequency") or "1").strip()
    if period is None:
        return None
    return timedelta(minutes=period / max(int(frequency) if frequency.isdigit() else 1, 1))


def _text(value: Any) -> str | None:
    folded = " ".join(str(value or "")[: MAX_TEXT_CHARS * 4].split())[:MAX_TEXT_CHARS]
    return folded or None


def _not_a_feed(data: bytes, url: str) -> str:
    head = data[:200_000].decode("utf-8-sig", errors="replace")
    if not (looks_like_page(head) or _HTML_ROOT.search(head[:4096])):
        return "not a feed: neither RSS, Atom nor JSON Feed"
    for tag in _ALTERNATE.findall(head):
        href = _HREF.search(tag)
        if href:
            return f"not a feed: the page is HTML; its feed is {urljoin(url, href.group(1))}"
    return "not a feed: the page is HTML"


def parse_json_feed(data: bytes, url: str) -> FeedPoll:
    """A JSON Feed (https://jsonfeed.org) document.

    Raises:
        FeedError: Not JSON, or JSON that is not a JSON Feed (permanent).
    """
    try:  # stray bytes cost a character each, as feedparser's XML reading does, not the feed
        document = json.loads(data.decode("utf-8-sig", errors="replace"))
    except ValueError:
        raise NotAFeedError(url, "not a feed: malformed JSON") from None
    if not isinstance(document, dict) or "jsonfeed.org" not in str(document.get("version")):
        raise NotAFeedError(url, "not a feed: JSON, but not a JSON Feed")
    items = document.get("items")
    listed = items if isinstance(items, list) else []
    language = _language(document.get("language"))
    entries = (_json_entry(item, url, language) for item in listed if isinstance(item, dict))
    usable = tuple(entry for entry in entries if entry is not None)
    return FeedPoll(usable, _text(document.get("title")), language=language)


def _json_entry(item: Mapping[str, Any], base: str, language: str | None) -> FeedEntry | None:
    link = item.get("url") or item.get("external_url") or _guid_link(str(item.get("id") or ""))
    if not isinstance(link, str) or not link:
        return None
    return FeedEntry(
        url=canonical_url(urljoin(base, link)),
        title=_text(item.get("title")),
        guid=_text(item.get("id")),
        published=_iso(item.get("date_published") or item.get("date_modified")),
        summary=_string(item.get("summary")),
        content=_string(item.get("content_html")) or _string(item.get("content_text")),
        language=_language(item.get("language")) or language,
    )


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _iso(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)

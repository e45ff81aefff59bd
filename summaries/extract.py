"""HTML in: the article's main text and metadata, extracted with trafilatura (no network)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import trafilatura

from summaries.errors import InputError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExtractedArticle:
    """What trafilatura found in a page.

    Attributes:
        text: The main text, one paragraph per line.
        title: The page's headline, if it has one.
        published: The publication date, if the page states one.
    """

    text: str
    title: str | None
    published: date | None


def extract_article(html: str, url: str | None = None) -> ExtractedArticle:
    """Extract the main article from an HTML page.

    Args:
        html: The page's markup.
        url: Where the page came from (helps trafilatura's metadata extraction).

    Returns:
        The article's text, title and publication date.

    Raises:
        InputError: When the page has no article text in it.
    """
    # Precision first (no navigation or comments in a digest); a page where that finds nothing
    # gets a second, default pass rather than no digest at all.
    document = _extract(html, url, favor_precision=True)
    text = getattr(document, "text", None) or ""
    if not text.strip():
        document = _extract(html, url, favor_precision=False)
        text = getattr(document, "text", None) or ""
    if not text.strip():
        raise InputError("no article text found in the HTML (is it a page with an article?)")
    title = getattr(document, "title", None) or None
    return ExtractedArticle(text=text, title=title, published=_parse_date(document))


def _extract(html: str, url: str | None, *, favor_precision: bool) -> object:
    return trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=favor_precision,
    )


def _parse_date(document: object) -> date | None:
    raw = getattr(document, "date", None)
    if not raw:
        return None
    try:
        return date.fromisoformat(str(raw)[:10])
    except ValueError:
        log.debug("ignoring unparseable page date %r", raw)
        return None

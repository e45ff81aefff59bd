"""URL canonicalisation: one spelling per article, so that the same story is not news twice.

Tracking parameters, fragments, default ports and case differences in the scheme and host do not
change which article a link points to; a page's own `<link rel="canonical">` names it outright.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

#: Query parameters that only say where a click came from.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "ref_src",
        "ref_url",
        "cmpid",
        "ocid",
        "smid",
    }
)
TRACKING_PREFIXES = ("utm_", "at_", "pk_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
#: Only the head of a page is searched for its canonical link.
_HEAD_CHARS = 200_000
_URL_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*(?::[a-z][a-z0-9+.-]*)*)://\S", re.I)  # jar:http://


def url_scheme(target: str) -> str | None:
    """The lower-cased scheme of a `scheme://...` URL ("gopher", "file"), None for anything else."""
    match = _URL_SCHEME.match(target.strip())
    return match.group(1).lower() if match else None


def scheme_refusal(scheme: str) -> str:
    """The one wording, for /subscribe, `analyze` and `feed`, of a URL the bot does not fetch."""
    return f"refused: only http:// and https:// URLs are fetched, not {scheme}://"


def canonical_url(url: str) -> str:
    """The canonical spelling of an http(s) URL; other strings (local paths) come back unchanged.

    Example:
        >>> canonical_url("HTTPS://News.Example:443/a?utm_source=x&id=7#top")
        'https://news.example/a?id=7'
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return url
    host = parts.hostname.rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", _clean_query(parts.query), ""))


def _clean_query(query: str) -> str:
    kept = [
        (name, value)
        for name, value in parse_qsl(query, keep_blank_values=True)
        if not _is_tracking(name)
    ]
    return urlencode(kept)


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def page_canonical_url(html: str, page_url: str) -> str | None:
    """The canonical URL a page declares in `<link rel="canonical">`, made absolute, if any.

    A declared URL on another scheme than http(s) is ignored.
    """
    finder = _CanonicalLinkFinder()
    finder.feed(html[:_HEAD_CHARS])
    if finder.href is None:
        return None
    declared = canonical_url(urljoin(page_url, finder.href.strip()))
    return declared if declared.startswith(("http://", "https://")) else None


class _CanonicalLinkFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "link" or self.href is not None:
            return
        values = {name.lower(): value or "" for name, value in attrs}
        if "canonical" in values.get("rel", "").lower().split() and values.get("href"):
            self.href = values["href"]

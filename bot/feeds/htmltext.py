"""Feed descriptions and content often carry HTML fragments: detect them and read their text."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
_PAGE = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype|html|head|body)\b", re.I | re.S)
_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"}
_WHITESPACE = re.compile(r"\s+")
_SKIPPED = {"script", "style", "noscript", "template"}


def looks_like_html(text: str) -> bool:
    """Whether a string contains markup tags."""
    return _TAG.search(text) is not None


def looks_like_page(text: str) -> bool:
    """Whether a string is a whole HTML page (doctype, html, head or body first)."""
    return _PAGE.match(text) is not None


def html_to_text(fragment: str) -> str:
    """The readable text of an HTML fragment: blocks on their own lines, scripts dropped."""
    if not looks_like_html(fragment):
        return html.unescape(fragment).strip()
    reader = _TextReader()
    reader.feed(fragment)
    reader.close()
    lines = (" ".join(line.split()) for line in "".join(reader.parts).splitlines())
    return "\n".join(line for line in lines if line)


class _TextReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skipping += tag in _SKIPPED
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        self.skipping -= tag in _SKIPPED and self.skipping > 0
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            # in HTML a line break inside a block is just a space; only blocks break lines
            self.parts.append(_WHITESPACE.sub(" ", data))

"""The operator's catalogue: the feeds `NEWSDIGEST_CATALOG` names, from an OPML file or a list.

Catalogue feeds are polled though no channel follows them; every workspace's topics draw on
their stories (bot/engine `set_catalogue`, `Store.tenant_stories`).
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.ports import OpmlCodec, OpmlError

MAX_CATALOG_BYTES = 5_000_000
_SEPARATORS = re.compile(r"[,\n]")


class CatalogueError(Exception):
    """A catalogue setting that cannot be read.

    Attributes:
        reason: Why, in one line, with an example of a correct value.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_catalogue(value: str, opml: OpmlCodec) -> list[str]:
    """The feed URLs (or local paths) the setting names, in order, without repeats.

    Args:
        value: An OPML file's path (ending in .opml), or feed URLs separated by commas or lines.
        opml: The OPML reader.

    Raises:
        CatalogueError: The OPML file cannot be read or is not OPML.
    """
    text = value.strip()
    if text.lower().endswith(".opml") and not _SEPARATORS.search(text):
        return _opml_urls(Path(text), opml)
    return list(dict.fromkeys(part.strip() for part in _SEPARATORS.split(text) if part.strip()))


def _opml_urls(path: Path, opml: OpmlCodec) -> list[str]:
    example = "e.g. NEWSDIGEST_CATALOG=examples/catalog.opml, or feed URLs separated by commas"
    try:
        with path.open("rb") as file:
            data = file.read(MAX_CATALOG_BYTES + 1)
    except OSError as error:
        raise CatalogueError(f"cannot read {path}: {error.strerror or error} ({example})") from None
    if len(data) > MAX_CATALOG_BYTES:
        raise CatalogueError(f"{path} is larger than {MAX_CATALOG_BYTES} bytes")
    try:
        outlines = opml.parse(data.decode("utf-8", errors="replace"))
    except OpmlError as error:
        raise CatalogueError(f"{path} is not an OPML list: {error.reason} ({example})") from None
    return [outline.url for outline in outlines]

"""Where an imported OPML list comes from: a file sent with the command, or an OPML URL.

Either way one size limit applies and the bytes become text here, so every platform refuses a
file that is too big, not text, or at a refused address with the same one-line reason.
"""

from __future__ import annotations

import codecs
import re

from bot.commands.arguments import ArgumentError
from bot.feeds.urls import url_scheme
from bot.ports import Downloads, FeedError

MAX_OPML_BYTES = 1_000_000
"""An OPML file's largest size: 500 feeds (the most one import takes) fit in a tenth of it."""
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*encoding=["']([A-Za-z0-9_.:-]+)["']""")


async def opml_document(
    args: str, attachment: str | bytes | None, downloads: Downloads | None
) -> str:
    """The OPML text of `import-opml`: the attached file, else the document at the URL in `args`.

    Raises:
        ArgumentError: No file and no URL, a URL the bot does not fetch, a download that failed,
            or a file over MAX_OPML_BYTES or not text.
    """
    if attachment:
        return opml_text(attachment)
    target = args.strip()
    if not target:
        raise ArgumentError("attach an OPML file to import, or give its URL", "import-opml")
    if url_scheme(target) not in ("http", "https"):
        raise ArgumentError(
            f"{target!r} is neither an attached file nor an http(s) URL of an OPML file",
            "import-opml",
        )
    return opml_text(await _download(target, downloads))


async def _download(url: str, downloads: Downloads | None) -> bytes:
    if downloads is None:
        raise ArgumentError("this bot does not fetch OPML URLs; attach the file", "import-opml")
    try:
        return await downloads.download(url, MAX_OPML_BYTES)
    except FeedError as error:
        raise ArgumentError(f"cannot import {url}: {error.reason}", "import-opml") from error


def opml_text(data: str | bytes) -> str:
    """An OPML file as text: UTF-8 (with or without a BOM), else the encoding it declares.

    Raises:
        ArgumentError: Larger than MAX_OPML_BYTES, or bytes that are not text in that encoding.
    """
    size = len(data.encode("utf-8", errors="replace")) if isinstance(data, str) else len(data)
    if size > MAX_OPML_BYTES:
        raise ArgumentError(
            f"the OPML file is larger than {MAX_OPML_BYTES:,} bytes; split it", "import-opml"
        )
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _declared(data)


def _declared(data: bytes) -> str:
    match = _DECLARED.match(data)
    try:
        codec = codecs.lookup(match.group(1).decode("ascii")).name if match else ""
        return data.decode(codec) if codec else data.decode("utf-8")
    except (LookupError, UnicodeDecodeError):
        raise ArgumentError(
            "the file is not OPML: it is not UTF-8 text (nor in the encoding it declares)",
            "import-opml",
        ) from None

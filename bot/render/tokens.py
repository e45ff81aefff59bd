"""What the Slack and Discord renderers share: calendar days as timestamps, token-safe cuts."""

from __future__ import annotations

import re
from datetime import UTC, datetime

_DAY_VALUE = re.compile(r"^(?P<text>.*) \((?P<day>\d{4}-\d{2}-\d{2})\)$")
ELLIPSIS = "…"


def split_day(mention: str) -> tuple[str, str, int] | None:
    """`Thursday (2024-01-04)` -> ("Thursday", "2024-01-04", noon UTC of that day as unix time).

    None when the mention does not end in a valid calendar day (a month, a year, a range).
    Noon keeps the day the same in every reader's time zone from UTC-11 to UTC+11.
    """
    match = _DAY_VALUE.match(mention)
    if match is None:
        return None
    try:
        day = datetime.strptime(match["day"], "%Y-%m-%d").replace(hour=12, tzinfo=UTC)
    except ValueError:
        return None
    return match["text"], match["day"], int(day.timestamp())


def cut(text: str, limit: int, *, trailing: str = "") -> str:
    """Shorten to `limit` characters without ending inside a `<...>` token.

    Args:
        text: The text.
        limit: Most characters, the ellipsis included.
        trailing: Characters also dropped from the end before the ellipsis (an escape's backslash).
    """
    if len(text) <= limit:
        return text
    kept = text[: limit - 1]
    opened = kept.rfind("<")
    if opened > kept.rfind(">"):
        kept = kept[:opened]
    return kept.rstrip().rstrip(trailing) + ELLIPSIS

"""What the Slack and Discord renderers share: calendar days as timestamps, token-safe cuts."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from bot.texts import cut

__all__ = ["cut", "split_day"]  # cut lives in bot.texts: the one truncation

_DAY_VALUE = re.compile(r"^(?P<text>.*) \((?P<day>\d{4}-\d{2}-\d{2})\)$")


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

"""What the renderers share: dates in words and as timestamps (cuts are `bot.texts.cut`)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain import EntryDate


def day_timestamp(date: EntryDate) -> int | None:
    """Noon UTC of the calendar day a date names, as unix time; None for a month, a year, a week.

    Noon keeps the day the same in every reader's time zone from UTC-11 to UTC+11.
    """
    try:
        day = datetime.strptime(date.value, "%Y-%m-%d").replace(hour=12, tzinfo=UTC)
    except ValueError:
        return None
    return int(day.timestamp())


def date_words(date: EntryDate) -> str:
    """A date as plain text: "Thursday (2024-01-04)", or the value alone when it is the text."""
    return date.value if date.text == date.value else f"{date.text} ({date.value})"

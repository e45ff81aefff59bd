"""What the Slack and Discord renderers share: calendar days and token-safe cuts."""

from __future__ import annotations

from bot.domain import EntryDate
from bot.render.tokens import date_words, day_timestamp
from bot.texts import cut


def test_a_calendar_day_becomes_its_noon_utc_and_nothing_else_does() -> None:
    assert day_timestamp(EntryDate("Thursday", "2024-01-04")) == 1704369600
    assert day_timestamp(EntryDate("October", "2023-10")) is None
    assert day_timestamp(EntryDate("that week", "2024-W01")) is None
    assert day_timestamp(EntryDate("a day", "2024-02-30")) is None


def test_a_date_in_words_shows_its_value_once() -> None:
    assert date_words(EntryDate("Thursday", "2024-01-04")) == "Thursday (2024-01-04)"
    assert date_words(EntryDate("2021", "2021")) == "2021"


def test_cuts_never_end_inside_a_token_or_after_an_escape() -> None:
    assert cut("short", 10) == "short"
    assert cut("see <https://a.example/x|here> now", 20) == "see…"
    assert cut("abc def\\*", 9, trailing="\\") == "abc def\\*"
    assert cut("abcdefg\\*h", 9, trailing="\\") == "abcdefg…"
    assert cut("abcdefg\\*h", 9) == "abcdefg\\…"
    assert len(cut("x" * 500, 100)) == 100

"""What the Slack and Discord renderers share: calendar days and token-safe cuts."""

from __future__ import annotations

from bot.render.tokens import cut, split_day


def test_a_day_mention_becomes_its_noon_utc() -> None:
    assert split_day("Thursday (2024-01-04)") == ("Thursday", "2024-01-04", 1704369600)
    assert split_day("October (2023-10)") is None
    assert split_day("a day (2024-02-30)") is None


def test_cuts_never_end_inside_a_token_or_after_an_escape() -> None:
    assert cut("short", 10) == "short"
    assert cut("see <https://a.example/x|here> now", 20) == "see…"
    assert cut("abc def\\*", 9, trailing="\\") == "abc def\\*"
    assert cut("abcdefg\\*h", 9, trailing="\\") == "abcdefg…"
    assert cut("abcdefg\\*h", 9) == "abcdefg\\…"
    assert len(cut("x" * 500, 100)) == 100

"""Digest instants: local wall-clock time to UTC, across DST changes, weekdays, parsing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.delivery.timing import (
    ScheduleError,
    describe_weekdays,
    fire_at,
    last_fire,
    next_fire,
    parse_time,
    parse_timezone,
    parse_weekdays,
)
from bot.domain import DestinationSettings

BERLIN_9 = DestinationSettings(digest_time=time(9, 0), timezone="Europe/Berlin")


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (date(2024, 3, 30), 8),  # Saturday, CET (UTC+1)
        (date(2024, 3, 31), 7),  # Sunday: clocks went forward at 02:00, CEST (UTC+2)
        (date(2024, 10, 26), 7),  # Saturday, CEST
        (date(2024, 10, 27), 8),  # Sunday: clocks went back at 03:00, CET again
    ],
)
def test_nine_in_berlin_on_both_sides_of_dst(day: date, utc_hour: int) -> None:
    assert fire_at(day, BERLIN_9) == datetime(day.year, day.month, day.day, utc_hour, tzinfo=UTC)


def test_next_fire_crosses_the_spring_change() -> None:
    saturday_after = datetime(2024, 3, 30, 8, 0, 1, tzinfo=UTC)
    assert next_fire(BERLIN_9, saturday_after) == datetime(2024, 3, 31, 7, 0, tzinfo=UTC)
    assert last_fire(BERLIN_9, saturday_after) == datetime(2024, 3, 30, 8, 0, tzinfo=UTC)


def test_a_time_inside_the_spring_gap_fires_after_it() -> None:
    settings = DestinationSettings(digest_time=time(2, 30), timezone="Europe/Berlin")
    # 02:30 does not exist on 31 March: it fires at 03:30 CEST = 01:30 UTC
    assert fire_at(date(2024, 3, 31), settings) == datetime(2024, 3, 31, 1, 30, tzinfo=UTC)


def test_a_time_that_happens_twice_fires_once_at_its_first_occurrence() -> None:
    settings = DestinationSettings(digest_time=time(2, 30), timezone="Europe/Berlin")
    assert fire_at(date(2024, 10, 27), settings) == datetime(2024, 10, 27, 0, 30, tzinfo=UTC)


def test_weekdays_are_skipped_and_the_last_slot_found() -> None:
    weekdays = DestinationSettings(weekdays=frozenset(range(5)))  # 09:00 UTC, Mon-Fri
    sunday_noon = datetime(2024, 6, 2, 12, 0, tzinfo=UTC)
    assert last_fire(weekdays, sunday_noon) == datetime(2024, 5, 31, 9, 0, tzinfo=UTC)
    assert next_fire(weekdays, sunday_noon) == datetime(2024, 6, 3, 9, 0, tzinfo=UTC)
    assert next_fire(DestinationSettings(weekdays=frozenset()), sunday_noon) is None


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("daily", set(range(7))),
        ("weekdays", {0, 1, 2, 3, 4}),
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("Mon,Wed,Friday", {0, 2, 4}),
        ("fri-mon", {4, 5, 6, 0}),
        ("sat", {5}),
    ],
)
def test_weekday_forms(text: str, days: set[int]) -> None:
    assert parse_weekdays(text) == frozenset(days)


def test_weekdays_are_written_back_readably() -> None:
    assert describe_weekdays(frozenset(range(5))) == "weekdays"
    assert describe_weekdays(frozenset({0, 2})) == "mon,wed"


@pytest.mark.parametrize(
    ("parse", "text", "message"),
    [
        (parse_time, "9am", "is not a 24-hour time like 09:00"),
        (parse_time, "24:00", "is not a 24-hour time"),
        (parse_timezone, "Mars/Olympus", "is not an IANA timezone like Europe/Berlin"),
        (parse_timezone, "../../etc/passwd", "is not an IANA timezone"),
        (parse_weekdays, "mon-funday", "is not a weekday like mon or mon-fri"),
    ],
)
def test_bad_values_get_one_line_reasons(parse: object, text: str, message: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        parse(text)  # type: ignore[operator]
    assert message in caught.value.reason
    assert "\n" not in caught.value.reason

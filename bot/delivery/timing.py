"""When a destination's daily digest fires: local wall-clock time to UTC instants, across DST.

A local time that does not exist on a spring-forward day (02:30 in a 02:00-03:00 gap) fires as
many minutes after the gap as it was into it (03:30), as PEP 495 reads it; a local time that occurs
twice on a fall-back day fires at its first occurrence.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain import ALL_DAYS, DestinationSettings

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NAMED_SETS = {
    "daily": ALL_DAYS,
    "everyday": ALL_DAYS,
    "weekdays": frozenset(range(5)),
    "weekends": frozenset({5, 6}),
}
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class ScheduleError(ValueError):
    """A schedule argument that cannot be read.

    Attributes:
        reason: What is wrong, in plain words.
        value: The text that was given.
    """

    def __init__(self, reason: str, value: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.value = value


def fire_at(day: date, settings: DestinationSettings) -> datetime:
    """The UTC instant of the digest on a local calendar day (whatever its weekday)."""
    local = datetime.combine(day, settings.digest_time, tzinfo=ZoneInfo(settings.timezone))
    return local.astimezone(UTC)


def last_fire(settings: DestinationSettings, now: datetime) -> datetime | None:
    """The latest digest instant at or before `now`, looking back at most a week."""
    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    for back in range(8):
        day = today - timedelta(days=back)
        moment = fire_at(day, settings)
        if day.weekday() in settings.weekdays and moment <= now:
            return moment
    return None


def next_fire(settings: DestinationSettings, after: datetime) -> datetime | None:
    """The first digest instant strictly after `after`, or None when no weekday is chosen."""
    today = after.astimezone(ZoneInfo(settings.timezone)).date()
    for ahead in range(9):
        day = today + timedelta(days=ahead)
        moment = fire_at(day, settings)
        if day.weekday() in settings.weekdays and moment > after:
            return moment
    return None


def parse_time(value: str) -> time:
    """A 24-hour `HH:MM` wall-clock time.

    Raises:
        ScheduleError: When the value is not HH:MM.
    """
    match = _HHMM.match(value)
    if not match:
        raise ScheduleError(f"{value!r} is not a 24-hour time like 09:00", value)
    return time(int(match.group(1)), int(match.group(2)))


def parse_timezone(value: str) -> str:
    """An IANA timezone name (`Europe/Berlin`, `UTC`), checked against the tz database.

    Raises:
        ScheduleError: When no such timezone exists.
    """
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ScheduleError(
            f"{value!r} is not an IANA timezone like Europe/Berlin", value
        ) from error
    return value


def parse_weekdays(value: str) -> frozenset[int]:
    """Weekdays from `daily`, `weekdays`, `weekends`, `mon-fri` or `mon,wed,fri`.

    Raises:
        ScheduleError: When a day name or range cannot be read.
    """
    text = value.strip().lower()
    if text in _NAMED_SETS:
        return _NAMED_SETS[text]
    days: set[int] = set()
    for part in text.split(","):
        days |= _day_range(part.strip(), value)
    return frozenset(days)


def looks_like_weekdays(value: str) -> bool:
    """Whether a schedule argument is meant as weekdays (rather than a timezone)."""
    head = value.strip().lower()
    return head in _NAMED_SETS or (head[:3] in DAY_NAMES and "/" not in head)


def describe_weekdays(days: frozenset[int]) -> str:
    """Weekdays written back: `daily`, `weekdays`, `weekends` or `mon,wed,fri`."""
    for name, named in _NAMED_SETS.items():
        if days == named:
            return name
    return ",".join(DAY_NAMES[day] for day in sorted(days))


def _day_range(part: str, value: str) -> set[int]:
    start, _, end = part.partition("-")
    first, last = _day(start, value), _day(end or start, value)
    if last < first:
        return set(range(first, 7)) | set(range(last + 1))
    return set(range(first, last + 1))


def _day(name: str, value: str) -> int:
    for index, full in enumerate(_FULL_NAMES):
        if len(name) >= 3 and full.startswith(name):
            return index
    raise ScheduleError(f"{name!r} in {value!r} is not a weekday like mon or mon-fri", value)

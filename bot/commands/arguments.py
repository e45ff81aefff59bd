"""Command arguments: since-windows, schedules, modes, topics; errors carry the command's name."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from bot.delivery.timing import (
    ScheduleError,
    looks_like_weekdays,
    parse_time,
    parse_timezone,
    parse_weekdays,
)
from bot.domain import DestinationSettings, DigestLayout, DigestMode
from bot.engine import MAX_ASKED_WINDOW
from bot.feeds.urls import url_scheme
from bot.news.topics import Query, TopicError, parse_filter, parse_topic
from bot.texts import MAX_STORIES

MAX_WINDOW = MAX_ASKED_WINDOW  # articles are stored at least this long (Engine.prune)
_SINCE = re.compile(r"^(\d{1,4})([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf")
_ONLY = re.compile(r"(?:^|\s)only:", re.IGNORECASE)
FEED_SCHEMES = ("http://", "https://", "file:")
#: A web address typed without its scheme: a dotted host ending in a word (`example.com`,
#: `news.example.org:8080/world`); `world.xml` and the like stay local paths.
_WEB_ADDRESS = re.compile(
    r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?!(?:xml|rss|atom|rdf)(?:[:/?#]|$))[a-z]{2,63}"
    r"(?::\d{1,5})?(?:[/?#]\S*)?$",
    re.I,
)


@dataclass(frozen=True)
class FeedTarget:
    """What `subscribe` follows when it is not a topic.

    Attributes:
        url: A feed's or a page's URL (`https://` added to a web address typed without one), or a
            local path.
        pick: Which of a page's discovered feeds to follow (1 is the first), if the user chose.
    """

    url: str
    pick: int | None = None
    only: Query | None = None


class ArgumentError(ValueError):
    """A command argument that cannot be used; becomes a CommandError.

    Attributes:
        reason: What is wrong, in one line.
        command: The command's name, whose example (from the spec) is shown.
    """

    def __init__(self, reason: str, command: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.command = command


def topic(text: str, command: str) -> Query:
    """A topic query (raises ArgumentError naming `command` when it does not parse)."""
    try:
        return parse_topic(text)
    except TopicError as error:
        raise ArgumentError(f"topic {text!r}: {error}", command) from error


def split_only(args: str) -> tuple[str, Query | None]:
    """`<target> only:<topic>` as the target and its parsed filter (None without `only:`).

    Example:
        >>> split_only("example.com/world.xml only:climate")[0]
        'example.com/world.xml'
    """
    match = _ONLY.search(args)
    if match is None:
        return args, None
    head, text = args[: match.start()].strip(), args[match.end() :].strip()
    if not head:
        raise ArgumentError("only: filters a feed: put the feed before it", "subscribe")
    if not text:
        raise ArgumentError("only: needs a topic after it", "subscribe")
    return head, feed_filter(text, "subscribe")


def feed_filter(text: str, command: str) -> Query:
    """A feed's `only:` filter in the topic language (raises ArgumentError).

    The error's example is the command's own, which for subscribe shows an `only:`.
    """
    try:
        return parse_filter(text)
    except TopicError as error:
        raise ArgumentError(f"filter {text!r}: {error}", command) from error


def looks_like_feed(target: str) -> bool:
    """Whether a subscribe target is a feed (a URL, or a path to an .xml/.rss/.atom file)."""
    lowered = target.lower()
    if lowered.startswith(FEED_SCHEMES) or url_scheme(lowered):
        return True
    return " " not in target and lowered.endswith(_FEED_SUFFIXES)


def feed_target(args: str) -> FeedTarget | None:
    """`<feed-url | page-url | web address> [N]` as a FeedTarget; None for a topic.

    Example:
        >>> feed_target("example.com 2")
        FeedTarget(url='https://example.com', pick=2)
    """
    head, _, last = args.rpartition(" ")
    url = web_url(head.strip()) if head and last.isdigit() else None
    if url is not None:
        return FeedTarget(url, int(last))
    url = web_url(args)
    return None if url is None else FeedTarget(url)


def web_url(target: str) -> str | None:
    """A feed target as a URL or path: a web address gets `https://`; None for a topic."""
    if _WEB_ADDRESS.match(target):
        return f"https://{target}"
    return target if looks_like_feed(target) else None


def foreign_scheme(target: str) -> str | None:
    """The scheme of a URL the bot never fetches ("gopher", "ftp"), None for feeds and topics."""
    scheme = url_scheme(target)
    return None if scheme is None or scheme in ("http", "https", "file") else scheme


def split_since(args: str, default: timedelta, now: datetime) -> tuple[str, timedelta]:
    """`[topic] [since]` into the topic text and the window (`default` when no since)."""
    head, _, last = args.rpartition(" ")
    window = _since(last, now)
    if window is None:
        return args, default
    if window > MAX_WINDOW or window <= timedelta(0):
        raise ArgumentError("since must be within the last 30 days", "digest")
    return head.strip(), window


def _since(token: str, now: datetime) -> timedelta | None:
    match = _SINCE.match(token.lower())
    if match:
        return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    try:
        day = date.fromisoformat(token)
    except ValueError:
        return None
    return now - datetime.combine(day, time(0), tzinfo=UTC)


def schedule(settings: DestinationSettings, args: list[str]) -> DestinationSettings:
    """Settings changed by `<HH:MM> [timezone] [weekdays] [max=N] [layout:thread|inline]`."""
    if not args:
        raise ArgumentError("schedule needs a time like 09:00", "schedule")
    try:
        changed = replace(settings, digest_time=parse_time(args[0]))
        for arg in args[1:]:
            changed = _schedule_option(changed, arg)
    except ScheduleError as error:
        raise ArgumentError(error.reason, "schedule") from error
    return changed


def _schedule_option(settings: DestinationSettings, arg: str) -> DestinationSettings:
    if arg.lower().startswith("max="):
        return replace(settings, max_stories=_count(arg[4:], "schedule", "max"))
    if arg.lower().startswith("layout:"):
        return replace(settings, layout=_layout(arg[len("layout:") :]))
    if looks_like_weekdays(arg):
        return replace(settings, weekdays=parse_weekdays(arg))
    return replace(settings, timezone=parse_timezone(arg))


def _layout(text: str) -> DigestLayout:
    try:
        return DigestLayout(text.strip().lower())
    except ValueError:
        raise ArgumentError(f"layout is thread or inline, not {text!r}", "schedule") from None


def mode(settings: DestinationSettings, args: list[str]) -> DestinationSettings:
    """Settings changed by `<quiet | live> [N]`."""
    if not args or args[0].lower() not in {"quiet", "live"} or len(args) > 2:
        raise ArgumentError("mode is quiet or live, with an optional hourly limit", "mode")
    mode = DigestMode(args[0].lower())
    limit = _count(args[1], "mode", "the hourly limit") if len(args) == 2 else settings.live_limit
    return replace(settings, mode=mode, live_limit=limit)


def links(settings: DestinationSettings, args: list[str]) -> DestinationSettings:
    """Settings changed by `<on | off>`: threaded digests of links posted in the channel."""
    if len(args) != 1 or args[0].lower() not in {"on", "off"}:
        raise ArgumentError("links is on or off", "links")
    return replace(settings, link_replies=args[0].lower() == "on")


def _count(text: str, command: str, what: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MAX_STORIES:
        raise ArgumentError(
            f"{what} must be a whole number from 1 to {MAX_STORIES}, not {text!r}", command
        )
    return int(text)

"""A digest's title in words, from its kind and heading: the one place digest titles are worded."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.domain import Digest, DigestKind, FeedNotice

LINK_TITLE = "Shared link"
LIVE_TITLE = "New story"
NOTICE_KINDS = frozenset({DigestKind.ALERT, DigestKind.RECOVERED})
"""Digests that are one line about a feed, with no stories."""

HTTP_STATUS = re.compile(r"HTTP (\d{3})\b")
STATUS_WORDS = {
    401: "the site asks for a login",
    403: "the site refuses the bot access",
    404: "the site says there is no feed at that address",
    410: "the site says the feed is gone for good",
    429: "the site says the bot asks too often",
}


def digest_title(digest: Digest) -> str:
    """The digest's title: "Daily digest, Fri 5 Jan 2024", "Digest: floods, last 24 hours"."""
    kind, heading = digest.kind, digest.heading
    if kind in NOTICE_KINDS and heading.notice is not None:
        return notice_words(heading.notice)
    if kind is DigestKind.LINK:
        return LINK_TITLE
    if kind is DigestKind.LIVE:
        return LIVE_TITLE
    if kind is DigestKind.BURST:
        return f"{len(digest.entries) + digest.more} new stories in the last hour"
    if kind is DigestKind.ON_DEMAND:
        window = window_words(heading.window or digest.until - digest.since)
        return f"Digest: {heading.topic + ', ' if heading.topic else ''}last {window}"
    moment = (heading.moment or digest.until).astimezone(ZoneInfo(heading.timezone))
    day = f"{moment:%a} {moment.day} {moment:%b %Y}"
    if kind is DigestKind.CATCH_UP:
        return f"Catch-up digest: what came in while the bot was away (due {day}, {moment:%H:%M})"
    return f"Daily digest, {day}"


def most_named_words(digest: Digest) -> str | None:
    """The digest's closing line about its most named actor, if it has one."""
    if digest.most_named is None:
        return None
    name, stories = digest.most_named
    return f"Most named today: {name} ({stories} stories)"


def window_words(window: timedelta) -> str:
    """A window in words: "24 hours", "3 days", "90 minutes"."""
    minutes = int(window.total_seconds() // 60)
    if minutes % (24 * 60) == 0 and minutes >= 48 * 60:
        return f"{minutes // (24 * 60)} days"
    if minutes % 60 == 0:
        hours = minutes // 60
        return "1 hour" if hours == 1 else f"{hours} hours"
    return f"{minutes} minutes"


def notice_words(notice: FeedNotice) -> str:
    """A feed alert or recovery line: what failed, why in plain words, and what to do."""
    if notice.failing_for is None:
        return f"Feed {notice.url} works again."
    hours = int(notice.failing_for.total_seconds() // 3600)
    return (
        f"Feed {notice.url} has failed for {hours} hours ({error_words(notice.reason)}). "
        f"It will keep trying; /unsubscribe {notice.subscription_id} stops it."
    )


def error_words(reason: str | None) -> str:
    """A fetch error in plain words: "HTTP 503: the site answered with a server error"."""
    if not reason:
        return "no reason given"
    match = HTTP_STATUS.match(reason)
    if match is None:
        return reason
    status = int(match.group(1))
    gloss = STATUS_WORDS.get(status)
    if gloss is None:
        gloss = "the site answered with a server error" if status >= 500 else "the site refused"
    return f"HTTP {status}: {gloss}"

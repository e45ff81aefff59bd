"""Digests and command results as plain text (the console; a fallback for any platform).

Every piece of article or user text passes through `neutralise`, so nothing rendered can ping.
"""

from __future__ import annotations

from datetime import datetime
from functools import singledispatch
from zoneinfo import ZoneInfo

from bot.commands.replies import (
    CommandError,
    DigestReply,
    FeedChoices,
    FilterReplaced,
    HelpReply,
    OpmlExported,
    OpmlImported,
    SettingsChanged,
    Subscribed,
    SubscriptionList,
    SubscriptionView,
    Unsubscribed,
)
from bot.commands.spec import command_line
from bot.delivery.timing import describe_weekdays
from bot.domain import Digest, DigestEntry, DigestKind, DigestLayout, FeedState, SubscriptionKind
from bot.render.mentions import neutralise
from bot.render.titles import NOTICE_KINDS, digest_title, most_named_words
from bot.render.tokens import date_words


def render_text(result: object) -> str:
    """Any command result or digest as plain text, safe to post."""
    return neutralise(_render(result))


def render_digest(digest: Digest) -> str:
    """A digest as plain text, safe to post."""
    return neutralise(_digest(digest))


def render_error(error: CommandError, example: str) -> str:
    """An error as one line, safe to post, with its example as the platform writes it."""
    return neutralise(f"Error: {error.message}. Example: {example}")


@singledispatch
def _render(result: object) -> str:
    raise TypeError(f"no text rendering for {type(result).__name__}")


@_render.register
def _digest(digest: Digest) -> str:
    if digest.kind in NOTICE_KINDS:
        return digest_title(digest)
    if not digest.entries:
        hint = "No stories yet. /subscribe to a feed or a topic, then /digest."
        return f"{digest_title(digest)}\n{hint}"
    if digest.kind is DigestKind.LIVE:
        return "\n\n".join("\n".join(_entry(entry, None)) for entry in digest.entries)
    count = len(digest.entries) + digest.more
    lines = [f"{digest_title(digest)} ({count} {'story' if count == 1 else 'stories'})"]
    for number, entry in enumerate(digest.entries, start=1):
        lines += ["", *_entry(entry, number)]
    if digest.more:
        lines += ["", f"...and {digest.more} more; /digest shows the latest on demand."]
    named = most_named_words(digest)
    if named:
        lines += ["", named]
    return "\n".join(lines)


def _entry(entry: DigestEntry, number: int | None) -> list[str]:
    lines = [f"{number}. {entry.headline}" if number else f"New: {entry.headline}"]
    lines += [f"   {sentence}" for sentence in entry.summary]
    if entry.actors:
        lines.append(f"   Who: {', '.join(entry.actors)}")
    if entry.dates:
        lines.append(f"   When: {', '.join(date_words(date) for date in entry.dates)}")
    sources = entry.covered_by
    lines.append(f"   Covered by {sources} source{'s' if sources != 1 else ''}:")
    lines += [
        f"   - {link.outlet}: {link.url}{' (from feed excerpt)' if link.excerpt else ''}"
        for link in entry.sources
    ]
    return lines


@_render.register
def _(reply: DigestReply) -> str:
    return _digest(reply.digest)


@_render.register
def _(error: CommandError) -> str:
    return f"Error: {error.message}. Example: {command_line(error.example)}"


@_render.register
def _(reply: FeedChoices) -> str:
    lines = [f"{reply.target} names {len(reply.feeds)} feeds; follow one by its number:"]
    for number, feed in enumerate(reply.feeds, start=1):
        lines.append(
            f"{number}. {feed.title} <{feed.url}>" if feed.title else f"{number}. {feed.url}"
        )
    lines.append(f"Example: /subscribe {reply.target} 1")
    return "\n".join(lines)


@_render.register
def _(reply: Subscribed) -> str:
    sub = reply.subscription
    if sub.kind is SubscriptionKind.TOPIC:
        return f"Subscribed (#{sub.id}) to the topic {sub.target}."
    only = f", only items matching {sub.filter}" if sub.filter else ""
    text = (
        f"Subscribed (#{sub.id}) to {sub.target}{only}: {reply.new_articles} article(s) read now."
    )
    if reply.error:
        text += f" The first fetch failed ({reply.error}); it will be retried."
    return text + " From now on new stories come in your digest; /digest shows them now."


@_render.register
def _(reply: FilterReplaced) -> str:
    sub = reply.subscription
    now = f"only items matching {sub.filter}" if sub.filter else "every item"
    before = f"only {reply.previous}" if reply.previous else "every item"
    return (
        f"Replaced the filter of #{sub.id} ({sub.target}): {now} from now on "
        f"(before: {before}). Subscribing again to a followed feed replaces its filter."
    )


@_render.register
def _(reply: Unsubscribed) -> str:
    return f"Unsubscribed #{reply.subscription.id} ({reply.subscription.target})."


PAUSED = (
    "Paused: {reason} since {since}: no digest is posted here. Invite the bot back "
    "and run any managing command (e.g. /schedule 09:00) to resume."
)


@_render.register
def _(reply: SubscriptionList) -> str:
    lines = []
    if reply.paused_at is not None:
        lines.append(PAUSED.format(reason=reply.paused_reason, since=_when(reply.paused_at)))
    links = [] if reply.link_replies is None else [_links_line(reply.link_replies)]
    if reply.layout is not None:
        links.append(LAYOUT_LINES[reply.layout])
    if not reply.items:
        lines += ["No subscriptions. Example: /subscribe examples/feeds/world.xml", *links]
        return "\n".join(lines)
    lines += ["Subscriptions:", *(_subscription(view) for view in reply.items)]
    topics = any(view.subscription.kind is SubscriptionKind.TOPIC for view in reply.items)
    if topics and reply.catalogue:
        feeds = "1 feed" if reply.catalogue == 1 else f"{reply.catalogue} feeds"
        lines.append(f"Topics also draw on the operator's catalogue of {feeds}.")
    return "\n".join([*lines, *links])


LAYOUT_LINES = {
    DigestLayout.THREAD: (
        "Digest layout: thread (one message, the stories in its thread; "
        "/schedule HH:MM layout:inline posts them in the channel)."
    ),
    DigestLayout.INLINE: (
        "Digest layout: inline (the stories in the channel; "
        "/schedule HH:MM layout:thread keeps them in one message's thread)."
    ),
}


def _links_line(on: bool) -> str:
    if on:
        return "Link replies: on (links posted here get a digest in a thread; /links off)."
    return "Link replies: off (/links on answers links posted here with a digest)."


def _subscription(view: SubscriptionView) -> str:
    sub = view.subscription
    if sub.kind is SubscriptionKind.MUTE:
        return f"#{sub.id} muted outlet: {sub.target} (its articles are never delivered here)"
    if view.feed is None:
        return f"#{sub.id} topic: {sub.target}"
    only = f" only: {sub.filter}" if sub.filter else ""
    return f"#{sub.id} feed: {sub.target}{only} ({_health(view.feed)})"


def _health(feed: FeedState) -> str:
    if feed.last_error:
        return f"failing {feed.errors}x: {feed.last_error}; next try {_when(feed.next_poll_at)}"
    if feed.last_success_at is None:
        return "not fetched yet"
    return f"ok, {feed.articles} articles, last read {_when(feed.last_success_at)}"


@_render.register
def _(reply: SettingsChanged) -> str:
    settings = reply.settings
    text = (
        f"Daily digest at {settings.digest_time:%H:%M} {settings.timezone}, "
        f"{describe_weekdays(settings.weekdays)}, at most {settings.max_stories} stories; "
        f"mode {settings.mode}"
    )
    if settings.mode == "live":
        text += f" (a digest instead above {settings.live_limit} stories an hour)"
    text += f"; layout {settings.layout}"
    text += f"; link replies {'on' if reply.link_replies else 'off'}"
    if reply.next_digest is not None:
        local = reply.next_digest.astimezone(ZoneInfo(settings.timezone))
        text += f". Next digest: {local:%a %Y-%m-%d %H:%M %Z}"
    return text + "."


@_render.register
def _(reply: OpmlImported) -> str:
    text = f"Imported {len(reply.added)} feed(s); they are read on the next poll."
    if reply.already:
        text += f" Already followed: {len(reply.already)}."
    if reply.left_out:
        text += f" Left out: {len(reply.left_out)}, because {reply.limit}."
    if reply.unreadable:
        text += (
            f" Not imported: {len(reply.unreadable)} whose only: filter does not parse "
            f"({', '.join(reply.unreadable[:3])})."
        )
    return text


@_render.register
def _(reply: OpmlExported) -> str:
    return reply.document


@_render.register
def _(reply: HelpReply) -> str:
    lines = [
        f"/{spec.usage}\n    {spec.summary}. Example: {command_line(spec.example)}"
        for spec in reply.specs
    ]
    return "\n".join(lines)


def _when(moment: datetime | None) -> str:
    return "-" if moment is None else f"{moment:%Y-%m-%d %H:%M} UTC"

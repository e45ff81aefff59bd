"""Digests as Discord messages with embeds, within Discord's limits, that can never ping anyone.

Every payload carries `allowed_mentions` with nothing allowed, and article text is neutralised
(a zero-width space breaks `@everyone`, `<@123>`, `<@&1>`, `<#1>`) and its markdown escaped, so
that even a client that ignored `allowed_mentions` would show the text, not ping. Day dates become
`<t:unix:D>` tokens, which every reader sees in their own locale and timezone.

A digest in the thread layout is one parent message (its title, one line per story), a thread
name, and one message per story for the thread (`render_thread_embeds`); a story's embed comes
from `render_story_embed` in both layouts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC
from typing import Any

from bot.commands.actions import StoryAction, entry_actions, share_action
from bot.domain import Digest, DigestEntry, EntryDate, SourceLink
from bot.render.mentions import neutralise
from bot.render.titles import NOTICE_KINDS, digest_title, most_named_words
from bot.render.tokens import date_words, day_timestamp
from bot.texts import cut

Embed = dict[str, Any]
NO_MENTIONS: dict[str, list[str]] = {"parse": []}


@dataclass(frozen=True)
class DiscordLimits:
    """Discord's documented limits for messages and embeds."""

    embeds: int = 10
    title_chars: int = 256
    description_chars: int = 4096
    footer_chars: int = 2048
    message_chars: int = 6000
    content_chars: int = 2000


LIMITS = DiscordLimits()
THREAD_NAME_CHARS = 100  # Discord's limit for a thread's (or forum post's) name
LINE_CHARS = 200  # the longest line a story gets in a thread's parent message
_MARKDOWN = re.compile(r"([\\*_~`|>\[\]#])")
_COLOUR = 0x2F6FDE


def escape(text: str) -> str:
    """Article or user text made inert for Discord: no mention, no markdown, no control."""
    return _MARKDOWN.sub(r"\\\1", neutralise(text))


def render_digest_embeds(
    digest: Digest, limits: DiscordLimits = LIMITS, *, shareable: bool = False
) -> list[dict[str, Any]]:
    """A digest as Discord message payloads (`content`, `embeds`, `components`, no mentions).

    Every payload keeps to `limits`; stories keep their order, one embed each. A stored story's
    embed comes with its actions row (`story_components`); as a message holds at most five rows,
    such messages hold at most five embeds. A `shareable` digest (an on-demand one only its
    asker sees) ends with a "Share in channel" button.
    """
    if digest.kind in NOTICE_KINDS:  # a feed alert or recovery: one short line
        return [_payload(_cut(escape(digest_title(digest)), limits.content_chars), [])]
    title = _cut(escape(_heading(digest)), limits.content_chars)
    if not digest.entries:
        text = f"{title}\nNo stories yet. /subscribe to a feed or a topic, then /digest."
        return [_payload(text, [])]
    rows = {id(entry): story_components(entry) for entry in digest.entries}
    if any(rows.values()):
        limits = replace(limits, embeds=min(limits.embeds, ROWS - shareable))
    pairs = [(render_story_embed(entry, limits), rows[id(entry)]) for entry in digest.entries]
    groups = _pack([embed for embed, _ in pairs], limits)
    row_of = {id(embed): row for embed, row in pairs}
    messages = [_payload(title if n == 0 else "", group) for n, group in enumerate(groups)]
    for message in messages:
        message["components"] = [r for e in message["embeds"] if (r := row_of[id(e)])]
    share = share_action(digest) if shareable else None
    if share is not None and share.value is not None:
        messages[-1]["components"].append(_row([_button(share)]))
    if digest.more:
        note = f"…and {digest.more} more; /digest shows the latest on demand."
        messages[-1]["content"] = (messages[-1]["content"] + "\n" + note).strip()
    if digest.most_named:
        named = escape(most_named_words(digest) or "")
        messages[-1]["content"] = (messages[-1]["content"] + "\n" + named).strip()
    return messages


#: Discord's most action rows in a message, options in a select, characters in a label.
ROWS = 5
SELECT_OPTIONS = 25
LABEL_CHARS = 100
#: The custom_id prefix of every component the bot renders (one handler matches it).
COMPONENT_PREFIX = "newsdigest:"


def story_components(entry: DigestEntry) -> dict[str, Any] | None:
    """One story's action row: a select of its actions; None for an unstored story.

    Both layouts (inline and threaded) call this. Each option's value names the stored story
    only (bot/commands/actions.py); labels are plain text (Discord shows them verbatim, never
    as mentions).
    """
    offered = entry_actions(entry, outlets=5, actors=5)[:SELECT_OPTIONS]
    if not offered:
        return None
    select = {
        "type": 3,
        "custom_id": f"{COMPONENT_PREFIX}story:{entry.story_id}",
        "placeholder": "Actions: why this summary, sources, mute, follow",
        "options": [{"label": _label(a), "value": a.value} for a in offered],
    }
    return _row([select])


def action_row(action: StoryAction) -> dict[str, Any]:
    """A row with one button for `action` (an Undo after a mute or follow, say)."""
    return _row([_button(action)])


def _button(action: StoryAction) -> dict[str, Any]:
    return {
        "type": 2,
        "style": 2,
        "label": _label(action),
        "custom_id": f"{COMPONENT_PREFIX}{action.value}",
    }


def _label(action: StoryAction) -> str:
    return cut(neutralise(action.label), LABEL_CHARS)


def _row(components: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": 1, "components": components}


def _heading(digest: Digest) -> str:
    count = len(digest.entries) + digest.more
    return f"{digest_title(digest)} ({count} {'story' if count == 1 else 'stories'})"


def _payload(content: str, embeds: list[Embed]) -> dict[str, Any]:
    return {"content": content, "embeds": embeds, "allowed_mentions": NO_MENTIONS, "components": []}


@dataclass(frozen=True)
class ThreadedDigest:
    """A digest laid out as a thread: its parent message, the thread's name, its stories.

    Attributes:
        name: The thread's (or forum post's) name, within Discord's 100 characters.
        parent: The parent message: the title, and one line per story in an embed.
        stories: One message per story, for the thread.
    """

    name: str
    parent: dict[str, Any]
    stories: list[dict[str, Any]]


def render_thread_embeds(digest: Digest, limits: DiscordLimits = LIMITS) -> ThreadedDigest:
    """A digest with stories as a parent message, a thread name and one message per story."""
    notes = [escape(note) for note in (_more_note(digest), most_named_words(digest)) if note]
    content = _cut("\n".join([escape(_heading(digest)), *notes]), limits.content_chars)
    index: Embed = {"description": _story_lines(digest.entries, limits), "color": _COLOUR}
    name = cut(neutralise(digest_title(digest)), THREAD_NAME_CHARS)
    stories = [render_story_message(entry, limits) for entry in digest.entries]
    return ThreadedDigest(name, _payload(content, [index]), stories)


def render_story_message(entry: DigestEntry, limits: DiscordLimits = LIMITS) -> dict[str, Any]:
    """One story as a message of its own (in a digest's thread or forum post), with its actions."""
    payload = _payload("", [render_story_embed(entry, limits)])
    row = story_components(entry)
    if row is not None:
        payload["components"] = [row]
    return payload


def _story_lines(entries: tuple[DigestEntry, ...], limits: DiscordLimits) -> str:
    """One line per story while they fit the embed, then how many more are in the thread."""
    lines: list[str] = []
    size = 0
    for number, entry in enumerate(entries, 1):
        line = _story_line(number, entry)
        if size + len(line) + 1 > limits.description_chars - 100:  # room for the last line
            lines.append(f"…and {len(entries) - len(lines)} more in the thread")
            break
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines)


def _story_line(number: int, entry: DigestEntry) -> str:
    """`3. [Headline](url) (2 sources)`: linked when the link keeps the line short."""
    headline = escape(_cut(entry.headline, LINE_CHARS // 2))
    tail = f" ({entry.covered_by} sources)" if entry.covered_by > 1 else ""
    if entry.sources:
        target = entry.sources[0].url.replace(")", "%29").replace(" ", "%20")
        linked = f"{number}. [{headline}]({target}){tail}"
        if len(linked) <= LINE_CHARS:
            return linked
    return f"{number}. {headline}{tail}"


def _more_note(digest: Digest) -> str | None:
    if not digest.more:
        return None
    return f"…and {digest.more} more; /digest shows the latest on demand."


def render_story_embed(entry: DigestEntry, limits: DiscordLimits = LIMITS) -> Embed:
    """One story's embed: linked headline, summary, who and when, its sources."""
    lines = [escape(sentence) for sentence in entry.summary]
    if entry.actors:
        lines.append("**Who:** " + ", ".join(escape(actor) for actor in entry.actors))
    if entry.dates:
        lines.append("**When:** " + ", ".join(_date_token(date) for date in entry.dates))
    lines += [_source_line(source) for source in entry.sources]
    outlets = entry.covered_by
    embed: Embed = {
        "title": _cut(neutralise(entry.headline), limits.title_chars),
        "description": _cut("\n".join(lines), limits.description_chars),
        "footer": {"text": f"Covered by {outlets} source{'s' if outlets != 1 else ''}"},
        "color": _COLOUR,
    }
    if entry.sources:
        embed["url"] = entry.sources[0].url
    if entry.published:
        embed["timestamp"] = entry.published.astimezone(UTC).isoformat()
    return embed


def _source_line(source: SourceLink) -> str:
    label = escape(source.outlet)
    target = source.url.replace(")", "%29").replace(" ", "%20")
    excerpt = " (from feed excerpt)" if source.excerpt else ""
    return f"• [{label}]({target}){excerpt}"


def _date_token(date: EntryDate) -> str:
    """Thursday, 2024-01-04 -> `Thursday (<t:1704369600:D>)`."""
    unix = day_timestamp(date)
    if unix is None:
        return escape(date_words(date))
    return f"{escape(date.text)} (<t:{unix}:D>)"


def _cut(text: str, limit: int) -> str:
    """Shorten to `limit` characters, never ending inside a `<...>` token or after an escape."""
    return cut(text, limit, trailing="\\")


def embed_chars(embed: Embed) -> int:
    """The characters Discord counts towards a message's 6,000: title, description, footer."""
    return (
        len(embed.get("title", ""))
        + len(embed.get("description", ""))
        + len(embed.get("footer", {}).get("text", ""))
    )


def _pack(embeds: list[Embed], limits: DiscordLimits) -> list[list[Embed]]:
    """Group embeds into messages of at most 10 embeds and 6,000 characters."""
    groups: list[list[Embed]] = [[]]
    chars = 0
    for embed in embeds:
        size = embed_chars(embed)
        full = len(groups[-1]) >= limits.embeds or chars + size > limits.message_chars
        if groups[-1] and full:
            groups.append([])
            chars = 0
        groups[-1].append(embed)
        chars += size
    return groups

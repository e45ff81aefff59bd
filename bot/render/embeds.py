"""Digests as Discord messages with embeds, within Discord's limits, that can never ping anyone.

Every payload carries `allowed_mentions` with nothing allowed, and article text is neutralised
(a zero-width space breaks `@everyone`, `<@123>`, `<@&1>`, `<#1>`) and its markdown escaped, so
that even a client that ignored `allowed_mentions` would show the text, not ping. Day dates become
`<t:unix:D>` tokens, which every reader sees in their own locale and timezone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC
from typing import Any

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
_MARKDOWN = re.compile(r"([\\*_~`|>\[\]#])")
_COLOUR = 0x2F6FDE


def escape(text: str) -> str:
    """Article or user text made inert for Discord: no mention, no markdown, no control."""
    return _MARKDOWN.sub(r"\\\1", neutralise(text))


def render_digest_embeds(digest: Digest, limits: DiscordLimits = LIMITS) -> list[dict[str, Any]]:
    """A digest as one or more Discord message payloads (`content`, `embeds`, `allowed_mentions`).

    Every payload keeps to `limits`; stories keep their order, one embed each.
    """
    if digest.kind in NOTICE_KINDS:  # a feed alert or recovery: one short line
        return [_payload(_cut(escape(digest_title(digest)), limits.content_chars), [])]
    title = _cut(escape(_heading(digest)), limits.content_chars)
    if not digest.entries:
        text = f"{title}\nNo stories yet. /subscribe to a feed or a topic, then /digest."
        return [_payload(text, [])]
    groups = _pack([_story_embed(entry, limits) for entry in digest.entries], limits)
    messages = [_payload(title if n == 0 else "", group) for n, group in enumerate(groups)]
    if digest.more:
        note = f"…and {digest.more} more; /digest shows the latest on demand."
        messages[-1]["content"] = (messages[-1]["content"] + "\n" + note).strip()
    if digest.most_named:
        named = escape(most_named_words(digest) or "")
        messages[-1]["content"] = (messages[-1]["content"] + "\n" + named).strip()
    return messages


def _heading(digest: Digest) -> str:
    count = len(digest.entries) + digest.more
    return f"{digest_title(digest)} ({count} {'story' if count == 1 else 'stories'})"


def _payload(content: str, embeds: list[Embed]) -> dict[str, Any]:
    return {"content": content, "embeds": embeds, "allowed_mentions": NO_MENTIONS}


def _story_embed(entry: DigestEntry, limits: DiscordLimits) -> Embed:
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

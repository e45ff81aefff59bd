"""Digests as Slack Block Kit messages, within Slack's limits, that can never ping anyone.

Article text is neutralised (a zero-width space breaks `@here`) and then escaped (`&`, `<`, `>`), so
`<!channel>` or `<@U1>` in an article reaches Slack as visible text, not as markup. Day dates become
`<!date^unix^{date_short}|fallback>` tokens, which every reader sees in their own locale. A digest
too long for one message is split into several, each with its plain-text fallback.

A digest in the thread layout is one parent message (its title, one line per story) and one
message per story for the parent's thread (`render_thread_blocks`); a story's blocks come from
`render_story_blocks` in both layouts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from bot.commands.actions import ActionKind, StoryAction, entry_actions, share_action
from bot.domain import Digest, DigestEntry, EntryDate, SourceLink
from bot.render.mentions import neutralise
from bot.render.text import render_digest
from bot.render.titles import NOTICE_KINDS, digest_title, most_named_words
from bot.render.tokens import date_words, day_timestamp
from bot.texts import cut

Block = dict[str, Any]


@dataclass(frozen=True)
class SlackLimits:
    """Slack's documented limits, and a conservative budget of our own for a whole message."""

    blocks: int = 50
    section_chars: int = 3000
    header_chars: int = 150
    context_elements: int = 10
    context_chars: int = 2000
    message_chars: int = 12_000
    fallback_chars: int = 3000


LIMITS = SlackLimits()
#: The longest line a story gets in a thread's parent message (50 of them fit one message).
LINE_CHARS = 200
DIVIDER: Block = {"type": "divider"}


def escape(text: str) -> str:
    """Article or user text made inert for Slack mrkdwn: no mention, no markup, no control."""
    safe = neutralise(text)
    return safe.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, label: str) -> str:
    """A Slack link whose URL and label cannot break out of the `<url|label>` token."""
    target = quote(url, safe=":/?#[]@!$&'()*+,;=%~.-_")
    return f"<{target.replace('&', '&amp;')}|{escape(label)}>"


def render_digest_blocks(
    digest: Digest, limits: SlackLimits = LIMITS, *, shareable: bool = False
) -> list[dict[str, Any]]:
    """A digest as one or more `chat.postMessage` payloads (`text` and `blocks`).

    Every payload keeps to `limits`; stories keep their order and none is cut in two. Each
    stored story carries its actions (`story_actions`); a `shareable` digest (an on-demand one
    only its asker sees) ends with a "Share in channel" button.
    """
    if digest.kind in NOTICE_KINDS:  # a feed alert or recovery: one short line
        return [_message([_section(escape(digest_title(digest)), limits)], digest)]
    header = _header(digest, limits)
    if not digest.entries:
        return [_message([header, _section(escape(render_digest(digest)), limits)], digest)]
    stories = [[*render_story_blocks(entry, limits), DIVIDER] for entry in digest.entries]
    groups = _pack(stories, limits)
    messages = []
    for number, group in enumerate(groups):
        head = [header] if number == 0 else []
        messages.append(_message([*head, *(b for story in group for b in story)], digest, group))
    if digest.more:
        note = f"…and {digest.more} more; `/digest` shows the latest on demand."
        messages[-1]["blocks"].append(_context([note], limits))
    if digest.most_named:
        named = escape(most_named_words(digest) or "")
        messages[-1]["blocks"].append(_context([named], limits))
    share = share_action(digest) if shareable else None
    if share is not None:
        messages[-1]["blocks"].append(
            {"type": "actions", "block_id": "share", "elements": [button(share)]}
        )
    return messages


def _header(digest: Digest, limits: SlackLimits) -> Block:
    count = len(digest.entries) + digest.more
    title = f"{digest_title(digest)} ({count} {'story' if count == 1 else 'stories'})"
    text = cut(neutralise(title), limits.header_chars)
    return {"type": "header", "text": {"type": "plain_text", "text": text, "emoji": False}}


def render_thread_blocks(digest: Digest, limits: SlackLimits = LIMITS) -> list[dict[str, Any]]:
    """A digest with stories as a parent message and one message per story for its thread.

    The parent holds the title and one line per story (a linked headline); each story's message
    is `render_story_blocks`. Every payload keeps to `limits`.
    """
    lines = [_story_line(number, entry) for number, entry in enumerate(digest.entries, 1)]
    blocks = [_header(digest, limits), *_line_sections(lines, limits)]
    notes = [escape(note) for note in (_more_note(digest), most_named_words(digest)) if note]
    if notes:
        blocks.append(_context(notes, limits))
    parent = {"text": _fallback(digest, None), "blocks": blocks}
    return [parent, *(render_story_message(entry, limits) for entry in digest.entries)]


def render_story_message(entry: DigestEntry, limits: SlackLimits = LIMITS) -> dict[str, Any]:
    """One story as a message of its own (a reply in a digest's thread)."""
    text = cut(escape(entry.headline), limits.fallback_chars)
    return {"text": text, "blocks": render_story_blocks(entry, limits)}


def _story_line(number: int, entry: DigestEntry) -> str:
    """`3. <url|Headline> (2 sources)`: linked when the link keeps the line short."""
    headline = cut(entry.headline, LINE_CHARS // 2)
    outlets = entry.covered_by
    tail = f" ({outlets} sources)" if outlets > 1 else ""
    if entry.sources:
        linked = f"{number}. {link(entry.sources[0].url, headline)}{tail}"
        if len(linked) <= LINE_CHARS:
            return linked
    return f"{number}. {escape(headline)}{tail}"


def _line_sections(lines: list[str], limits: SlackLimits) -> list[Block]:
    """Lines packed into as few sections as their character limit allows, in order."""
    texts = [""]
    for line in lines:
        if texts[-1] and len(texts[-1]) + 1 + len(line) > limits.section_chars:
            texts.append("")
        texts[-1] = f"{texts[-1]}\n{line}" if texts[-1] else line
    return [_section(text, limits) for text in texts]


def _more_note(digest: Digest) -> str | None:
    if not digest.more:
        return None
    return f"…and {digest.more} more; /digest shows the latest on demand."


def render_story_blocks(entry: DigestEntry, limits: SlackLimits = LIMITS) -> list[Block]:
    """One story's blocks: linked headline and summary, who and when, its sources."""
    first = entry.sources[0].url if entry.sources else None
    title = link(first, entry.headline) if first else escape(entry.headline)
    body = "\n".join(escape(sentence) for sentence in entry.summary)
    blocks = [_section(f"*{title}*\n{body}", limits)]
    facts = _facts(entry)
    if facts:
        blocks.append(_context(facts, limits))
    blocks.append(_context(_sources(entry.sources, entry.covered_by), limits))
    actions = story_actions(entry)
    if actions is not None:
        blocks.append(actions)
    blocks.append({"type": "divider"})
    return blocks


#: The action_id prefix of every interactive element the bot renders (one listener matches it).
ACTION_PREFIX = "newsdigest."


def story_actions(entry: DigestEntry) -> Block | None:
    """One story's actions block; None for an unstored story (a shared link's).

    "Why this summary" and "All sources" are buttons; muting its outlets and following its
    actors are in an overflow menu.

    Both layouts (inline and threaded) call this; values name the stored story only
    (bot/commands/actions.py), labels are plain text and cannot ping.
    """
    offered = entry_actions(entry)
    if not offered:
        return None
    buttons = [a for a in offered if a.kind in {ActionKind.WHY, ActionKind.SOURCES}]
    menu = [a for a in offered if a not in buttons][:OVERFLOW_OPTIONS]
    elements = [button(action) for action in buttons]
    if menu:
        options = [_option(action) for action in menu]
        overflow = {"type": "overflow", "action_id": f"{ACTION_PREFIX}more", "options": options}
        elements.append(overflow)
    return {"type": "actions", "block_id": f"story:{entry.story_id}", "elements": elements}


OVERFLOW_OPTIONS = 5  # Slack's most for an overflow menu
BUTTON_CHARS = 75  # Slack's longest button or option text


def button(action: StoryAction) -> Block:
    """A button that carries an action's value (bot/commands/actions.py)."""
    return {
        "type": "button",
        "action_id": f"{ACTION_PREFIX}{action.kind}",
        "text": _plain(action.label),
        "value": action.value,
    }


def _option(action: StoryAction) -> Block:
    return {"text": _plain(action.label), "value": action.value}


def _plain(text: str) -> Block:
    return {"type": "plain_text", "text": cut(neutralise(text), BUTTON_CHARS), "emoji": False}


def _facts(entry: DigestEntry) -> list[str]:
    facts = []
    if entry.actors:
        facts.append("*Who:* " + ", ".join(escape(actor) for actor in entry.actors))
    if entry.dates:
        facts.append("*When:* " + ", ".join(_date_token(date) for date in entry.dates))
    return facts


def _date_token(date: EntryDate) -> str:
    """Thursday, 2024-01-04 -> `Thursday (<!date^1704369600^{date_short}|2024-01-04>)`."""
    unix = day_timestamp(date)
    if unix is None:
        return escape(date_words(date))
    return f"{escape(date.text)} (<!date^{unix}^{{date_short}}|{date.value}>)"


def _sources(sources: tuple[SourceLink, ...], outlets: int) -> list[str]:
    heading = f"Covered by {outlets} source{'s' if outlets != 1 else ''}:"
    links = [
        link(source.url, source.outlet) + (" (from feed excerpt)" if source.excerpt else "")
        for source in sources
    ]
    return [heading, ", ".join(links)]


def _section(text: str, limits: SlackLimits) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": cut(text, limits.section_chars)}}


def _context(texts: list[str], limits: SlackLimits) -> Block:
    elements = [
        {"type": "mrkdwn", "text": cut(text, limits.context_chars)}
        for text in texts[: limits.context_elements]
    ]
    return {"type": "context", "elements": elements}


def _pack(stories: list[list[Block]], limits: SlackLimits) -> list[list[list[Block]]]:
    """Group whole stories into messages under the block and character budgets."""
    groups: list[list[list[Block]]] = [[]]
    blocks, chars = 1, 0  # the first message carries the header
    for story in stories:
        size = _chars(story)
        if groups[-1] and (
            blocks + len(story) > limits.blocks - 1 or chars + size > limits.message_chars
        ):
            groups.append([])
            blocks, chars = 0, 0
        groups[-1].append(story)
        blocks, chars = blocks + len(story), chars + size
    return groups


def _chars(blocks: list[Block]) -> int:
    total = 0
    for block in blocks:
        text = block.get("text", {}).get("text", "")
        total += len(text) + sum(len(str(e.get("text", ""))) for e in block.get("elements", []))
    return total


def _message(
    blocks: list[Block], digest: Digest, group: list[list[Block]] | None = None
) -> dict[str, Any]:
    return {"text": _fallback(digest, group), "blocks": blocks}


def _fallback(digest: Digest, group: list[list[Block]] | None) -> str:
    """The notification text: the digest's title and, for a part, how many stories it holds."""
    if group is None:
        return cut(escape(digest_title(digest)), LIMITS.fallback_chars)
    count = len(group)
    return cut(
        escape(f"{digest_title(digest)}: {count} {'story' if count == 1 else 'stories'}"),
        LIMITS.fallback_chars,
    )

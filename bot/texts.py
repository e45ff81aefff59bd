"""Limits and wording every platform shares, and the one way any text is shortened.

A rule written twice drifts (the 1-50 stories limit lived in three places, "try again" in three
wordings): the settings, the argument parser, each adapter and each renderer take them from here.
"""

from __future__ import annotations

#: The most stories one digest may show (`/schedule ... max=N`, Discord's option range).
MAX_STORIES = 50
#: Links per chat message that get a digest of their own; more are ignored, not queued.
MAX_LINKS = 3
#: What a user is told when a command failed for a reason of ours, not theirs.
TRY_AGAIN = "that did not work; try again in a minute"
ELLIPSIS = "…"


def cut(text: str, limit: int, *, trailing: str = "") -> str:
    """Shorten to `limit` characters, an ellipsis included, never ending inside a `<...>` token.

    Args:
        text: The text.
        limit: Most characters, the ellipsis included.
        trailing: Characters also dropped from the end before the ellipsis (an escape's backslash).

    Returns:
        The text itself when it fits; otherwise its head and an ellipsis.
    """
    if len(text) <= limit:
        return text
    kept = text[: max(limit - 1, 0)]
    opened = kept.rfind("<")
    if opened > kept.rfind(">"):
        kept = kept[:opened]
    return kept.rstrip().rstrip(trailing) + ELLIPSIS

"""Nothing the bot posts may ping anyone: mentions and control characters are neutralised."""

from __future__ import annotations

import re

_ZWSP = "\u200b"
_BRACKETED = re.compile(r"<([!@#])")
_BROADCAST = re.compile(r"@(everyone|here|channel|all)\b", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def neutralise(text: str) -> str:
    """Text that can't ping: `<@U1>`, `<!channel>`, `<#C1>`, `@everyone`, `@here` get a ZWSP.

    A zero-width space after `<` or `@` stops Slack and Discord from reading a mention while
    keeping the text readable. Terminal control characters and bidi overrides are dropped.
    """
    text = _CONTROL.sub("", text)
    text = _BRACKETED.sub(lambda match: "<" + _ZWSP + match.group(1), text)
    return _BROADCAST.sub(lambda match: "@" + _ZWSP + match.group(1), text)

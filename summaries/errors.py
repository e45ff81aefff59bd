"""Errors the summaries core raises for input it cannot digest at all."""

from __future__ import annotations


class InputError(ValueError):
    """Input that cannot be digested; the message is one plain line for the user.

    Attributes:
        reason: Why the input was refused, in plain words.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

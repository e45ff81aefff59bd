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


class AnalysisError(Exception):
    """A bug in the NLP core while digesting one input (never the input's fault).

    Raised in place of whatever a pipeline step raised unexpectedly, so that a batch can report
    the one record and go on, and the bot can fall back to the feed's own excerpt.

    Attributes:
        stage: The step that failed, in words ("reading dates").
        reason: One honest line for the user: "internal error while reading dates".
    """

    def __init__(self, stage: str) -> None:
        self.stage = stage
        self.reason = f"internal error while {stage}"
        super().__init__(self.reason)


class internal_stage:  # noqa: N801 - used as a statement: `with internal_stage("reading dates"):`
    """Turns an unexpected exception inside one pipeline step into an `AnalysisError`.

    `InputError` (the input's fault) and `AnalysisError` (already named) pass through unchanged;
    anything else, StopIteration included, becomes `AnalysisError(stage)` chained to the cause.
    """

    def __init__(self, stage: str) -> None:
        self.stage = stage

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, _: object
    ) -> None:
        # Returning None lets everything but the unexpected pass through unchanged.
        if isinstance(error, Exception) and not isinstance(error, InputError | AnalysisError):
            raise AnalysisError(self.stage) from error

"""Log set-up: the plain text format, or one JSON object per line (NEWSDIGEST_LOG_FORMAT=json)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any, TextIO

PLAIN = "%(levelname)s %(name)s: %(message)s"
_OURS = "_newsdigest_handler"
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, exception, and any extras."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a single line of JSON."""
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure_logging(level: int, log_format: str, stream: TextIO | None = None) -> None:
    """Send logs to `stream` (stderr) at `level`, as plain text or as JSON lines.

    Calling it again replaces the handler it installed before and leaves others alone (a test
    runner's capture, say). trafilatura logs a warning for every page it cannot use; the bot
    says so itself in one line, so below DEBUG only its errors are shown.
    """
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(PLAIN))
    setattr(handler, _OURS, True)
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, _OURS, False):
            root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("trafilatura").setLevel(
        logging.DEBUG if level <= logging.DEBUG else logging.ERROR
    )

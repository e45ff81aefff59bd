"""ArticleDigest as a plain JSON-ready record (the `analyze --json/--jsonl` output format)."""

from __future__ import annotations

from typing import Any

from summaries.model import ArticleDigest


def digest_record(digest: ArticleDigest, record_id: object = None) -> dict[str, Any]:
    """The digest as a JSON-ready dict; `text` only when the input was HTML.

    Args:
        digest: The digest to serialise.
        record_id: The caller's id for the input record, echoed back as "id".

    Returns:
        A dict with id, title, url, published, language, summary, actors, dates, compression,
        flags (, text).
    """
    record: dict[str, Any] = {
        "id": record_id,
        "title": digest.title,
        "url": digest.url,
        "published": digest.published.isoformat() if digest.published else None,
        "language": digest.language,
        "summary": list(digest.summary),
        "actors": [
            {
                "name": actor.name,
                "kind": actor.kind.value,
                "mentions": actor.mentions,
                "aliases": list(actor.aliases),
                "role": actor.role,
            }
            for actor in digest.actors
        ],
        "dates": [
            {"text": d.text, "value": d.value, "start": d.start, "end": d.end} for d in digest.dates
        ],
        "compression": digest.compression,
        "flags": list(digest.flags),
    }
    if digest.text is not None:
        record["text"] = digest.text
    return record


def error_record(record_id: object, reason: str) -> dict[str, Any]:
    """The record written in place of a digest for input that could not be digested."""
    return {"id": record_id, "error": reason}

"""Task arguments as JSON: what a deferred item carries from the poll to the analysis worker."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.news.ingest import IngestJob
from bot.ports import FeedEntry


def encode_job(job: IngestJob) -> dict[str, Any]:
    """An IngestJob as a JSON object (procrastinate stores task arguments as JSON)."""
    entry = job.entry
    return {
        "feed_id": job.feed_id,
        "feed_title": job.feed_title,
        "backfill": job.backfill,
        "entry": {
            "url": entry.url,
            "title": entry.title,
            "guid": entry.guid,
            "published": entry.published.isoformat() if entry.published else None,
            "summary": entry.summary,
            "content": entry.content,
        },
    }


def decode_job(payload: dict[str, Any]) -> IngestJob:
    """The IngestJob `encode_job` wrote.

    Raises:
        KeyError: A required field is missing.
        ValueError: The publication time is not ISO 8601.
    """
    entry = payload["entry"]
    published = entry.get("published")
    return IngestJob(
        feed_id=int(payload["feed_id"]),
        feed_title=payload.get("feed_title"),
        backfill=bool(payload["backfill"]),
        entry=FeedEntry(
            url=str(entry["url"]),
            title=entry.get("title"),
            guid=entry.get("guid"),
            published=datetime.fromisoformat(published) if published else None,
            summary=entry.get("summary"),
            content=entry.get("content"),
        ),
    )

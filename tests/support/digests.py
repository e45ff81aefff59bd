"""Digests built by hand for the renderer and publisher tests (invented stories)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.domain import Digest, DigestEntry, DigestKind, EntryDate, Heading, SourceLink

WHEN = datetime(2024, 1, 5, tzinfo=UTC)


def story(
    number: int, sentence: str = "The council approved the budget.", query: str = ""
) -> DigestEntry:
    """A two-source story; `query` is appended to the first source's URL."""
    return DigestEntry(
        story_id=number,
        headline=f"Story {number}: budget passes",
        summary=(sentence, "Spending on roads rises by a tenth."),
        actors=("Ilse Brandt", "Lindmoor Council"),
        dates=(EntryDate("Thursday", "2024-01-04"), EntryDate("next year", "2025")),
        sources=(
            SourceLink("a.example", None, f"https://a.example/{number}{query}"),
            SourceLink("b.example", None, f"https://b.example/{number}", excerpt=True),
        ),
        published=WHEN,
    )


def digest(*entries: DigestEntry, more: int = 0) -> Digest:
    """A scheduled digest of `entries` (and `more` not shown)."""
    return Digest(DigestKind.SCHEDULED, Heading(moment=WHEN), WHEN, WHEN, entries, more)


def digest_of(count: int, *, text: str = "The council approved the budget.") -> Digest:
    """A scheduled digest of `count` stories, each summarised starting with `text`."""
    return digest(*(story(number, text) for number in range(count)))


def labelled(digest: Digest, label: str) -> Digest:
    """The digest as an on-demand one whose title carries `label` (to tell posts apart)."""
    heading = Heading(topic=label, window=timedelta(hours=24))
    return replace(digest, kind=DigestKind.ON_DEMAND, heading=heading)


def label_title(label: str) -> str:
    """The title `labelled(..., label)` renders to."""
    return f"Digest: {label}, last 24 hours"

"""Plain-text rendering: readable digests, and nothing in them can ping anyone."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.commands.handlers import SPECS, CommandError, HelpReply
from bot.domain import Digest, DigestEntry, DigestKind, EntryDate, Heading, SourceLink
from bot.render.mentions import neutralise
from bot.render.text import render_digest, render_text

WHEN = datetime(2024, 1, 5, tzinfo=UTC)


def digest(*entries: DigestEntry, more: int = 0, kind: DigestKind = DigestKind.SCHEDULED) -> Digest:
    return Digest(kind, Heading(moment=WHEN), WHEN, WHEN, entries, more)


def story(headline: str, sentence: str, *links: str) -> DigestEntry:
    return DigestEntry(
        story_id=1,
        headline=headline,
        summary=(sentence,),
        actors=("Hanna Vogt", "Lindmoor"),
        dates=(EntryDate("Monday", "2024-01-01"),),
        sources=tuple(SourceLink(url.split("/")[2], None, url) for url in links),
        published=WHEN,
    )


@pytest.mark.parametrize(
    "attack",
    [
        "@everyone",
        "@here",
        "<!channel>",
        "<!here>",
        "<@U024BE7LH>",
        "<@!80351110224678912>",
        "<@&165511591545143296>",
        "<#C024BE7LH>",
        "<!subteam^S123>",
        "@Channel",
    ],
)
def test_mentions_are_neutralised(attack: str) -> None:
    safe = neutralise(f"Breaking {attack} read this")
    assert attack not in safe
    assert safe.replace("\u200b", "") == f"Breaking {attack} read this"


def test_terminal_control_sequences_are_dropped() -> None:
    assert neutralise("red \x1b[31mtext\x1b[0m \u202eevil") == "red [31mtext[0m evil"


def test_a_digest_shows_summary_actors_dates_and_every_link() -> None:
    text = render_digest(
        digest(
            story(
                "Bridge closed",
                "The bridge was closed.",
                "https://a.example/1",
                "https://b.example/2",
            ),
            more=3,
        )
    )
    assert text.startswith("Daily digest, Fri 5 Jan 2024 (4 stories)")
    assert "1. Bridge closed\n   The bridge was closed." in text
    assert "Who: Hanna Vogt, Lindmoor" in text and "When: Monday (2024-01-01)" in text
    assert (
        "Covered by 2 sources:\n   - a.example: https://a.example/1\n   - b.example: https://b.example/2"
        in text
    )
    assert "...and 3 more" in text


def test_article_text_cannot_ping_through_a_digest() -> None:
    text = render_digest(
        digest(story("@everyone look", "Hi <@U1> and <!channel>.", "https://a.example/1"))
    )
    assert "@everyone" not in text and "<@U1>" not in text and "<!channel>" not in text


def test_an_empty_digest_says_what_to_do() -> None:
    assert "/subscribe" in render_digest(digest())


def test_a_live_post_is_one_story_without_numbering() -> None:
    text = render_digest(
        digest(story("Bridge", "Closed.", "https://a.example/1"), kind=DigestKind.LIVE)
    )
    assert text.startswith("New: Bridge")


def test_errors_and_help_render_on_one_line_each() -> None:
    error = render_text(CommandError("unsubscribe needs a number", SPECS["unsubscribe"].example))
    assert error == "Error: unsubscribe needs a number. Example: /unsubscribe 3"
    help_text = render_text(HelpReply(tuple(SPECS.values())))
    assert "/schedule <HH:MM> [timezone] [weekdays] [max=N]" in help_text


def test_unknown_results_are_a_programming_error() -> None:
    with pytest.raises(TypeError):
        render_text(object())


def test_a_source_read_from_the_feed_excerpt_says_so() -> None:
    entry = story("Budget passes", "The council approved the budget.", "https://a.example/1")
    excerpt = SourceLink("b.example", None, "https://b.example/2", excerpt=True)
    text = render_digest(digest(replace(entry, sources=(*entry.sources, excerpt))))
    assert "- a.example: https://a.example/1\n" in text
    assert "- b.example: https://b.example/2 (from feed excerpt)" in text

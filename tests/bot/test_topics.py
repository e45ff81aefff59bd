"""The topic query language: parsing, errors with positions, matching stories."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain import Article, Story
from bot.news.topics import (
    AllOf,
    AnyOf,
    Field,
    Not,
    Term,
    TopicDocument,
    TopicError,
    describe,
    matches,
    parse_topic,
    story_document,
)
from summaries import Actor, ActorKind

DOC = TopicDocument(
    text="the ceasefire talks in cairo resumed on monday, officials said. the un's envoy spoke.",
    actors=("antónio guterres", "guterres", "hamas", "cairo"),
    places=("cairo",),
)


def test_words_side_by_side_all_have_to_match() -> None:
    assert parse_topic("ceasefire talks") == AllOf((Term("ceasefire"), Term("talks")))
    assert matches(parse_topic("ceasefire talks"), DOC)
    assert not matches(parse_topic("ceasefire football"), DOC)


def test_or_binds_looser_than_and() -> None:
    query = parse_topic("football OR ceasefire talks")
    assert query == AnyOf((Term("football"), AllOf((Term("ceasefire"), Term("talks")))))
    assert matches(query, DOC)


def test_fields_phrases_exclusions_and_groups() -> None:
    query = parse_topic('actor:"Guterres" place:Cairo -"peace prize" (talks OR summit)')
    assert query == AllOf(
        (
            Term("Guterres", Field.ACTOR),
            Term("Cairo", Field.PLACE),
            Not(Term("peace prize")),
            AnyOf((Term("talks"), Term("summit"))),
        )
    )
    assert matches(query, DOC)
    assert not matches(parse_topic("ceasefire -envoy"), DOC)
    assert not matches(parse_topic("place:Hamas"), DOC)  # an actor, not a place
    assert matches(parse_topic("actor:Hamas"), DOC)


def test_words_match_whole_words_only() -> None:
    assert not matches(parse_topic("cease"), DOC)
    assert matches(parse_topic('"talks in Cairo"'), DOC)
    assert matches(parse_topic("un's"), DOC)


def test_canonical_form_round_trips() -> None:
    text = 'actor:"Joe Biden" AND (ceasefire OR truce) AND -sport'
    assert describe(parse_topic(text)) == text
    assert parse_topic(describe(parse_topic(text))) == parse_topic(text)


@pytest.mark.parametrize(
    ("text", "reason", "position"),
    [
        ("", "needs at least one word", 1),
        ('"ceasefire talks', "quote is not closed", 1),
        ("(ceasefire OR truce", "bracket is not closed", 1),
        ("ceasefire OR", "ends where a word was expected", 13),
        ("OR ceasefire", "needs a word before and after it", 1),
        ("ceasefire)", "no group is open", 10),
        ("actor:", "ends where a word was expected", 7),
        ("actor:(x)", "needs a name right after it", 1),
        ("-sport -football", "not only exclusions", 1),
        ('""', "no letters or digits", 1),
    ],
)
def test_errors_say_what_and_where_in_one_line(text: str, reason: str, position: int) -> None:
    with pytest.raises(TopicError) as caught:
        parse_topic(text)
    assert reason in caught.value.reason
    assert caught.value.position == position
    assert "\n" not in str(caught.value)


def test_a_story_is_searched_across_all_its_articles() -> None:
    def article(text: str, actors: tuple[Actor, ...]) -> Article:
        now = datetime(2024, 1, 1, tzinfo=UTC)
        return Article(
            "u" + text[:3], "Headline", "x", None, now, text[:5], text=text, actors=actors
        )

    story = Story(
        1,
        (
            article("Talks resumed in the Egyptian capital.", ()),
            article("Envoys met.", (Actor("Cairo", ActorKind.PLACE, 2, ("Al-Qahira",)),)),
        ),
    )
    document = story_document(story)
    assert matches(parse_topic("place:Al-Qahira egyptian envoys"), document)
    assert matches(parse_topic("headline"), document)

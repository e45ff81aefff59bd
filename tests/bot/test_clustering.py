"""Story clustering: one event from two outlets joins; other events and far-apart ones don't."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.clustering import ClusterOptions, terms_of
from bot.story_index import best_story
from bot.domain import Article
from summaries import Actor, ActorKind, DateMention
from tests.bot.samples import BRIDGE_A, BRIDGE_B, CHOIR_A, CHOIR_B, MARKET_A

WHEN = datetime(2024, 2, 5, 9, 0, tzinfo=UTC)
OPTIONS = ClusterOptions()


def article(text: str, story_id: int, *, hours: float = 0, actors: tuple[str, ...] = ()) -> Article:
    return Article(
        url=f"https://example.org/{story_id}/{hours}",
        title=None,
        source="example.org",
        published=WHEN + timedelta(hours=hours),
        ingested_at=WHEN + timedelta(hours=hours),
        content_hash=str(hash(text)),
        actors=tuple(Actor(name, ActorKind.PERSON, 2) for name in actors),
        terms=terms_of(text),
        story_id=story_id,
    )


def test_terms_are_content_words_with_plurals_folded() -> None:
    terms = terms_of("The girders of the bridge; a girder's crack. Bridges and boxes, 2009!")
    assert terms["girder"] == 2
    assert terms["bridge"] == 2
    assert "the" not in terms and "and" not in terms
    assert "box" in terms and "2009" in terms


def test_same_event_from_another_outlet_joins_its_story() -> None:
    stored = [article(BRIDGE_A, 1), article(CHOIR_A, 2), article(MARKET_A, 3)]
    match = best_story(article(BRIDGE_B, 0, hours=3), stored, OPTIONS)
    assert match is not None and match[0] == 1
    choir = best_story(article(CHOIR_B, 0, hours=3), stored, OPTIONS)
    assert choir is not None and choir[0] == 2


def test_a_different_event_starts_a_new_story() -> None:
    stored = [article(BRIDGE_A, 1), article(CHOIR_A, 2)]
    assert best_story(article(MARKET_A, 0, hours=1), stored, OPTIONS) is None
    assert best_story(article(BRIDGE_A, 0), [], OPTIONS) is None


def test_articles_published_days_apart_never_join() -> None:
    stored = [article(BRIDGE_A, 1)]
    assert best_story(article(BRIDGE_B, 0, hours=24 * 4), stored, OPTIONS) is None
    assert best_story(article(BRIDGE_B, 0, hours=24 * 2), stored, OPTIONS) is not None


def test_shared_actors_and_dates_raise_the_score() -> None:
    plain = [article(BRIDGE_A, 1)]
    incoming = article(BRIDGE_B, 0, hours=1)
    base = best_story(incoming, plain, OPTIONS)
    monday = (DateMention("Monday", "2024-02-05", 0, 6),)
    rich_stored = [replace(article(BRIDGE_A, 1, actors=("Hanna Vogt",)), dates=monday)]
    rich_incoming = replace(article(BRIDGE_B, 0, hours=1, actors=("Hanna Vogt",)), dates=monday)
    rich = best_story(rich_incoming, rich_stored, OPTIONS)
    assert base is not None and rich is not None
    expected = OPTIONS.actor_weight + OPTIONS.date_weight
    assert abs(rich[1] - base[1] - expected) < 1e-9

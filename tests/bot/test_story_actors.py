"""Story-level actors: one referent across outlets, mentions summed, what all agree on first."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain import Article, DigestKind, Heading, MostNamed, Story
from bot.news.digests import compose_digest
from bot.news.story_actors import most_named, story_actors
from bot.render.blocks import render_digest_blocks
from bot.render.embeds import render_digest_embeds
from bot.render.text import render_digest
from bot.store.codec import signature
from summaries.model import Actor, ActorKind, ArticleDigest
from summaries.records import digest_record

WHEN = datetime(2024, 1, 5, 12, tzinfo=UTC)
PLACE, PERSON, ORG = ActorKind.PLACE, ActorKind.PERSON, ActorKind.ORGANIZATION


def test_the_actor_every_outlet_names_comes_first_with_mentions_summed() -> None:
    outlets = [
        [Actor("Lindmoor", PLACE, 9), Actor("Hanna Vogt", PERSON, 2)],
        [Actor("Esker River", PLACE, 5), Actor("Vogt", PERSON, 1, ("Hanna Vogt",))],
        [Actor("Hanna Vogt", PERSON, 3, role="transport director"), Actor("Lindmoor", PLACE, 1)],
    ]
    merged = story_actors(outlets)
    assert [actor.name for actor in merged] == ["Hanna Vogt", "Lindmoor", "Esker River"]
    vogt = merged[0]
    assert vogt.mentions == 6 and vogt.role == "transport director" and "Vogt" in vogt.aliases
    assert merged[1].mentions == 10
    assert story_actors(outlets, limit=1) == merged[:1]


def test_one_country_under_different_names_in_different_outlets_is_one_actor() -> None:
    outlets = [
        [Actor("US", PLACE, 4, ("Washington",)), Actor("Iraq", PLACE, 3)],
        [Actor("Washington", PLACE, 2), Actor("Baghdad", PLACE, 2, ("Iraqi",))],
        [Actor("United States", PLACE, 1)],
    ]
    merged = story_actors(outlets)
    assert [actor.name for actor in merged] == ["US", "Iraq"]
    assert merged[0].mentions == 7 and set(merged[0].aliases) == {"Washington", "United States"}


def test_a_person_named_like_a_country_is_not_that_country() -> None:
    merged = story_actors([[Actor("Jordan", PERSON, 2)], [Actor("Jordan", PLACE, 2)]])
    # the same spelling still meets, but no country key joins the person to "Amman"
    assert len(merged) == 1
    assert story_actors([[Actor("Jordan", PERSON, 2)], [Actor("Amman", PLACE, 2)]])[0].mentions == 2


def test_most_named_needs_two_stories() -> None:
    stories = [
        [Actor("US", PLACE, 4), Actor("Iraq", PLACE, 3)],
        [Actor("Washington", PLACE, 2), Actor("Iran", PLACE, 1)],
        [Actor("Valmora", PLACE, 5)],
    ]
    named = most_named(stories)
    assert named is not None and named[0].name == "US" and named[1] == 2
    assert most_named([[Actor("Valmora", PLACE, 5)], [Actor("Brenholt", PLACE, 1)]]) is None


def article(url: str, source: str, actors: tuple[Actor, ...]) -> Article:
    return Article(url, url, source, WHEN, WHEN, url, summary=("A sentence.",), actors=actors)


def test_a_digest_shows_roles_and_ends_with_the_most_named_actor() -> None:
    sudani = Actor("Mohammed Shia Al Sudani", PERSON, 4, role="Iraqi Prime Minister")
    stories = [
        Story(1, (article("https://a.example/1", "a", (sudani, Actor("US", PLACE, 3))),)),
        Story(2, (article("https://b.example/2", "b", (Actor("Washington", PLACE, 2),)),)),
    ]
    digest = compose_digest(
        stories, kind=DigestKind.ON_DEMAND, heading=Heading(), since=WHEN, until=WHEN, limit=5
    )
    assert digest.most_named == MostNamed("US", 2)
    text = render_digest(digest)
    assert "Mohammed Shia Al Sudani (Iraqi Prime Minister)" in text
    assert text.rstrip().endswith("Most named today: US (2 stories)")
    blocks = render_digest_blocks(digest)[-1]["blocks"]
    assert "Most named today: US (2 stories)" in str(blocks[-1])
    assert render_digest_embeds(digest)[-1]["content"].endswith("Most named today: US (2 stories)")


def test_a_long_role_stays_out_of_the_digest_line() -> None:
    long = Actor("Ines Okafor", PERSON, 1, role="mediator who kept both sides " * 3)
    assert long.shown == "Ines Okafor"
    assert Actor("Ines Okafor", PERSON, 1, role="mediator").shown == "Ines Okafor (mediator)"


def test_roles_reach_the_json_record_and_old_stored_rows_still_read() -> None:
    digest = ArticleDigest(
        None, None, None, (), (Actor("Pat Ryder", PERSON, 1, (), "spokesman"),), (), 0.0
    )
    assert digest_record(digest)["actors"][0]["role"] == "spokesman"
    old = signature(
        (1, 2, WHEN, None, [["Hanna Vogt", "person", 3, ["Vogt"]]], [], {}, {}, "a.example")
    )
    assert old.actors == (Actor("Hanna Vogt", PERSON, 3, ("Vogt",)),)
    new = signature(
        (1, 2, WHEN, None, [["Hanna Vogt", "person", 3, [], "mayor"]], [], {}, {}, "a.example")
    )
    assert new.actors[0].role == "mayor"

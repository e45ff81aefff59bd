"""Actors: cleaning, merging one referent's names, kinds and salience, on real spaCy output."""

from __future__ import annotations

import pytest
from spacy.language import Language

from summaries.actor_names import clean_name, initials, is_acronym, name_key
from summaries.actor_roles import is_commentator
from summaries.actors import ActorOptions, find_actors
from summaries.model import Actor, ActorKind


def actors_of(nlp: Language, text: str, **kwargs: object) -> list[Actor]:
    return find_actors(nlp(text), **kwargs)  # type: ignore[arg-type]


def named(actors: list[Actor], name: str) -> Actor:
    matches = [a for a in actors if a.name == name or name in a.aliases]
    assert len(matches) == 1, (name, actors)
    return matches[0]


def test_bracketed_acronym_swallowed_by_the_entity_is_split_off(nlp: Language) -> None:
    actors = actors_of(nlp, "The World Health Organization (WHO) warned on Monday that cases rose.")
    who = named(actors, "World Health Organization")
    assert who.aliases == ("WHO",)
    assert who.kind is ActorKind.ORGANIZATION


def test_initials_join_the_full_name(nlp: Language) -> None:
    text = (
        "Fighters of the Popular Mobilization Forces held the bridge. "
        "A PMF commander said the bridge would stay closed."
    )
    pmf = named(actors_of(nlp, text), "Popular Mobilization Forces")
    assert "PMF" in pmf.aliases
    assert pmf.mentions == 2


def test_acronyms_listed_in_brackets_are_one_actor(nlp: Language) -> None:
    text = (
        "Militants from Islamic State (IS, formerly ISIS) attacked the town. "
        "IS later claimed the attack in a statement."
    )
    actors = actors_of(nlp, text)
    state = named(actors, "Islamic State")
    assert set(state.aliases) == {"IS", "ISIS"}
    assert state.mentions == 2
    assert not [a for a in actors if a.name in {"IS", "ISIS"}]


def test_surname_and_office_refer_to_the_full_name(nlp: Language) -> None:
    text = (
        "Prime Minister Rishi Sunak met President Joe Biden in Washington on Monday. "
        "Sunak said the talks went well, and the prime minister thanked Biden for his help."
    )
    actors = actors_of(nlp, text)
    sunak = named(actors, "Rishi Sunak")
    assert sunak.kind is ActorKind.PERSON
    assert sunak.aliases == ("Sunak",)
    assert sunak.mentions == 3  # the full name, the surname and "the prime minister"
    assert named(actors, "Joe Biden").mentions == 2
    assert actors[0] == sunak


def test_an_office_two_people_hold_is_not_credited_to_either(nlp: Language) -> None:
    text = (
        "Minister Anna Berg met Minister Carl Holm in Oslo. Later the minister said that the "
        "meeting had gone well for everyone involved."
    )
    actors = actors_of(nlp, text)
    assert named(actors, "Anna Berg").mentions == 1
    assert named(actors, "Carl Holm").mentions == 1


def test_limit_and_title_weight_change_the_ranking(nlp: Language) -> None:
    text = (
        "Germany and France signed the treaty in Paris. Germany said the deal was fair. "
        "Germany will ratify it next year, and Spain may join later."
    )
    assert actors_of(nlp, text)[0].name == "Germany"
    weighty = ActorOptions(title_weight=5)
    titled = actors_of(nlp, text, title="Spain weighs joining treaty", limit=2, options=weighty)
    assert len(titled) == 2
    assert titled[0].name == "Spain"
    untitled = actors_of(
        nlp, text, title="Spain weighs joining treaty", options=ActorOptions(title_weight=0)
    )
    assert untitled[0].name == "Germany"


def test_summary_presence_raises_salience(nlp: Language) -> None:
    text = "Kenya and Uganda met on trade. Kenya spoke first. Uganda agreed."
    doc = nlp(text)
    start = text.index("Uganda agreed")
    plain = find_actors(doc)
    boosted = find_actors(
        doc, summary_spans=[(start, len(text))], options=ActorOptions(summary_weight=5)
    )
    assert plain[0].name == "Kenya"
    assert boosted[0].name == "Uganda"


def test_groups_rank_below_equally_named_actors(nlp: Language) -> None:
    text = (
        "Republican officials met Republican donors. The officials and Congress agreed, "
        "Congress said."
    )
    actors = actors_of(nlp, text)
    assert actors[0].name == "Congress"
    assert named(actors, "Republican").kind is ActorKind.GROUP
    even = actors_of(nlp, text, options=ActorOptions(group_factor=1.0))
    assert even[0].name == "Republican"  # named as often and first: only the factor ranks it lower


def test_no_entities_no_actors(nlp: Language) -> None:
    assert actors_of(nlp, "it rained all day and then it stopped.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Maj. Gen. Pat Ryder", "Pat Ryder"),
        ("the Pentagon", "Pentagon"),
        ("Iraq's", "Iraq"),
        ("Maj.", None),
        ("the Prime Minister", None),
        ("2024", None),
        ("Sauber - Ferrari", "Sauber"),
        ("Sebastian Vettel Vettel", "Sebastian Vettel"),
        ("a David Garrard", "David Garrard"),
        ("broadcaster BSkyB", "BSkyB"),
        ("plus Ryan Giggs", "Ryan Giggs"),
        ("de Blasio", "de Blasio"),
        ("bin Laden", "bin Laden"),
        ("iPod", "iPod"),
        ("al-Qaida", "al-Qaida"),
    ],
)
def test_clean_name(nlp: Language, text: str, expected: str | None) -> None:
    assert clean_name(nlp(text)[:]) == expected


def test_organisations_keep_words_that_are_titles_for_people(nlp: Language) -> None:
    doc = nlp("General Motors cut jobs.")
    assert clean_name(doc[0:2], person=False) == "General Motors"
    assert clean_name(doc[0:2], person=True) == "Motors"


def test_name_helpers() -> None:
    assert name_key("al-Sudani") == name_key("Al Sudani")
    assert name_key("U.S.") == name_key("US")
    assert initials("Bank of England") == "BE"
    assert initials("Iraq") == ""
    assert is_acronym("HHN") and is_acronym("U.S.")
    assert not is_acronym("Iraq") and not is_acronym("I")


def test_a_shared_surname_names_whoever_was_named_last(nlp: Language) -> None:
    text = (
        "Frank Jordan went missing at sea in January. His son Louis Jordan was found alive on "
        "Thursday. Jordan told reporters he had survived on rainwater. Frank Jordan said he had "
        "never given up hope. Jordan thanked the Coast Guard."
    )
    actors = actors_of(nlp, text)
    assert not [actor for actor in actors if actor.name == "Jordan"]
    assert named(actors, "Louis Jordan").mentions == 2  # the full name and the next "Jordan"
    assert named(actors, "Frank Jordan").mentions == 3


def test_a_dateline_bracket_is_not_part_of_a_name(nlp: Language) -> None:
    actors = actors_of(nlp, '(CNN)"A long, long time ago" begins the song Don McLean wrote.')
    assert all(")" not in actor.name for actor in actors)


def test_a_place_keeps_the_proper_noun_spacy_left_out(nlp: Language) -> None:
    text = (
        "Fruit growers in the Tarnow Valley picked more apples in 2023 than in any year since "
        "records began, their cooperative said on Friday."
    )
    names = [actor.name for actor in actors_of(nlp, text)]
    assert "Tarnow Valley" in names
    assert "Valley" not in names


def test_a_commentator_ranks_below_an_actor_named_as_often(nlp: Language) -> None:
    text = (
        "Professor Helen Varga said the flood was the worst in a century. "
        "Mayor Tomas Brandt ordered the evacuation on Monday. "
        "Varga said more rain would fall. Brandt thanked the volunteers."
    )
    actors = actors_of(nlp, text)
    assert [actor.name for actor in actors] == ["Tomas Brandt", "Helen Varga"]
    assert named(actors, "Helen Varga").role == "Professor"
    # Named first and as often: only the commentator discount puts the professor second.
    plain = actors_of(nlp, text, options=ActorOptions(commentator_weight=0.0))
    assert plain[0].name == "Helen Varga"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("Professor", True),
        ("club spokesman", True),
        ("Liverpool manager", True),
        ("Mayor", False),
        ("Iraqi Prime Minister", False),
        (None, False),
    ],
)
def test_commentator_roles(role: str | None, expected: bool) -> None:
    assert is_commentator(role) is expected

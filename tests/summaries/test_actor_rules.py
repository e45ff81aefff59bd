"""Actors a reader would name: countries, roles, untagged names and things, on real spaCy output."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

from bot.feeds.htmltext import html_to_text
from bot.feeds.local import parse_feed_xml
from summaries import Analyzer
from summaries.actor_clusters import Clusters
from summaries.actor_countries import FormKind, country_forms, form_key
from summaries.actor_mentions import add_repeated_names, occurrences, untagged_agents
from summaries.actor_names import name_key
from summaries.actors import ReferentOptions, find_actors, find_referents, rank_actors
from summaries.model import Actor, ActorKind
from tests.conftest import EXAMPLES

US_SIDE = {"US", "Washington", "American", "Pentagon"}


def actors_of(nlp: Language, text: str) -> list[Actor]:
    return find_actors(nlp(text))


def names(actors: list[Actor]) -> list[str]:
    return [actor.name for actor in actors]


def holding(actors: list[Actor], form: str) -> list[Actor]:
    return [actor for actor in actors if actor.name == form or form in actor.aliases]


def test_the_seed_articles_top_six_are_the_actors_a_reader_names(
    analyzer: Analyzer, seed_article: str
) -> None:
    top = list(analyzer.analyze(text=seed_article).actors[:6])
    sudani = holding(top, "Mohammed Shia Al Sudani")
    assert len(sudani) == 1 and sudani[0].role == "Iraqi Prime Minister"
    us_side = [actor for actor in top if US_SIDE & {actor.name, *actor.aliases}]
    assert len(us_side) == 1 and {us_side[0].name, *us_side[0].aliases} >= US_SIDE
    assert holding(top, "Popular Mobilization Forces")
    assert holding(top, "Mushtaq Taleb al-Saidi") or holding(top, "Harakat Hezbollah al-Nujaba")
    assert holding(top, "Iran")
    iraq = holding(top, "Iraq")
    assert len(iraq) == 1 and {"Baghdad", "Iraqi"} <= set(iraq[0].aliases)
    assert len(holding(top, "Baghdad")) == 1


def test_the_seed_article_gives_roles_before_and_after_names(
    nlp: Language, seed_article: str
) -> None:
    actors = actors_of(nlp, seed_article)
    roles = {actor.name: actor.role for actor in actors}
    assert roles["Mushtaq Taleb al-Saidi"] == "leader of Harakat Hezbollah al-Nujaba"
    assert roles["Pat Ryder"] == "Pentagon Press secretary"
    assert roles["Donald Trump"] == "former US President"
    assert "Pentagon Press" not in {
        form for actor in actors for form in (actor.name, *actor.aliases)
    }


def demo_feed_digests(analyzer: Analyzer) -> dict[str, list[Actor]]:
    poll = parse_feed_xml((EXAMPLES / "feeds" / "world.xml").read_bytes(), "world.xml")
    found = {}
    for entry in poll.entries:
        if entry.content and entry.title:
            text = html_to_text(entry.content)
            found[entry.title] = list(analyzer.analyze(text=text, title=entry.title).actors)
    return found


def test_the_demo_feed_has_no_sun_and_has_the_cooperative(analyzer: Analyzer) -> None:
    digests = demo_feed_digests(analyzer)
    comet = digests["Volunteers at Kestrel Ridge spot a new comet"]
    assert "Sun" not in names(comet) and "Kestrel Ridge Observatory" in names(comet)
    harvest = digests["Tarnow Valley growers report a record apple harvest"]
    cooperative = holding(harvest, "Tarnow Growers Cooperative")
    assert len(cooperative) == 1 and cooperative[0].kind is ActorKind.ORGANIZATION
    chair = holding(harvest, "Agnes Vollmer")
    assert len(chair) == 1 and chair[0].role == "Chair"
    valmora = digests["Valmora dockworkers end nine-day strike after pay deal"]
    assert holding(valmora, "Elena Marsh")[0].role == "Union leader"
    assert holding(valmora, "Tomas Reyes")[0].role == "director of the Valmora Port Authority"


def test_a_capital_used_for_its_government_joins_its_country(nlp: Language) -> None:
    text = (
        "The Kremlin said on Monday that Russia would answer. Moscow has accused its "
        "neighbours of sabotage, and Russian officials repeated the claim."
    )
    actors = actors_of(nlp, text)
    russia = holding(actors, "Russia")
    assert len(russia) == 1 and {"Kremlin", "Moscow", "Russian"} <= set(russia[0].aliases)
    assert russia[0].name == "Russia" and russia[0].kind is ActorKind.PLACE


def test_a_capital_that_is_only_a_place_stays_a_place_unless_its_country_is_named(
    nlp: Language,
) -> None:
    text = "A bomb went off at a market in Kabul on Friday. Afghan police said the attackers fled."
    actors = actors_of(nlp, text)
    assert names(holding(actors, "Kabul")) == ["Kabul"]
    assert names(holding(actors, "Afghan")) == ["Afghan"]
    named = actors_of(nlp, text.replace("Afghan police", "Afghanistan"))
    assert names(holding(named, "Kabul")) == ["Afghanistan"]  # a place mention of the country


def test_a_lone_country_form_and_a_person_named_like_a_country_stay_as_they_are(
    nlp: Language,
) -> None:
    text = "Frank Jordan flew home from Georgia on Monday. Jordan said the trip went well."
    actors = actors_of(nlp, text)
    assert names(holding(actors, "Frank Jordan")) == ["Frank Jordan"]
    assert names(holding(actors, "Georgia")) == ["Georgia"]


def test_country_folding_can_be_switched_off(nlp: Language) -> None:
    doc = nlp("Washington said the US would act. American officials agreed.")
    folded = rank_actors(find_referents(doc))
    apart = rank_actors(find_referents(doc, ReferentOptions(countries=False)))
    assert len(holding(folded, "US")) == 1 and holding(folded, "US") == holding(folded, "American")
    assert len(apart) > len(folded)


def test_the_country_table_comes_from_the_package_and_the_project_tables() -> None:
    table = country_forms()
    assert table[form_key("Iraqi")].country == "IQ" and table["iraqi"].kind is FormKind.DEMONYM
    assert table[form_key("Baghdad")].kind is FormKind.CAPITAL
    assert table[form_key("U.S.")].country == table["america"].country == "US"
    assert table["kremlin"].kind is FormKind.SEAT and table["kremlin"].country == "RU"
    assert table[form_key("The Hague")].country == "NL"
    assert table["american"].country == "US"  # the far larger of the countries that share it
    assert "england" not in table  # a nation of the UK, not a country with an ISO code


def test_untagged_proper_noun_runs_before_a_verb_are_names(nlp: Language) -> None:
    doc = nlp(
        "The Tarnow Growers Cooperative counted the crates on Friday, after a mild spring. "
        "Younger growers said that they would plant more trees."
    )
    found = {(name.name, name.kind, name.role) for name in untagged_agents(doc)}
    assert found == {("Tarnow Growers Cooperative", ActorKind.ORGANIZATION, None)}


@pytest.mark.parametrize(
    "text",
    [
        "The strike killed Omar Haddad, the leader of Kataib Sayyid Shuhada, on Monday.",
        "The strike killed Omar Haddad, the leader of Harakat Hezbollah al-Nujaba, on Monday.",
    ],
)
def test_what_an_office_is_of_is_an_organisation(nlp: Language, text: str) -> None:
    actors = actors_of(nlp, text)
    group = text.split("leader of ")[1].split(",")[0]
    assert [actor.kind for actor in holding(actors, group)] == [ActorKind.ORGANIZATION]
    assert holding(actors, "Omar Haddad")[0].role == f"leader of {group}"


def test_a_headline_in_title_case_gives_no_untagged_names(nlp: Language) -> None:
    doc = nlp("Local Growers Report Record Apple Harvest Despite Late Frost Warnings")
    assert list(untagged_agents(doc)) == []


def test_a_name_written_in_lower_case_elsewhere_is_a_thing(nlp: Language) -> None:
    text = (
        "Septum rings are back. Singers showed off a septum ring at the awards in Paris, "
        "where Rihanna wore gold."
    )
    actors = actors_of(nlp, text)
    assert not holding(actors, "Septum")
    assert holding(actors, "Rihanna")


def test_a_name_repeated_under_another_label_counts_as_a_mention(nlp: Language) -> None:
    text = (
        "Fighters of the Popular Mobilization Forces held the bridge on Monday. "
        '"The Popular Mobilization Forces represent the state," the minister said.'
    )
    pmf = holding(actors_of(nlp, text), "Popular Mobilization Forces")
    assert len(pmf) == 1 and pmf[0].mentions == 2


@settings(max_examples=40, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(["Harbour", "Growers", "Norden", "Valley", "Kestrel", "Guild"]),
        min_size=2,
        max_size=3,
    ),
    head=st.sampled_from(["Cooperative", "Association", "Union", "Council"]),
    verb=st.sampled_from(["said", "counted", "warned", "reported"]),
)
def test_any_untagged_organisation_before_a_verb_is_found(
    nlp: Language, words: list[str], head: str, verb: str
) -> None:
    name = " ".join([*words, head])
    doc = nlp(f"On Friday the {name} {verb} that the harvest was over.")
    found = {item.name: item.kind for item in untagged_agents(doc)}
    run = doc[3 : 3 + len(words) + 1]
    # spaCy may tag the name itself or a word of it as no proper noun; where every word is a
    # proper noun in no entity (what the rule reads), the rule must find all of it.
    if all(token.tag_ in {"NNP", "NNPS"} and not token.ent_type_ for token in run):
        assert found.get(name) is ActorKind.ORGANIZATION, (name, found, doc.ents)


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Iraqi Prime Minister Mohammed Shia Al Sudani spoke.", "Iraqi Prime Minister"),
        ("The coach, Tom Berg, a former striker, resigned.", "former striker"),
        ("They met Anna Holm, the mayor of Oslo, at noon.", "mayor of Oslo"),
        ("They met Anna Holm, who had resigned, at noon.", None),
    ],
)
def test_roles_from_titles_and_appositions(nlp: Language, text: str, role: str | None) -> None:
    people = [actor for actor in actors_of(nlp, text) if actor.kind is ActorKind.PERSON]
    assert people and people[0].role == role


@settings(max_examples=40, deadline=None)
@given(
    words=st.lists(st.sampled_from(["Norden", "Kestrel", "Harbour", "Vale", "Orrin"]), min_size=1),
    times=st.integers(min_value=1, max_value=4),
)
def test_a_repeated_name_counts_once_per_occurrence_and_never_in_brackets(
    nlp: Language, words: list[str], times: int
) -> None:
    name = " ".join([*words[:3], "Guild"])
    text = (
        " ".join(f"The {name} met again." for _ in range(times)) + f" A rival (the {name}) did not."
    )
    doc = nlp(text)
    clusters = Clusters()
    clusters.add(name, ActorKind.ORGANIZATION, text.index(name))
    add_repeated_names(doc, clusters, frozenset())  # no entity span excluded: the regex alone
    cluster = clusters.by_key[name_key(name)]
    assert (
        sorted(cluster.offsets) == [m.start() for m in re.finditer(re.escape(name), text)][:times]
    )
    assert cluster.forms[name] == times


@given(
    text=st.text(alphabet="Valmor -_(),.x7", max_size=60),
    word=st.sampled_from(["Valmora", "Val", "Valmora Port"]),
)
def test_occurrences_are_whole_words_as_a_word_bounded_pattern_finds_them(
    text: str, word: str
) -> None:
    text = f"{text} {word} {text}"
    pattern = rf"(?<![\w-]){re.escape(word)}(?![\w-])"
    assert list(occurrences(text, word)) == [m.start() for m in re.finditer(pattern, text)]

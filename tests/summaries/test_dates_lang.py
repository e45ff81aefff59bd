"""Dates in French, German, Spanish, Italian, Portuguese and Dutch, on blank spaCy pipelines.

The sentences are written for these tests. Every rule of every language is also property-tested
as the English ones are: whatever its pattern accepts translates to English groups and resolves.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from summaries.dates import find_dates
from summaries.dates_lang import LANGUAGES, rules_of, to_candidate
from summaries.dates_resolvers import RESOLVERS, DateMemory, resolve
from summaries.dates_rules import Tense

DCT = date(2024, 1, 5)  # a Friday, in ISO week 2024-W01
TENSES: tuple[Tense, ...] = ("past", "present", "future")
CASES = (str, str.upper, str.lower, str.title, str.swapcase)


@cache
def blank(language: str) -> Language:
    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    return nlp


def values(language: str, text: str, dct: date | None = DCT) -> dict[str, str | None]:
    found = find_dates(blank(language)(text), dct, language=language)
    return {m.text: m.value for m in found}


CASES_BY_LANGUAGE = [
    ("fr", "Le maire a parlé hier soir.", "hier", "2024-01-04"),
    ("fr", "La digue a cédé avant-hier.", "avant-hier", "2024-01-03"),
    ("fr", "Les prix ont grimpé la semaine dernière.", "la semaine dernière", "2023-W52"),
    ("fr", "Le pont a ouvert il y a trois ans.", "il y a trois ans", "2021"),
    ("fr", "Le traité fut signé le 3 janvier 2022.", "3 janvier 2022", "2022-01-03"),
    ("fr", "La séance aura lieu lundi prochain.", "lundi prochain", "2024-01-08"),
    ("fr", "Le club a gagné en 2019.", "2019", "2019"),
    ("fr", "Le courrier date du 03/01/2024.", "03/01/2024", "2024-01-03"),
    ("de", "Der Zug entgleiste gestern.", "gestern", "2024-01-04"),
    ("de", "Der Streik begann vor zwei Tagen.", "vor zwei Tagen", "2024-01-03"),
    ("de", "Die Preise stiegen letzte Woche.", "letzte Woche", "2023-W52"),
    ("de", "Das Gesetz gilt seit dem 3. Januar 2022.", "3. Januar 2022", "2022-01-03"),
    ("de", "Die Messe öffnet morgen.", "morgen", "2024-01-06"),
    ("de", "Der Bericht kam im vergangenen Jahr.", "vergangenen Jahr", "2023"),
    ("de", "Der Vertrag ist vom 3.1.2024.", "3.1.2024", "2024-01-03"),
    ("es", "El alcalde habló ayer.", "ayer", "2024-01-04"),
    ("es", "Los precios subieron la semana pasada.", "semana pasada", "2023-W52"),
    ("es", "La presa se rompió hace tres años.", "hace tres años", "2021"),
    ("es", "La ley entró en vigor el 3 de enero de 2022.", "3 de enero de 2022", "2022-01-03"),
    ("es", "La reunión será el próximo lunes.", "próximo lunes", "2024-01-08"),
    ("es", "El club ganó la liga en 2019.", "2019", "2019"),
    ("it", "Il sindaco ha parlato ieri.", "ieri", "2024-01-04"),
    ("it", "I prezzi sono saliti la settimana scorsa.", "settimana scorsa", "2023-W52"),
    ("it", "Il ponte crollò tre anni fa.", "tre anni fa", "2021"),
    ("it", "La legge è del 3 gennaio 2022.", "3 gennaio 2022", "2022-01-03"),
    ("pt", "O prefeito falou ontem.", "ontem", "2024-01-04"),
    ("pt", "A barragem rompeu há três anos.", "há três anos", "2021"),
    ("pt", "A lei entrou em vigor em 3 de janeiro de 2022.", "3 de janeiro de 2022", "2022-01-03"),
    ("pt", "A greve começou na segunda-feira.", "segunda-feira", "2024-01-01"),
    ("nl", "De burgemeester sprak gisteren.", "gisteren", "2024-01-04"),
    ("nl", "De prijzen stegen vorige week.", "vorige week", "2023-W52"),
    ("nl", "De brug stortte drie jaar geleden in.", "drie jaar geleden", "2021"),
    ("nl", "De wet geldt sinds 3 januari 2022.", "3 januari 2022", "2022-01-03"),
]


@pytest.mark.parametrize(("language", "text", "expression", "value"), CASES_BY_LANGUAGE)
def test_each_language_resolves_against_the_publication_date(
    language: str, text: str, expression: str, value: str
) -> None:
    assert values(language, text).get(expression) == value, values(language, text)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("es", "Julio Iglesias cantó por la mañana."),  # a first name, a morning
        ("de", "Am Morgen sprach August Bebel."),  # a morning, a first name
        ("fr", "Le ministre a été reçu."),  # "été" the participle, not summer
        ("nl", "Hij kwam in de morgen."),  # the morning
        ("pt", "Foi a segunda vez."),  # "segunda" the ordinal
    ],
)
def test_words_that_are_not_dates_here(language: str, text: str) -> None:
    assert values(language, text) == {}


def test_relative_expressions_without_a_publication_date_stay_unresolved() -> None:
    assert values("es", "El alcalde habló ayer.", dct=None) == {"ayer": None}


def test_future_cue_words_put_a_weekday_ahead() -> None:
    assert values("es", "La cumbre se celebrará el viernes.") == {"viernes": "2024-01-12"}
    assert values("es", "La cumbre se celebró el viernes.") == {"viernes": "2024-01-05"}


def test_offsets_point_into_the_text() -> None:
    text = "Der Zug entgleiste gestern."
    (mention,) = find_dates(blank("de")(text), DCT, language="de")
    assert text[mention.start : mention.end] == "gestern"


def test_a_language_without_rules_gets_no_dates_and_english_keeps_its_own() -> None:
    assert find_dates(blank("ru")("Вчера 3 января 2022."), DCT, language="ru") == []
    english = find_dates(blank("en")("He left yesterday."), DCT)
    assert [(m.text, m.value) for m in english] == [("yesterday", "2024-01-04")]


def test_every_language_rule_has_a_resolver() -> None:
    for code in LANGUAGES:
        assert {kind for kind, _ in rules_of(code)} <= set(RESOLVERS)


PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
dcts = st.one_of(st.none(), st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))


@pytest.mark.slow  # about a second per rule
@pytest.mark.parametrize(
    ("code", "kind", "pattern"),
    [(code, kind, p) for code in sorted(LANGUAGES) for kind, p in rules_of(code)],
)
def test_every_language_rule_resolves_what_its_pattern_accepts(
    code: str, kind: str, pattern: re.Pattern[str]
) -> None:
    language = LANGUAGES[code]

    @PROPERTY
    @given(st.from_regex(pattern, fullmatch=True), dcts, st.sampled_from(TENSES))
    def check(text: str, dct: date | None, tense: Tense) -> None:
        for variant in {case(text) for case in CASES} | {text.replace(" ", "\u00a0")}:
            match = pattern.search(variant)
            if match is None:  # a case change can make a look-around refuse the string
                continue
            candidate = to_candidate(language, kind, match)
            if candidate is None:  # refused for its capitals: the lower-case form must pass
                lowered = pattern.search(variant.lower())
                assert lowered is None or to_candidate(language, kind, lowered), variant
                continue
            value = resolve(candidate, dct, tense, DateMemory())
            assert value is None or (isinstance(value, str) and value), (code, kind, variant)

    check()

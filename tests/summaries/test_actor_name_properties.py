"""The actor-name rules on strings their own patterns accept: total, and they keep their promises.

Every regular expression in `summaries/actor_names.py` drives a rule: acronyms, bracketed aliases,
two names run together at a joint, possessives, dotted abbreviations. Here each rule gets strings
its own pattern generates (hypothesis `from_regex`), inside real sentences parsed by the real
pipeline, and the whole actor finder runs over them too.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from summaries.actor_names import (
    _ACRONYM,
    _DOTTED,
    _JOINT,
    _PARENTHESIS,
    _POSSESSIVE,
    clean_name,
    initials,
    is_acronym,
    name_key,
    parenthesised_aliases,
)
from summaries.actors import find_actors

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
one_line = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40
)
acronyms = st.from_regex(_ACRONYM, fullmatch=True)
joints = st.from_regex(_JOINT, fullmatch=True).filter(lambda s: "\n" not in s)
brackets = st.from_regex(_PARENTHESIS, fullmatch=True).filter(lambda s: "\n" not in s)
possessives = st.from_regex(_POSSESSIVE, fullmatch=True)
dotted = st.from_regex(_DOTTED, fullmatch=True)


@PROPERTY
@given(st.one_of(acronyms, dotted, one_line))
def test_name_keys_initials_and_acronyms_are_total(name: str) -> None:
    assert isinstance(name_key(name), str)
    assert isinstance(initials(name), str)
    assert is_acronym(name) in (True, False)


@PROPERTY
@given(acronyms)
def test_an_acronym_the_pattern_accepts_is_one_when_it_has_two_capitals(name: str) -> None:
    assert is_acronym(name) == (sum(char.isupper() for char in name) >= 2)


@PROPERTY
@given(joints, possessives, st.sampled_from(["Real Madrid", "Hanna Vogt", "Sauber"]))
def test_a_cleaned_name_never_keeps_a_joint_or_a_possessive(
    nlp: Language, joint: str, possessive: str, name: str
) -> None:
    doc = nlp(f"{name}{possessive}{joint}Getafe met on Tuesday.")
    for span in doc.ents:
        cleaned = clean_name(span)
        if cleaned is not None:
            assert cleaned == cleaned.strip() and cleaned
            assert _JOINT.search(cleaned) is None
            assert not cleaned.endswith(("'s", "’s"))


@PROPERTY
@given(brackets)
def test_bracketed_aliases_are_acronyms_from_inside_the_bracket(
    nlp: Language, bracket: str
) -> None:
    text = f"The Lindmoor Rowing Club{bracket} won the cup on Saturday."
    doc = nlp(text)
    for span in doc.ents:
        aliases, end = parenthesised_aliases(text, span)
        assert span.start_char <= end <= len(text)
        assert all(is_acronym(alias) and alias in text for alias in aliases)


@PROPERTY
@given(st.lists(st.one_of(acronyms, dotted, brackets, joints, possessives), min_size=1, max_size=5))
def test_the_actor_finder_is_total_over_sentences_built_of_the_patterns(
    nlp: Language, pieces: list[str]
) -> None:
    text = " ".join(f"Hanna Vogt{piece} met the {piece} council." for piece in pieces)
    for actor in find_actors(nlp(text)):
        assert actor.name and actor.mentions >= 1

"""The cleaning rules on strings their own patterns accept, and on any text at all.

Every boilerplate line the pattern describes, in any case, is dropped from between two article
paragraphs, which survive; and for any input, every character the cleaner keeps maps back to a
source character it came from (the offset map that keeps summaries verbatim).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summaries.clean import _BOILERPLATE, _QUOTES, _WORD, clean_text
from summaries.errors import InputError
from summaries.inputs import check_text
from summaries.language import SUPPORTED, identify, require_supported

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
BEFORE = "The council voted on Tuesday to close the old bridge for repairs."
AFTER = "Ferries will carry cyclists and walkers across the river while it is shut."
# One line of boilerplate as the pattern reads it: no line breaks inside.
boilerplate_lines = st.from_regex(_BOILERPLATE, fullmatch=True).filter(
    lambda line: "\n" not in line and "\r" not in line and line.strip() != ""
)


@pytest.mark.slow
@PROPERTY
@given(boilerplate_lines, st.sampled_from([str, str.upper, str.lower, str.title]))
def test_every_boilerplate_line_is_dropped_and_the_article_kept(line: str, case: object) -> None:
    shown = case(line)  # type: ignore[operator]
    cleaned = clean_text(f"{BEFORE}\n\n{shown}\n\n{AFTER}", find_title=False)
    assert cleaned.text.startswith(BEFORE) and cleaned.text.endswith(AFTER)
    folded = " ".join(shown.split())
    if _BOILERPLATE.match(folded):
        assert folded not in cleaned.text.split("\n\n")[1:-1]
        assert cleaned.text == f"{BEFORE}\n\n{AFTER}"


@PROPERTY
@given(st.text(max_size=400), st.booleans())
def test_every_kept_character_maps_back_to_its_source(source: str, find_title: bool) -> None:
    cleaned = clean_text(source, find_title=find_title)
    assert len(cleaned.origin) == len(cleaned.text)
    for char, offset in zip(cleaned.text, cleaned.origin, strict=True):
        original = source[offset]
        if char == "\n":  # the blank line between kept paragraphs is the cleaner's own
            continue
        assert char == original.translate(_QUOTES) or (char == " " and original.isspace())


@pytest.mark.slow
@PROPERTY
@given(st.lists(st.one_of(boilerplate_lines, st.just(BEFORE), st.just(AFTER)), max_size=8))
def test_pages_of_mixed_lines_clean_without_error(lines: list[str]) -> None:
    for separator in ("\n", "\n\n", "\r\n\r\n"):
        cleaned = clean_text(separator.join(lines))
        for start in range(0, len(cleaned.text), 7):
            begin, end = cleaned.source_span(start, min(start + 7, len(cleaned.text)))
            assert 0 <= begin <= end


@PROPERTY
@given(st.text(max_size=600))
def test_the_input_check_refuses_in_words_or_passes(source: str) -> None:
    try:
        check_text(source)
        identified = identify(source)
        require_supported(identified.language)
    except InputError as error:
        assert error.reason and "\n" not in error.reason
    else:
        assert identified.language in SUPPORTED
        assert all(isinstance(flag, str) for flag in identified.flags)


# Titles as the repeat rule reads them: words of its own pattern, joined by any punctuation.
title_words = st.lists(st.from_regex(_WORD, fullmatch=True), min_size=1, max_size=12)
joiners = st.sampled_from([" ", " - ", ": ", ", ", "... ", " ; ", "! "])


@PROPERTY
@given(title_words, joiners, st.sampled_from([str, str.upper, str.lower, str.title]))
def test_a_repeated_title_is_found_however_it_is_cased_and_punctuated(
    words: list[str], joiner: str, case: object
) -> None:
    title = joiner.join(words)
    shown = case(title) + "."  # type: ignore[operator]
    if _WORD.findall(shown.casefold()) != _WORD.findall(title.casefold()):
        return  # casing changed the words themselves (a dotted I, a German sharp s)
    cleaned = clean_text(f"{shown}\n\n{AFTER}", find_title=False, given_title=title)
    assert cleaned.text[: cleaned.headline_end] == " ".join(shown.split()).translate(_QUOTES)
    assert cleaned.text.endswith(AFTER)


@PROPERTY
@given(title_words, title_words)
def test_a_first_paragraph_with_other_words_is_never_the_headline(
    words: list[str], other: list[str]
) -> None:
    title, first = " ".join(words), " ".join(other) + " said."
    if _WORD.findall(first.casefold()) == _WORD.findall(title.casefold()):
        return
    cleaned = clean_text(f"{first}\n\n{AFTER}", find_title=False, given_title=title)
    assert cleaned.headline_end == 0
    assert cleaned.text.endswith(AFTER)

"""The fast paths of the core give the same answers as the slow ones they replace."""

from __future__ import annotations

import pytest
from spacy.language import Language

from summaries import dates_rules
from summaries.actors import find_actors, find_referents, rank_actors
from summaries.dates_context import TokenView, tense
from summaries.dates_rules import scan
from summaries.summarise import content_stems, stem


def test_the_pipeline_leaves_out_components_nothing_reads(nlp: Language) -> None:
    assert {"parser", "lemmatizer", "attribute_ruler"}.isdisjoint(nlp.pipe_names)
    assert {"tagger", "senter", "ner"} <= set(nlp.pipe_names)
    assert nlp("They walked home.")[1].tag_ == "VBD"  # the date rules read tags


def test_token_view_matches_the_doc(nlp: Language) -> None:
    doc = nlp("Talks ended on Monday. Both sides will meet again next week in Geneva.")
    view = TokenView.of(doc, doc.text)
    assert len(view) == len(doc)
    for token in doc:
        assert view.token_at(token.idx) == token.i
        assert view.token_at(token.idx + len(token) - 1) == token.i
        assert view.sentence_start[token.i] == token.sent.start
        assert view.sentence_end[token.i] == token.sent.end
        assert view.tags[token.i] == token.tag_


@pytest.mark.parametrize(
    ("text", "expression", "expected"),
    [
        ("Talks ended on Monday.", "Monday", "past"),
        ("Both sides will meet on Monday.", "Monday", "future"),
        ("The minister is to visit on Monday.", "Monday", "future"),
        ("The shop opens on Monday.", "Monday", "present"),
    ],
)
def test_tense_of_the_nearest_finite_verb(
    nlp: Language, text: str, expression: str, expected: str
) -> None:
    doc = nlp(text)
    assert tense(TokenView.of(doc, doc.text), text.index(expression)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Profit rose in Q3 2023 and in the year-ago quarter; the 1990s were calmer.",
        "This spring, at Christmas and over the weekend, sales rose; they fall in the future.",
        "Four years ago, in the 21st century, the fiscal year 2020 ended in the first half.",
        "Nothing here but words.",
    ],
)
def test_skipping_rules_without_their_words_loses_no_match(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    skipped = scan(text)
    monkeypatch.setattr(dates_rules, "_TRIGGERS", {})  # every rule runs on every text
    assert skipped == scan(text)
    assert skipped or text.startswith("Nothing")


def test_referents_ranked_twice_give_what_find_actors_gives(nlp: Language) -> None:
    text = (
        "Prime Minister Rishi Sunak met President Joe Biden in Washington on Monday. "
        "Sunak said the talks went well. The World Health Organization (WHO) agreed."
    )
    doc = nlp(text)
    spans = [(0, 40)]
    referents = find_referents(doc)
    assert rank_actors(referents, summary_spans=spans, limit=3) == find_actors(
        doc, summary_spans=spans, limit=3
    )
    assert rank_actors(referents) == find_actors(doc)


def test_stems_are_sumy_stems() -> None:
    assert stem("running") == "run"
    assert stem("running") is stem("running")  # remembered
    assert content_stems(["The", "runners", "were", "running", "42"]) == {"runner", "run"}

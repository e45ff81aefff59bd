from __future__ import annotations

import nltk
import pytest
from spacy.language import Language

from summaries.ranker import RankerOptions, SentenceScore, score_sentences, select_sentences
from summaries.segment import SentenceUnit, segment
from summaries.summarise import (
    SUMY_ALGORITHMS,
    UnknownAlgorithmError,
    centroid_scores,
    sumy_scores,
    top_in_order,
)

STORY = (
    "The city council approved a new budget for the public library on Monday evening. "
    "The budget adds funding for longer library opening hours and new books. "
    "Council members argued about the library budget for three hours. "
    "Is this the best use of public money? "
    "The mayor said the library budget would help students and families across the city. "
    "Separately, a cat was rescued from a tree."
)


@pytest.fixture(scope="module")
def units(nlp: Language) -> list[SentenceUnit]:
    return segment(nlp(STORY))


@pytest.fixture()
def no_nltk_data(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    # Any code path that needs NLTK's punkt (sumy's default tokenizer) now fails loudly.
    monkeypatch.setattr(nltk.data, "path", [str(tmp_path)])


def test_segment_keeps_offsets(units: list[SentenceUnit]) -> None:
    assert len(units) == 6
    for unit in units:
        assert STORY[unit.start : unit.end] == unit.text
    assert units[3].text == "Is this the best use of public money?"


@pytest.mark.parametrize("algorithm", sorted(SUMY_ALGORITHMS))
def test_every_sumy_algorithm_rates_every_sentence_without_nltk_data(
    algorithm: str, units: list[SentenceUnit], no_nltk_data: None
) -> None:
    with pytest.raises(LookupError):
        nltk.data.find("tokenizers/punkt")
    scores = sumy_scores(units, algorithm)
    assert len(scores) == len(units)
    assert len(top_in_order(scores, 3, [True] * len(units))) == 3


def test_lexrank_prefers_the_central_sentence(units: list[SentenceUnit]) -> None:
    scores = sumy_scores(units, "lexrank")
    assert scores.index(max(scores)) != 5  # the off-topic cat never wins centrality


def test_unknown_algorithm_is_refused(units: list[SentenceUnit]) -> None:
    with pytest.raises(UnknownAlgorithmError, match="choose one of"):
        sumy_scores(units, "gpt")


def test_top_in_order_returns_document_order_and_skips_ineligible() -> None:
    assert top_in_order([0.1, 0.9, 0.5, 0.8], 2, [True, True, True, True]) == [1, 3]
    assert top_in_order([0.1, 0.9, 0.5, 0.8], 2, [True, False, True, True]) == [2, 3]


def test_regime_follows_the_share_of_sentences_kept() -> None:
    options = RankerOptions()
    assert options.blend(3, 30) == 0.0  # a three-sentence digest of a long story: the lead
    assert options.blend(5, 10) == 1.0  # keeping half the story: coverage
    assert 0.0 < options.blend(7, 20) < 1.0


def test_short_summaries_are_leads_whatever_the_share() -> None:
    options = RankerOptions()
    assert options.blend(3, 8) == 0.0  # three of eight sentences: still a digest, a lead
    assert options.blend(4, 8) == 1.0
    assert RankerOptions(coverage_min_sentences=1).blend(3, 8) > 0.0


def test_centroid_rates_sentences_by_words_recurring_elsewhere(units: list[SentenceUnit]) -> None:
    ratings = centroid_scores(units)
    assert len(ratings) == len(units)
    assert ratings[5] == 0.0  # the cat shares no word with the rest of the story
    assert ratings.index(max(ratings)) in {0, 1, 2, 4}  # a library-budget sentence
    assert centroid_scores([]) == []


def test_centroid_favours_density_over_length(nlp: Language) -> None:
    text = (
        "Floods hit the town. Floods closed the town road. "
        "Floods hit the town while people, tired and cold and wet, waited on roofs and walls "
        "and bridges for boats and helicopters and help that came late in the day."
    )
    ratings = centroid_scores(segment(nlp(text)))
    # the long sentence shares the same recurring words, diluted by many others
    assert ratings[1] > ratings[2]


def test_ranker_penalises_questions_and_skips_the_off_topic(units: list[SentenceUnit]) -> None:
    options = RankerOptions(coverage_from=1.0, coverage_full=1.0)  # the lead regime throughout
    scores = score_sentences(
        units, title="Council approves library budget", actor_names=[], options=options
    )
    assert scores[3].penalty > 0
    chosen = select_sentences(units, scores, 3, redundancy=0.25)
    assert chosen == sorted(chosen)
    assert 3 not in chosen
    assert 5 not in chosen
    assert 0 in chosen


def test_redundancy_control_avoids_near_duplicates(nlp: Language) -> None:
    text = (
        "Floods closed the main road into the town on Friday. "
        "Floods closed the main road into the town on Friday morning. "
        "Schools will stay shut until the water goes down next week. "
        "The river rose two metres overnight after heavy rain in the hills."
    )
    units = segment(nlp(text))
    # Near-duplicates lift each other's centrality, so the two leading sentences score highest.
    totals = [1.0, 0.95, 0.6, 0.5]
    scores = [SentenceScore(i, total, 0.0, total, 0.0, 0.0, 0.0) for i, total in enumerate(totals)]
    assert select_sentences(units, scores, 2, redundancy=0.0) == [0, 1]
    assert select_sentences(units, scores, 2, redundancy=2.0) == [0, 2]

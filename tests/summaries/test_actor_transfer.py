"""The BBC-to-CNN/DM actor benchmark: its reference repair, feature rows and vectorised ranking."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.actor_tables import (
    COLUMNS,
    Table,
    bbc_reference,
    option_scores,
    settings_grid,
    tabulate,
    top_found,
)
from summaries import Analyzer

TEXT = (
    "Anna Kowalski opened the new library in Tarnow on Monday. "
    "The council paid for most of the work, said Piotr Nowak. "
    "Kowalski said the shelves would be full by spring. "
    "Tarnow children read the first books aloud."
)
# Run together the way the BBC references are.
REFERENCE = (
    "Anna Kowalski opened the new library in Tarnow.Kowalski said the shelves would be full."
)

_WORD = st.from_regex(r"[A-Z][a-z]{1,8}", fullmatch=True)
_SENTENCE = st.lists(_WORD, min_size=1, max_size=4).map(" ".join)


@given(st.lists(_SENTENCE, min_size=1, max_size=5))
def test_run_together_sentences_get_their_space_back(sentences: list[str]) -> None:
    assert bbc_reference(".".join(sentences) + ".") == ". ".join(sentences) + "."


def test_an_abbreviation_inside_a_sentence_is_left_alone() -> None:
    assert bbc_reference("The U.S. army left.It rained.") == "The U.S. army left. It rained."


def test_feature_rows_reproduce_the_product_salience(analyzer: Analyzer) -> None:
    record = {"text": TEXT, "reference": bbc_reference(REFERENCE)}
    table = tabulate(analyzer, record, "Kowalski opens library", in_text=True)
    defaults = option_scores(table, settings_grid()[:1])[0]
    assert np.allclose(defaults, table.default)
    assert table.hits.shape[1] == 3  # "Anna Kowalski", "Tarnow", "Kowalski": as actors_eval counts
    assert int(top_found(table, defaults[None, :])[0]) == 3


def test_the_top_five_breaks_ties_by_first_mention() -> None:
    hits = np.zeros((6, 1), dtype=np.bool_)
    hits[5, 0] = True  # the gold name is the last-mentioned of six referents
    table = Table(
        x=np.zeros((6, len(COLUMNS))),
        first=np.arange(6, dtype=np.float64),
        hits=hits,
        names=tuple("abcdef"),
        default=np.zeros(6),
        counts=np.ones(1, dtype=np.int64),
    )
    scores = np.zeros((2, 6))
    scores[1, 5] = 0.1  # the second row ranks it first
    assert top_found(table, scores).tolist() == [0, 1]  # tied, it is sixth and out

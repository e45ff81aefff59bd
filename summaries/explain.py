"""Why the ranker chose what it chose: each sentence's score components, for `analyze --explain`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from summaries.ranker import SentenceScore
from summaries.segment import SentenceUnit


@dataclass(frozen=True)
class SentenceExplanation:
    """One sentence's score, component by component (each already weighted).

    Attributes:
        index: Position among the article's sentences, from 0.
        text: The sentence as it stands in the cleaned text.
        chosen: Whether the summary keeps it.
        position: The position prior.
        centrality: The weighted sum of the centrality ratings.
        title: Coverage of the title's content words.
        actors: Coverage of the key actors' names.
        penalty: Subtracted for questions and quotes.
        total: The final score (before redundancy control).
    """

    index: int
    text: str
    chosen: bool
    position: float
    centrality: float
    title: float
    actors: float
    penalty: float
    total: float


def explain_scores(
    units: Sequence[SentenceUnit], scores: Sequence[SentenceScore], chosen: Sequence[int]
) -> tuple[SentenceExplanation, ...]:
    """Pair every scored sentence with its text and whether the summary keeps it.

    Args:
        units: The sentences that competed.
        scores: Their scores, from `summaries.ranker.score_sentences`.
        chosen: The indices of the summary's sentences.

    Returns:
        One explanation per sentence, in document order.
    """
    kept = set(chosen)
    return tuple(
        SentenceExplanation(
            index=score.index,
            text=units[score.index].text,
            chosen=score.index in kept,
            position=score.position,
            centrality=score.centrality,
            title=score.title,
            actors=score.actors,
            penalty=score.penalty,
            total=score.total,
        )
        for score in scores
    )


def explanation_records(explanations: Sequence[SentenceExplanation]) -> list[dict[str, Any]]:
    """The explanations as JSON-ready dicts (the "explain" list of `analyze --json`)."""
    return [
        {
            "index": item.index,
            "text": item.text,
            "chosen": item.chosen,
            "position": round(item.position, 4),
            "centrality": round(item.centrality, 4),
            "title": round(item.title, 4),
            "actors": round(item.actors, 4),
            "penalty": round(item.penalty, 4),
            "total": round(item.total, 4),
        }
        for item in explanations
    ]

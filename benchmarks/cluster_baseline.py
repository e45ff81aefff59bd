"""The clustering of issue 4, kept only as the benchmark's baseline row.

An article joined the story of its single most similar recent article when the TF-IDF cosine of
their whole texts (IDF over the window, recomputed per article), plus 0.1 times the Jaccard
overlap of their top-5 actors and 0.05 for a shared calendar day, reached 0.4.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta

from bot.domain import Article
from bot.news.clustering import too_far_apart

THRESHOLD = 0.4
ACTOR_WEIGHT = 0.1
DATE_WEIGHT = 0.05
KEY_ACTORS = 5
_GAP = timedelta(days=3)


def best_story(article: Article, candidates: Sequence[Article]) -> tuple[int, float] | None:
    """The story of the most similar candidate at or above the threshold, else None."""
    if not candidates or not article.terms:
        return None
    idf = _idf([article.terms, *(candidate.terms for candidate in candidates)])
    vector = _vector(article.terms, idf)
    scored = (
        (_similarity(article, candidate, vector, _vector(candidate.terms, idf)), candidate)
        for candidate in candidates
    )
    score, best = max(scored, key=lambda pair: pair[0])
    return (best.story_id, score) if score >= THRESHOLD else None


def _similarity(
    left: Article, right: Article, left_vector: _Vector, right_vector: _Vector
) -> float:
    if too_far_apart(left.published, right.published, _GAP):
        return 0.0
    text = _cosine(left_vector, right_vector)
    actors = _jaccard(_key_actors(left), _key_actors(right))
    dates = bool(_days(left) & _days(right))
    return text + ACTOR_WEIGHT * actors + DATE_WEIGHT * dates


_Vector = tuple[dict[str, float], float]


def _idf(documents: Iterable[Mapping[str, int]]) -> dict[str, float]:
    frequency: Counter[str] = Counter()
    count = 0
    for terms in documents:
        frequency.update(terms.keys())
        count += 1
    return {term: math.log((1 + count) / (1 + seen)) + 1.0 for term, seen in frequency.items()}


def _vector(terms: Mapping[str, int], idf: Mapping[str, float]) -> _Vector:
    weights = {term: (1.0 + math.log(count)) * idf[term] for term, count in terms.items()}
    return weights, math.sqrt(sum(weight * weight for weight in weights.values()))


def _cosine(left: _Vector, right: _Vector) -> float:
    if not left[1] or not right[1]:
        return 0.0
    small, large = sorted((left[0], right[0]), key=len)
    return sum(weight * large.get(term, 0.0) for term, weight in small.items()) / (
        left[1] * right[1]
    )


def _key_actors(article: Article) -> set[str]:
    return {actor.name.casefold() for actor in article.actors[:KEY_ACTORS]}


def _jaccard(left: set[str], right: set[str]) -> float:
    union = left | right
    return len(left & right) / len(union) if union else 0.0


def _days(article: Article) -> set[str]:
    return {d.value for d in article.dates if d.value is not None and len(d.value) == 10}

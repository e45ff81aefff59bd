"""Story clustering: articles about the same event, from any outlet, become one story.

An incoming article joins the story of its most similar recent article when the similarity clears a
threshold. Similarity is the TF-IDF cosine of content words (IDF over the recent window), plus a
bonus for shared key actors and for shared calendar dates, and nothing at all when the two were
published too far apart. URLs play no part.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from spacy.lang.en.stop_words import STOP_WORDS

from bot.domain import Article
from summaries import Actor, DateMention

_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)
_KEPT_TERMS = 200


@dataclass(frozen=True)
class ClusterOptions:
    """Weights and limits of story clustering.

    Attributes:
        threshold: Similarity at or above which an article joins a story.
        actor_weight: Added times the Jaccard overlap of the two articles' key actors.
        date_weight: Added when the two name the same calendar day.
        window: How far back (by ingestion) candidates are looked for.
        max_published_gap: Articles published further apart never join.
        key_actors: How many top actors of each article count as its key actors.
    """

    threshold: float = 0.4
    actor_weight: float = 0.1
    date_weight: float = 0.05
    window: timedelta = timedelta(hours=72)
    max_published_gap: timedelta = timedelta(days=3)
    key_actors: int = 5


class Clusterable(Protocol):
    """What clustering reads of an article: a stored Article or its `Signature`."""

    @property
    def published(self) -> datetime | None:
        """Publication time, if known."""
        ...

    @property
    def actors(self) -> tuple[Actor, ...]:
        """Key actors, most salient first."""
        ...

    @property
    def dates(self) -> tuple[DateMention, ...]:
        """Dates named in the article."""
        ...

    @property
    def terms(self) -> dict[str, int]:
        """Content-word counts."""
        ...

    @property
    def story_id(self) -> int:
        """The story it belongs to."""
        ...


@dataclass(frozen=True)
class Signature:
    """A stored article's clustering features only: no text, summary or links.

    Attributes:
        id: Store id of the article.
        story_id: Its story.
        ingested_at: When it was stored (decides when it leaves the window).
        published: Publication time, if known.
        actors: Key actors, most salient first.
        dates: Dates named in the article.
        terms: Content-word counts.
    """

    id: int
    story_id: int
    ingested_at: datetime
    published: datetime | None
    actors: tuple[Actor, ...]
    dates: tuple[DateMention, ...]
    terms: dict[str, int] = field(hash=False, compare=False)


@dataclass
class TermVector:
    """TF-IDF weights of one article's terms and their Euclidean norm."""

    weights: dict[str, float] = field(default_factory=dict)
    norm: float = 0.0


def terms_of(text: str, limit: int = _KEPT_TERMS) -> dict[str, int]:
    """Content-word counts of a text: lower-cased, stop words and one-letter tokens out.

    Plural "s" is folded ("troops" = "troop"); only the `limit` most frequent terms are kept.
    """
    counts = Counter(_fold(word) for word in _WORD.findall(text.lower()))
    for word in [word for word in counts if word in STOP_WORDS or len(word) < 2]:
        del counts[word]
    return dict(counts.most_common(limit))


def best_story(
    article: Article, candidates: Sequence[Clusterable], options: ClusterOptions
) -> tuple[int, float] | None:
    """The story the article belongs to and its score, or None for a new story.

    Args:
        article: The incoming article (its `terms`, `actors`, `dates`, `published` are used).
        candidates: Stored recent articles (or their signatures) with their story ids.
        options: Weights and limits.

    Returns:
        (story id, similarity) of the best candidate at or above the threshold, else None.
    """
    if not candidates or not article.terms:
        return None
    idf = _idf([article.terms, *(candidate.terms for candidate in candidates)])
    vector = _vector(article.terms, idf)
    scored = (
        (similarity(article, candidate, vector, _vector(candidate.terms, idf), options), candidate)
        for candidate in candidates
    )
    score, best = max(scored, key=lambda pair: pair[0])
    return (best.story_id, score) if score >= options.threshold else None


def similarity(
    left: Clusterable,
    right: Clusterable,
    left_vector: TermVector,
    right_vector: TermVector,
    options: ClusterOptions,
) -> float:
    """Text cosine plus actor and date bonuses; 0 when published too far apart."""
    if _too_far_apart(left, right, options.max_published_gap):
        return 0.0
    text = _cosine(left_vector, right_vector)
    actors = _jaccard(_key_actors(left, options), _key_actors(right, options))
    dates = bool(_days(left) & _days(right))
    return text + options.actor_weight * actors + options.date_weight * dates


def _fold(word: str) -> str:
    word = word.replace("’", "'").removesuffix("'s")
    if len(word) > 4 and word.endswith(("ches", "shes", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _idf(documents: Iterable[Mapping[str, int]]) -> dict[str, float]:
    frequency: Counter[str] = Counter()
    count = 0
    for terms in documents:
        frequency.update(terms.keys())
        count += 1
    return {term: math.log((1 + count) / (1 + seen)) + 1.0 for term, seen in frequency.items()}


def _vector(terms: Mapping[str, int], idf: Mapping[str, float]) -> TermVector:
    weights = {term: (1.0 + math.log(count)) * idf[term] for term, count in terms.items()}
    return TermVector(weights, math.sqrt(sum(weight * weight for weight in weights.values())))


def _cosine(left: TermVector, right: TermVector) -> float:
    if not left.norm or not right.norm:
        return 0.0
    small, large = sorted((left.weights, right.weights), key=len)
    dot = sum(weight * large.get(term, 0.0) for term, weight in small.items())
    return dot / (left.norm * right.norm)


def _key_actors(article: Clusterable, options: ClusterOptions) -> set[str]:
    return {actor.name.casefold() for actor in article.actors[: options.key_actors]}


def _jaccard(left: set[str], right: set[str]) -> float:
    union = left | right
    return len(left & right) / len(union) if union else 0.0


def _days(article: Clusterable) -> set[str]:
    return {d.value for d in article.dates if d.value is not None and len(d.value) == 10}


def _too_far_apart(left: Clusterable, right: Clusterable, gap: timedelta) -> bool:
    if left.published is None or right.published is None:
        return False
    return abs(left.published - right.published) > gap

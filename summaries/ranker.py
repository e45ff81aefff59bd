"""The project's own sentence ranker: sumy centrality plus what news editors know.

A sentence's score is an explainable weighted sum of
- position: news puts what matters first (an exponential prior over the sentence index);
- centrality: sumy's graph centrality (how much the rest of the article repeats it);
- title: how many of the title's content words it contains;
- actors: how many of the article's key actors it names;
less penalties for questions and quote-only sentences, which rarely summarise a story.
Selection is greedy with redundancy control (maximal marginal relevance), so a summary does not say
the same thing twice; the chosen sentences are returned in document order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from summaries.segment import SentenceUnit
from summaries.summarise import content_stems, sumy_scores


@dataclass(frozen=True)
class RankerOptions:
    """Weights of the ranker; the defaults were tuned on the development evaluation data only.

    Attributes:
        centrality: The sumy algorithm whose ratings give centrality.
        position_weight: Weight of the position prior.
        position_decay: Sentences over which the position prior falls by a factor e.
        centrality_weight: Weight of the (max-normalised) centrality rating.
        title_weight: Weight of title-word coverage.
        actor_weight: Weight of key-actor coverage.
        question_penalty: Subtracted from sentences that end with a question mark.
        quote_penalty: Subtracted from sentences that are nothing but a quotation.
        redundancy: MMR trade-off: how much similarity to already chosen sentences costs.
    """

    centrality: str = "lexrank"
    position_weight: float = 1.0
    position_decay: float = 4.0
    centrality_weight: float = 0.5
    title_weight: float = 0.3
    actor_weight: float = 0.2
    question_penalty: float = 0.3
    quote_penalty: float = 0.2
    redundancy: float = 0.5


@dataclass(frozen=True)
class SentenceScore:
    """A sentence's score and the components it is made of (for `--explain`)."""

    index: int
    total: float
    position: float
    centrality: float
    title: float
    actors: float
    penalty: float


def score_sentences(
    units: Sequence[SentenceUnit],
    *,
    title: str | None,
    actor_names: Sequence[str],
    options: RankerOptions,
) -> list[SentenceScore]:
    """Score every sentence of an article.

    Args:
        units: The article's sentences.
        title: The article's title, if known.
        actor_names: Names (and aliases) of the article's key actors, most salient first.
        options: The ranker's weights.

    Returns:
        One score per sentence, in document order.
    """
    centrality = _normalised(sumy_scores(units, options.centrality)) if units else []
    title_stems = content_stems(title.split()) if title else frozenset()
    actors = [name.lower() for name in actor_names]
    scores = []
    for unit, central in zip(units, centrality, strict=True):
        position = math.exp(-unit.index / options.position_decay)
        title_cover = _coverage(content_stems(unit.words), title_stems)
        actor_cover = _actor_coverage(unit.text.lower(), actors)
        penalty = _penalty(unit.text, options)
        total = (
            options.position_weight * position
            + options.centrality_weight * central
            + options.title_weight * title_cover
            + options.actor_weight * actor_cover
            - penalty
        )
        scores.append(
            SentenceScore(unit.index, total, position, central, title_cover, actor_cover, penalty)
        )
    return scores


def select_sentences(
    units: Sequence[SentenceUnit],
    scores: Sequence[SentenceScore],
    count: int,
    options: RankerOptions,
) -> list[int]:
    """Choose `count` sentences greedily by score less redundancy with those already chosen.

    Fragments are skipped unless there is nothing else.

    Returns:
        The chosen sentence indices in document order.
    """
    candidates = [unit.index for unit in units if not unit.is_fragment] or [u.index for u in units]
    stems = {index: content_stems(units[index].words) for index in candidates}
    chosen: list[int] = []
    while candidates and len(chosen) < count:
        best = max(
            candidates,
            key=lambda i: (scores[i].total - options.redundancy * _overlap(stems, i, chosen), -i),
        )
        chosen.append(best)
        candidates.remove(best)
    return sorted(chosen)


def _normalised(values: Sequence[float]) -> list[float]:
    low, high = min(values), max(values)
    span = high - low
    return [(value - low) / span if span > 0 else 0.0 for value in values]


def _coverage(stems: frozenset[str], wanted: frozenset[str]) -> float:
    return len(stems & wanted) / len(wanted) if wanted else 0.0


def _actor_coverage(text: str, actors: Sequence[str]) -> float:
    """Share of the top actors named in the sentence, the more salient counting more."""
    if not actors:
        return 0.0
    weights = [1.0 / (rank + 1) for rank in range(len(actors))]
    found = sum(weight for name, weight in zip(actors, weights, strict=True) if name in text)
    return found / sum(weights)


def _penalty(text: str, options: RankerOptions) -> float:
    penalty = options.question_penalty if text.rstrip("\"' ").endswith("?") else 0.0
    stripped = text.strip()
    if stripped[:1] in "\"'" and stripped.rstrip(".,")[-1:] in "\"'":
        penalty += options.quote_penalty
    return penalty


def _overlap(stems: dict[int, frozenset[str]], index: int, chosen: Sequence[int]) -> float:
    """Largest Jaccard similarity between a candidate and any chosen sentence."""
    mine = stems[index]
    best = 0.0
    for other in chosen:
        theirs = stems.get(other, frozenset())
        union = mine | theirs
        if union:
            best = max(best, len(mine & theirs) / len(union))
    return best

"""The project's own sentence ranker: sumy centrality plus what news editors know.

A sentence's score is an explainable weighted sum of
- position: news puts what matters first (an exponential prior over the sentence index);
- centrality: sumy's ratings (LexRank, TextRank, Luhn, Reduction) and the project's centroid
  rating (how often a sentence's words recur in the rest of the article), each min-max
  normalised;
- title: how many of the title's content words it contains;
- actors: how many of the article's key actors it names;
less penalties for questions and quote-only sentences, which rarely summarise a story.

What matters depends on how much of the article the summary keeps. A three-sentence digest of a
thirty-sentence story is a lead: position dominates. A summary that keeps half the article must
cover it: centrality (the centroid rating, helped by Reduction's word overlap) dominates. So
there are two weight sets, `lead` and `coverage`, blended by the share of sentences kept (all
`lead` up to `coverage_from`, all `coverage` from `coverage_full`; summaries shorter than
`coverage_min_sentences` are always leads). Selection is greedy
with redundancy control (maximal marginal relevance); the chosen sentences are returned in
document order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from summaries.segment import SentenceUnit
from summaries.summarise import centroid_scores, content_stems, sumy_scores

#: The sumy algorithms the ranker can draw centrality from, by weight name.
CENTRALITY_ALGORITHMS = ("lexrank", "textrank", "luhn", "reduction")


@dataclass(frozen=True)
class ScoreWeights:
    """One regime's weights; tuned on the development evaluation data only.

    Attributes:
        position: Weight of the position prior exp(-index / decay).
        position_decay: Sentences over which the position prior falls by a factor e, for a
            three-sentence summary.
        decay_growth: The decay grows as (sentences / 3) ** decay_growth for longer summaries.
        lexrank: Weight of the LexRank rating.
        textrank: Weight of the TextRank rating.
        luhn: Weight of the Luhn rating.
        reduction: Weight of the Reduction rating (summed word-overlap similarity).
        centroid: Weight of the centroid rating: how often the sentence's content words recur in
            the rest of the article, over the square root of its length.
        title: Weight of title-word coverage.
        actors: Weight of key-actor coverage.
        penalty: Multiplies the question and quote penalties.
        redundancy: MMR trade-off: how much similarity to already chosen sentences costs.
    """

    position: float
    position_decay: float
    decay_growth: float = 0.0
    lexrank: float = 0.0
    textrank: float = 0.0
    luhn: float = 0.0
    reduction: float = 0.0
    centroid: float = 0.0
    title: float = 0.0
    actors: float = 0.0
    penalty: float = 1.0
    redundancy: float = 0.25

    def centrality(self, algorithm: str) -> float:
        """The weight of one of CENTRALITY_ALGORITHMS."""
        return float(getattr(self, algorithm))


#: Short summaries of long articles (CNN/DailyMail highlights): the lead, nudged by Luhn and title.
LEAD_WEIGHTS = ScoreWeights(
    position=3.0, position_decay=6.0, luhn=0.25, title=0.6, actors=0.2, penalty=0.5
)
#: Long summaries (BBC's keep about half the sentences): the centroid rating and Reduction's
#: summed word overlap, nudged by position, title and actors. TextRank, LexRank and Luhn added
#: nothing on top of them on the development data.
COVERAGE_WEIGHTS = ScoreWeights(
    position=0.25,
    position_decay=3.0,
    decay_growth=0.5,
    reduction=1.0,
    centroid=4.0,
    title=0.3,
    actors=0.4,
    penalty=0.0,
)


@dataclass(frozen=True)
class RankerOptions:
    """Settings of the ranker.

    Attributes:
        lead: Weights when the summary keeps a small share of the article.
        coverage: Weights when the summary keeps a large share of the article.
        coverage_from: Share of sentences kept from which `coverage` starts to count.
        coverage_full: Share of sentences kept from which only `coverage` counts.
        coverage_min_sentences: Summaries shorter than this are leads whatever share of the
            article they keep (a three-sentence digest of an eight-sentence story is still a lead).
        question_penalty: Subtracted (times the regime's `penalty`) from questions.
        quote_penalty: Subtracted (times the regime's `penalty`) from quote-only sentences.
    """

    lead: ScoreWeights = field(default_factory=lambda: LEAD_WEIGHTS)
    coverage: ScoreWeights = field(default_factory=lambda: COVERAGE_WEIGHTS)
    coverage_from: float = 0.3
    coverage_full: float = 0.4
    coverage_min_sentences: int = 4
    question_penalty: float = 0.3
    quote_penalty: float = 0.2

    def blend(self, count: int, total: int) -> float:
        """How much `coverage` counts (0 to 1) for a `count`-sentence summary of `total`."""
        if count < self.coverage_min_sentences:
            return 0.0
        share = count / max(total, 1)
        span = max(self.coverage_full - self.coverage_from, 1e-9)
        return min(1.0, max(0.0, (share - self.coverage_from) / span))


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
    count: int = 3,
    options: RankerOptions | None = None,
    language: str = "en",
) -> list[SentenceScore]:
    """Score every sentence of an article.

    Args:
        units: The article's sentences.
        title: The article's title, if known.
        actor_names: Names (and aliases) of the article's key actors, most salient first.
        count: How many sentences the summary will keep (it sets the regime).
        options: The ranker's settings.
        language: The article's language (its stemmer and stop words).

    Returns:
        One score per sentence, in document order; each component is already weighted.
    """
    options = options or RankerOptions()
    weights = _blended(options, options.blend(count, len(units)))
    decay = weights.position_decay * (max(count, 3) / 3) ** weights.decay_growth
    centrality = _centrality(units, weights, language)
    title_stems = content_stems(title.split(), language) if title else frozenset()
    actors = [name.lower() for name in actor_names]
    scores = []
    for unit, central in zip(units, centrality, strict=True):
        position = weights.position * math.exp(-unit.index / decay)
        title_cover = weights.title * _coverage(content_stems(unit.words, language), title_stems)
        actor_cover = weights.actors * _actor_coverage(unit.text.lower(), actors)
        penalty = weights.penalty * _penalty(unit.text, options)
        total = position + central + title_cover + actor_cover - penalty
        scores.append(
            SentenceScore(unit.index, total, position, central, title_cover, actor_cover, penalty)
        )
    return scores


def redundancy_weight(options: RankerOptions, count: int, total: int) -> float:
    """The MMR trade-off for a `count`-sentence summary of `total` sentences."""
    return _blended(options, options.blend(count, total)).redundancy


def _blended(options: RankerOptions, share: float) -> ScoreWeights:
    """Interpolate every weight between the lead and coverage regimes."""
    lead, cover = options.lead, options.coverage
    if share <= 0.0:
        return lead
    if share >= 1.0:
        return cover
    mixed = {
        name: (1 - share) * getattr(lead, name) + share * getattr(cover, name)
        for name in lead.__dataclass_fields__
    }
    return ScoreWeights(**mixed)


def _centrality(units: Sequence[SentenceUnit], weights: ScoreWeights, language: str) -> list[float]:
    """Weighted sum of the normalised ratings; an algorithm with weight 0 is never run."""
    combined = [0.0] * len(units)
    if weights.centroid and units:
        ratings = _normalised(centroid_scores(units, language))
        combined = [weights.centroid * rating for rating in ratings]
    for algorithm in CENTRALITY_ALGORITHMS:
        weight = weights.centrality(algorithm)
        if weight and units:
            ratings = _normalised(sumy_scores(units, algorithm, language))
            combined = [
                total + weight * rating for total, rating in zip(combined, ratings, strict=True)
            ]
    return combined


def select_sentences(
    units: Sequence[SentenceUnit],
    scores: Sequence[SentenceScore],
    count: int,
    redundancy: float,
    language: str = "en",
) -> list[int]:
    """Choose `count` sentences greedily by score less redundancy with those already chosen.

    Fragments are skipped unless there is nothing else.

    Args:
        units: The article's sentences.
        scores: Their scores, from `score_sentences`.
        count: How many to choose.
        redundancy: How much the largest similarity to a chosen sentence costs a candidate.
        language: The article's language (its stemmer and stop words).

    Returns:
        The chosen sentence indices in document order.
    """
    candidates = [unit.index for unit in units if not unit.is_fragment] or [u.index for u in units]
    stems = {index: content_stems(units[index].words, language) for index in candidates}
    chosen: list[int] = []
    while candidates and len(chosen) < count:
        best = max(
            candidates,
            key=lambda i: (scores[i].total - redundancy * _overlap(stems, i, chosen), -i),
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

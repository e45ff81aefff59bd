"""The clustering window, indexed: an article finds its story in bounded time.

The index holds every recent article's weighted features, the window's document frequencies and
an inverted index from feature to articles, all kept up to date as articles come and go. To place
an incoming article it:

1. weighs the article's features by TF-IDF over the window (plus the article itself);
2. finds candidate articles through its *rarer* features only (a word in more than a few per cent
   of the window, "said" or "people", finds everything and decides nothing) and keeps the best
   `candidates` of them by the weight they share;
3. scores each candidate story as a whole: the average (or, single linkage, the best) cosine of the
   article to the story's articles, an article published too far apart counting 0;
4. returns the best story at or above the threshold.

Steps 2 and 3 touch a bounded number of articles, so the work per article does not grow with the
number of stories in the window (only the postings of rare features do, and slowly).
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.news.clustering import (
    Clusterable,
    ClusterOptions,
    WrittenDates,
    feature_weight,
    features,
    lead_days,
    too_far_apart,
    who_and_where,
    written_dates,
)

_RARE_FLOOR = 8
"""Features in at most this many articles always find candidates (small windows find all)."""
_MEMBERS = 32
"""At most this many articles of a story (its latest) are compared with."""
_UNDATED = WrittenDates()


@dataclass(frozen=True)
class _Marks:
    """What the discounts compare: key people and places, outlet, the lead's dates."""

    names: frozenset[str] = frozenset()
    outlet: str = ""
    days: frozenset[str] = frozenset()
    written: WrittenDates = _UNDATED

    @classmethod
    def of(cls, item: Clusterable, options: ClusterOptions) -> _Marks:
        return cls(
            who_and_where(item.actors, options),
            item.source,
            lead_days(item.dates),
            written_dates(item.dates, options.written_dates_chars),
        )

    def discount(self, other: _Marks, options: ClusterOptions) -> float:
        """The share of a pair's similarity kept after the discounts that apply."""
        kept = 1.0
        if self.names and other.names and not self.names & other.names:
            kept *= 1.0 - options.disjoint_actors
        if self.outlet and self.outlet == other.outlet:
            kept *= 1.0 - options.same_outlet
        if self.days and other.days and not self.days & other.days:
            kept *= 1.0 - options.disjoint_dates
        if self.written.disjoint(other.written):
            kept *= 1.0 - options.disjoint_written_dates
        return kept


@dataclass(frozen=True)
class _Entry:
    """One indexed article: its story, publication time, damped, kind-weighted counts, marks."""

    story_id: int
    published: datetime | None
    weights: dict[str, float]
    marks: _Marks


class StoryIndex:
    """The recent window's articles, ready to place a new one in its story."""

    def __init__(self, options: ClusterOptions) -> None:
        """An empty window clustered with `options`."""
        self.options = options
        self._entries: dict[int, _Entry] = {}
        self._frequency: Counter[str] = Counter()
        self._postings: dict[str, set[int]] = {}
        self._stories: dict[int, list[int]] = {}

    def __len__(self) -> int:
        """How many articles the window holds."""
        return len(self._entries)

    def sync(self, window: Iterable[Clusterable]) -> None:
        """Hold exactly these articles: add the new ones, drop those no longer given.

        Articles are keyed by store id; unsaved ones (id 0) by their place in `window`.
        """
        given: dict[int, Clusterable] = {}
        for place, item in enumerate(window):
            given[item.id or -(place + 1)] = item
        for key in [key for key in self._entries if key not in given]:
            self.remove(key)
        for key, item in given.items():
            if key not in self._entries:
                self.add(key, item)

    def add(self, key: int, item: Clusterable) -> None:
        """Index one article under `key`."""
        weights = _damped(features(item, self.options), self.options)
        marks = _Marks.of(item, self.options)
        self._entries[key] = _Entry(item.story_id, item.published, weights, marks)
        self._frequency.update(weights.keys())
        for feature in weights:
            self._postings.setdefault(feature, set()).add(key)
        self._stories.setdefault(item.story_id, []).append(key)

    def remove(self, key: int) -> None:
        """Forget one article (it left the window)."""
        entry = self._entries.pop(key)
        self._frequency.subtract(entry.weights.keys())
        for feature in entry.weights:
            postings = self._postings[feature]
            postings.discard(key)
            if not postings:
                del self._postings[feature]
                del self._frequency[feature]
        members = self._stories[entry.story_id]
        members.remove(key)
        if not members:
            del self._stories[entry.story_id]

    def best_story(self, article: Clusterable) -> tuple[int, float] | None:
        """The story `article` belongs to and its score, or None for a new story."""
        if not self._entries or not article.terms:
            return None
        # 1. the article's TF-IDF weights over the window and itself
        damped = _damped(features(article, self.options), self.options)
        idf = _Idf(self._frequency, damped.keys(), len(self._entries) + 1)
        query = _Vector.of(damped, idf, _Marks.of(article, self.options))
        if not query.norm:
            return None
        # 2. candidates through rare features; 3. their stories as a whole
        stories = {self._entries[key].story_id for key in self._candidates(query, idf)}
        scored = [(self._story_score(story, article, query, idf), story) for story in stories]
        if not scored:
            return None
        # 4. the best story, if it clears the threshold (ties: the older story)
        score, story = max(scored, key=lambda pair: (pair[0], -pair[1]))
        return (story, score) if score >= self.options.threshold else None

    def _candidates(self, query: _Vector, idf: _Idf) -> list[int]:
        rare = max(_RARE_FLOOR, self.options.common_share * idf.count)
        shared: dict[int, float] = {}
        for feature, weight in query.weights.items():
            postings = self._postings.get(feature)
            if postings is None or len(postings) > rare:
                continue
            gain = weight * idf.of(feature)
            for key in postings:
                shared[key] = shared.get(key, 0.0) + gain * self._entries[key].weights[feature]
        return heapq.nlargest(self.options.candidates, shared, key=shared.__getitem__)

    def _story_score(self, story: int, article: Clusterable, query: _Vector, idf: _Idf) -> float:
        members = self._stories[story][-_MEMBERS:]
        scores = [self._similarity(key, article, query, idf) for key in members]
        if self.options.linkage == "single":
            return max(scores)
        return sum(scores) / len(scores)

    def _similarity(self, key: int, article: Clusterable, query: _Vector, idf: _Idf) -> float:
        """Cosine to one indexed article (0 if published too far apart), less its discounts."""
        entry = self._entries[key]
        if too_far_apart(article.published, entry.published, self.options.max_published_gap):
            return 0.0
        member = _Vector.of(entry.weights, idf)
        if not member.norm:
            return 0.0
        small, large = sorted((query.weights, member.weights), key=len)
        dot = sum(weight * large.get(feature, 0.0) for feature, weight in small.items())
        return dot * query.marks.discount(entry.marks, self.options) / (query.norm * member.norm)


class _Idf:
    """Inverse document frequencies over the window plus the incoming article."""

    def __init__(self, frequency: Mapping[str, int], own: Iterable[str], count: int) -> None:
        self.frequency = frequency
        self.own = frozenset(own)
        self.count = count
        self._memo: dict[str, float] = {}

    def of(self, feature: str) -> float:
        value = self._memo.get(feature)
        if value is None:
            seen = self.frequency.get(feature, 0) + (feature in self.own)
            value = self._memo[feature] = math.log((1 + self.count) / (1 + seen)) + 1.0
        return value


@dataclass(frozen=True)
class _Vector:
    weights: dict[str, float]
    norm: float
    marks: _Marks = _Marks()

    @classmethod
    def of(cls, damped: Mapping[str, float], idf: _Idf, marks: _Marks = _Marks()) -> _Vector:
        weights = {feature: value * idf.of(feature) for feature, value in damped.items()}
        return cls(weights, math.sqrt(sum(value * value for value in weights.values())), marks)


def _damped(counts: Mapping[str, float], options: ClusterOptions) -> dict[str, float]:
    """1 + log(count), times the weight of the feature's kind (zero-weight kinds left out)."""
    damped = {
        feature: (1.0 + math.log(count)) * feature_weight(feature, options)
        for feature, count in counts.items()
        if count > 0
    }
    return {feature: value for feature, value in damped.items() if value > 0}


def best_story(
    article: Clusterable, candidates: Sequence[Clusterable], options: ClusterOptions
) -> tuple[int, float] | None:
    """The story the article belongs to among `candidates`, or None (a one-off index).

    Args:
        article: The incoming article.
        candidates: Stored recent articles (or their signatures) with their story ids.
        options: Weights and limits.

    Returns:
        (story id, similarity) of the best story at or above the threshold, else None.
    """
    index = StoryIndex(options)
    index.sync(candidates)
    return index.best_story(article)

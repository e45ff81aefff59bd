"""Story clustering: articles about the same event, from any outlet, become one story.

An article is described by one bag of features: the content words of its whole text, the content
words of its title and lead (counted again, under their own keys, because outlets agree most on
what the first lines say), and, with a weight of their own, the names of its key actors. Features
are weighted by TF-IDF over the recent window. An incoming article joins the story it is most
similar to *as a whole* (average cosine to the story's articles, so one look-alike article cannot
pull it into a story the rest of which is about something else) when that clears a threshold.
Articles published too far apart never join. URLs play no part.

Discounts lower a pair's similarity where the words alone mislead: when both name key people
or places and share none (two earthquakes on one day are told in the same words), when both
come from the same outlet (an outlet reports an event once; its next article on the subject is
usually the next event: a later hearing, next week's figures), and when both leads write out
dates and none agree (the same kind of event in another year).

The window is held by `bot.news.story_index.StoryIndex`, which finds the candidate stories
through an inverted index so that joining takes bounded time however many stories the window
holds.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from spacy.lang.en.stop_words import STOP_WORDS

from summaries import Actor, ActorKind, DateMention
from summaries.dates_rules import MONTHS

_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
#: A month as the date tagger reads it ("March", "Mar.", "Sept"): its own vocabulary.
_MONTH = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_MONTH_DAY = re.compile(
    rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:1[89]|20)\d{2}\b")
_KEPT_TERMS = 200
LEAD_WORDS = 60
"""How many words after the title count as the lead."""

LEAD_CHARS = 400
"""Dates named within this many characters of the text's start are the lead's dates."""

LEAD_PREFIX = "L:"
ACTOR_PREFIX = "E:"
_NAMED_KINDS = frozenset({ActorKind.PERSON, ActorKind.ORGANIZATION, ActorKind.PLACE})


@dataclass(frozen=True)
class ClusterOptions:
    """Weights and limits of story clustering.

    The defaults were chosen on the development sets (see docs/benchmarks.md, story clustering).

    Attributes:
        threshold: Average similarity to a story at or above which an article joins it.
        lead_weight: Weight of the title-and-lead words beside the whole text's words (0: off).
        actor_weight: Weight of key actors' names (people, organisations, places; 0: off).
        window: How far back (by ingestion) candidates are looked for.
        max_published_gap: Articles published further apart never join.
        key_actors: How many top actors of each article count as its key actors.
        linkage: "average" (similarity to the story as a whole) or "single" (to its nearest
            article).
        disjoint_actors: How much of a pair's similarity is taken away when both name people
            or places among their key actors and share none of them (two earthquakes on the
            same day are told in the same words; only the places and people differ).
        same_outlet: How much of a pair's similarity is taken away when both articles come from
            the same outlet (0: off). A discount, not a veto: an outlet's update of its own
            report is still near enough to join.
        disjoint_dates: How much is taken away when both leads name calendar days and share
            none (0: off; measured, not used: see docs/benchmarks.md).
        disjoint_written_dates: How much is taken away when both leads write dates out in full
            (a month and day, or a year) and none agree: the same kind of event in another
            year (two emergency patches, two players put on injured reserve). Relative dates
            ("Tuesday") are left out: they say when it was written, not which event.
        written_dates_chars: How far into the text written dates count (0: the whole text).
        candidates: Articles scored in full per incoming article (the best by shared rare
            features); bounds the work however big the window is.
        common_share: Features in more than this share of the window's articles are too common
            to find candidates by (they still count in the similarity).
    """

    threshold: float = 0.22
    lead_weight: float = 1.0
    actor_weight: float = 1.0
    window: timedelta = timedelta(hours=72)
    max_published_gap: timedelta = timedelta(days=3)
    key_actors: int = 8
    linkage: str = "average"
    disjoint_actors: float = 0.4
    same_outlet: float = 0.4
    disjoint_dates: float = 0.0
    disjoint_written_dates: float = 0.5
    written_dates_chars: int = LEAD_CHARS
    candidates: int = 64
    common_share: float = 0.01


class Clusterable(Protocol):
    """What clustering reads of an article: a stored Article or its `Signature`."""

    @property
    def id(self) -> int:
        """Store id (0 before storing)."""
        ...

    @property
    def published(self) -> datetime | None:
        """Publication time, if known."""
        ...

    @property
    def source(self) -> str:
        """The outlet it came from ("" if unknown)."""
        ...

    @property
    def actors(self) -> tuple[Actor, ...]:
        """Key actors, most salient first."""
        ...

    @property
    def dates(self) -> tuple[DateMention, ...]:
        """Dates named in it, with their place in the text."""
        ...

    @property
    def terms(self) -> dict[str, int]:
        """Content-word counts of the whole text."""
        ...

    @property
    def lead_terms(self) -> dict[str, int]:
        """Content-word counts of the title and lead."""
        ...

    @property
    def story_id(self) -> int:
        """The story it belongs to."""
        ...


def terms_of(text: str, limit: int = _KEPT_TERMS) -> dict[str, int]:
    """Content-word counts of a text: lower-cased, stop words and one-letter tokens out.

    Plural "s" is folded ("troops" = "troop"); only the `limit` most frequent terms are kept.
    """
    counts = Counter(_fold(word) for word in _WORD.findall(text.lower()))
    for word in [word for word in counts if word in STOP_WORDS or len(word) < 2]:
        del counts[word]
    return dict(counts.most_common(limit))


def lead_of(title: str | None, text: str, words: int = LEAD_WORDS) -> str:
    """The title and the first `words` words of the text."""
    return f"{title or ''}\n{' '.join(text.split(maxsplit=words)[:words])}"


def features(item: Clusterable, options: ClusterOptions) -> dict[str, float]:
    """One article's weighted feature counts: whole-text words, lead words, key actors.

    Counts are damped (1 + log) later; the lead and actor weights scale the damped count.
    """
    found: dict[str, float] = {term: float(count) for term, count in item.terms.items()}
    if options.lead_weight:
        for term, count in item.lead_terms.items():
            found[LEAD_PREFIX + term] = float(count)
    if options.actor_weight:
        for name, mentions in key_names(item.actors[: options.key_actors]).items():
            found[ACTOR_PREFIX + name] = float(mentions)
    return found


def feature_weight(feature: str, options: ClusterOptions) -> float:
    """The weight a feature's kind carries (lead words and actors have their own)."""
    if feature.startswith(LEAD_PREFIX):
        return options.lead_weight
    if feature.startswith(ACTOR_PREFIX):
        return options.actor_weight
    return 1.0


def key_names(actors: Sequence[Actor]) -> Counter[str]:
    """Every name and alias of the named actors (people, organisations, places), with mentions."""
    names: Counter[str] = Counter()
    for actor in actors:
        if actor.kind in _NAMED_KINDS:
            for name in {actor.name.casefold(), *(alias.casefold() for alias in actor.aliases)}:
                names[name] += max(actor.mentions, 1)
    return names


def who_and_where(actors: Sequence[Actor], options: ClusterOptions) -> frozenset[str]:
    """Names and aliases of the key actors that are people or places (casefolded)."""
    return frozenset(
        name
        for actor in actors[: options.key_actors]
        if actor.kind in (ActorKind.PERSON, ActorKind.PLACE)
        for name in (actor.name.casefold(), *(alias.casefold() for alias in actor.aliases))
    )


def lead_days(dates: Sequence[DateMention], chars: int = LEAD_CHARS) -> frozenset[str]:
    """The calendar days (ISO "YYYY-MM-DD") named near the start of the text: the event's day."""
    return frozenset(
        mention.value
        for mention in dates
        if mention.start < chars and mention.value is not None and _DAY.fullmatch(mention.value)
    )


@dataclass(frozen=True)
class WrittenDates:
    """The dates a text writes out in full: calendar days by month and day, and years.

    Only what the words themselves fix counts ("March 3", "3 March 2009", "in 2008"), never
    what is resolved against the publication day ("Tuesday", "yesterday", "last week").

    Attributes:
        years: Four-digit years written ("2008").
        month_days: Days written with their month ("03-03" for "March 3"), year or not.
    """

    years: frozenset[str] = frozenset()
    month_days: frozenset[str] = frozenset()

    def disjoint(self, other: WrittenDates) -> bool:
        """Whether both write dates and none agree: years when both write years, else days."""
        if self.years and other.years:
            return not self.years & other.years
        if self.month_days and other.month_days:
            return not self.month_days & other.month_days
        return False


def written_dates(dates: Sequence[DateMention], chars: int = LEAD_CHARS) -> WrittenDates:
    """The dates written out in full within `chars` characters of the start (0: anywhere)."""
    years: set[str] = set()
    month_days: set[str] = set()
    for mention in dates:
        if mention.value is None or (chars and mention.start >= chars):
            continue
        if _YEAR.search(mention.text) and _YEAR.fullmatch(mention.value[:4]):
            years.add(mention.value[:4])
        if _MONTH_DAY.search(mention.text) and _DAY.fullmatch(mention.value):
            month_days.add(mention.value[5:])
    return WrittenDates(frozenset(years), frozenset(month_days))


def too_far_apart(left: datetime | None, right: datetime | None, gap: timedelta) -> bool:
    """Whether two publication times lie further apart than `gap` (unknown ones never do)."""
    if left is None or right is None:
        return False
    return abs(left - right) > gap


def _fold(word: str) -> str:
    word = word.replace("’", "'").removesuffix("'s")
    if len(word) > 4 and word.endswith(("ches", "shes", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word

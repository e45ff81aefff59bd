"""Step 3, summarise: rank sentences with sumy's algorithms or the project's own ranker.

sumy never tokenises here: it receives spaCy's sentences and words through a prebuilt
`ObjectDocumentModel`, so its NLTK tokenizer (and the `punkt` data it downloads) is never needed.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from typing import Any, Final

import spacy.util
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.kl import KLSummarizer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.random import RandomSummarizer
from sumy.summarizers.reduction import ReductionSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from summaries.segment import SentenceUnit

#: Every plain sumy algorithm that needs nothing but the text. (Edmundson needs hand-made
#: bonus, stigma and null word lists, so it is not a plain algorithm.)
SUMY_ALGORITHMS: Final[dict[str, Callable[..., Any]]] = {
    "lexrank": LexRankSummarizer,
    "textrank": TextRankSummarizer,
    "lsa": LsaSummarizer,
    "luhn": LuhnSummarizer,
    "kl": KLSummarizer,
    "sumbasic": SumBasicSummarizer,
    "reduction": ReductionSummarizer,
    "random": RandomSummarizer,
}
LEAD: Final = "lead"
_SPACY_STOP_WORDS: Final = ("nl", "pt")
DEFAULT_ALGORITHM: Final = "newsdigest"
ALGORITHMS: Final = (DEFAULT_ALGORITHM, LEAD, *SUMY_ALGORITHMS)
#: sumy's name of each supported language, by ISO 639-1 code.
SUMY_LANGUAGES: Final = {
    "en": "english",
    "fr": "french",
    "de": "german",
    "es": "spanish",
    "it": "italian",
    "pt": "portuguese",
    "nl": "dutch",
}


class UnknownAlgorithmError(ValueError):
    """An algorithm name that is not one of ALGORITHMS.

    Attributes:
        name: The name that was asked for.
    """

    def __init__(self, name: str) -> None:
        super().__init__(f"unknown algorithm {name!r}; choose one of: {', '.join(ALGORITHMS)}")
        self.name = name


class _WordLookup:
    """A sumy tokenizer that answers with the words spaCy already found."""

    def __init__(self, units: Sequence[SentenceUnit]) -> None:
        self._words = {unit.text: unit.words for unit in units}

    def to_words(self, text: str) -> tuple[str, ...]:
        return self._words.get(text, tuple(text.split()))

    def to_sentences(self, text: str) -> tuple[str, ...]:
        return (text,)


@cache
def _stemmer(language: str) -> Stemmer:
    # NLTK's Snowball stemmers are code only: no NLTK data is read or downloaded.
    return Stemmer(SUMY_LANGUAGES[language])


@lru_cache(maxsize=200_000)
def stem(word: str, language: str = "en") -> str:
    """The Snowball stem of a word, remembered: news reuses its vocabulary from article to article.

    Args:
        word: A word, already in lower case.
        language: The article's language, a key of SUMY_LANGUAGES.

    Returns:
        Its stem, as sumy's stemmer for the language gives it.
    """
    return str(_stemmer(language)(word))


@cache
def stop_words(language: str = "en") -> frozenset[str]:
    """A language's stop words: sumy's list, or spaCy's where sumy's is missing or broken.

    sumy ships no Dutch list, and its Portuguese one spells accented words as escape sequences
    (a backslash, "xe3" for "ã"), so they never match.
    """
    if language in _SPACY_STOP_WORDS:
        return frozenset(spacy.util.get_lang_class(language).Defaults.stop_words)
    return frozenset(get_stop_words(SUMY_LANGUAGES[language]))


def sumy_scores(units: Sequence[SentenceUnit], algorithm: str, language: str = "en") -> list[float]:
    """Rate every sentence with one sumy algorithm.

    Args:
        units: The article's sentences.
        algorithm: A key of SUMY_ALGORITHMS.
        language: The article's language, a key of SUMY_LANGUAGES.

    Returns:
        One rating per sentence, in document order; higher is better.
    """
    if algorithm not in SUMY_ALGORITHMS:
        raise UnknownAlgorithmError(algorithm)
    lookup = _WordLookup(units)
    sentences = [Sentence(unit.text, lookup) for unit in units]
    document = ObjectDocumentModel([Paragraph(sentences)])
    summarizer = SUMY_ALGORITHMS[algorithm](functools.partial(stem, language=language))
    summarizer.stop_words = stop_words(language)
    ratings = [0.0] * len(units)

    def capture(infos: list[Any]) -> list[Any]:
        # sumy hands the rated sentences to the count callable; keep every rating.
        for info in infos:
            ratings[info.order] = float(info.rating)
        return infos

    if units:
        summarizer(document, capture)
    return ratings


def top_in_order(scores: Sequence[float], count: int, eligible: Sequence[bool]) -> list[int]:
    """Indices of the `count` best eligible scores, returned in document order (ties: earlier)."""
    ranked = sorted(
        (index for index, ok in enumerate(eligible) if ok),
        key=lambda index: (-scores[index], index),
    )
    return sorted(ranked[:count])


def content_stems(words: Sequence[str], language: str = "en") -> frozenset[str]:
    """Stemmed, lower-cased words that are not stop words or numbers."""
    return frozenset(content_words(words, language))


def content_words(words: Sequence[str], language: str = "en") -> list[str]:
    """Stems of a sentence's content words, repeats kept (see `content_stems`)."""
    stops = stop_words(language)
    lowered = (word.lower() for word in words if word.isalpha())
    return [stem(word, language) for word in lowered if word not in stops]


def centroid_scores(units: Sequence[SentenceUnit], language: str = "en") -> list[float]:
    """Rate sentences by how much of the rest of the article their words recur in.

    A sentence's rating is the number of times its content words occur in the other sentences,
    over the square root of its content-word count: close to the article's centroid, without
    favouring long sentences as much as a plain sum does.

    Args:
        units: The article's sentences.
        language: The article's language, a key of SUMY_LANGUAGES.

    Returns:
        One rating per sentence, in document order; higher is better.
    """
    bags = [Counter(content_words(unit.words, language)) for unit in units]
    total: Counter[str] = Counter()
    for bag in bags:
        total.update(bag)
    ratings = []
    for bag in bags:
        size = sum(bag.values())
        recurring = sum(count * (total[word] - count) for word, count in bag.items())
        ratings.append(recurring / math.sqrt(size) if size else 0.0)
    return ratings

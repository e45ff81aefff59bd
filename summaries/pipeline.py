"""The digest pipeline: one article in, one ArticleDigest out, in numbered steps.

Every step reuses the single spaCy pass of step 4. Input that cannot be digested leaves through one
exit, `InputError`, whose message says why in one line.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from summaries.actors import Referents, find_referents, rank_actors
from summaries.clean import CleanText, clean_text
from summaries.dates import find_dates
from summaries.errors import InputError, internal_stage
from summaries.explain import SentenceExplanation, explain_scores
from summaries.extract import extract_article
from summaries.inputs import check_text, truncate
from summaries.language import identify, require_supported
from summaries.model import Actor, ArticleDigest, DateMention
from summaries.nlp import Pipelines, load_pipeline
from summaries.ranker import (
    RankerOptions,
    SentenceScore,
    redundancy_weight,
    score_sentences,
    select_sentences,
)
from summaries.segment import SentenceUnit, segment
from summaries.summarise import (
    ALGORITHMS,
    DEFAULT_ALGORITHM,
    LEAD,
    UnknownAlgorithmError,
    sumy_scores,
    top_in_order,
)

log = logging.getLogger(__name__)

FLAG_TOO_SHORT = "too short to summarise"
FLAG_SINGLE_SENTENCE = "single sentence"
FLAG_TRUNCATED = "truncated to the first {limit:,} characters"
FLAG_NO_DATE = "no publication date: relative dates left unresolved"


@dataclass(frozen=True)
class AnalyzeOptions:
    """Settings of the pipeline.

    Attributes:
        sentences: Summary length in sentences.
        algorithm: One of ALGORITHMS.
        max_actors: Actors kept in a digest.
        max_chars: Longer input is cut to this many characters (flagged); a long-read feature
            is about 60,000.
        max_sentences: Only the first this many sentences compete for the summary: graph
            rankers are quadratic in the sentence count, and news puts what matters first.
        ranker: Weights of the project's own ranker.
    """

    sentences: int = 3
    algorithm: str = DEFAULT_ALGORITHM
    max_actors: int = 8
    max_chars: int = 100_000
    max_sentences: int = 250
    ranker: RankerOptions = field(default_factory=RankerOptions)


@dataclass(frozen=True)
class PreparedArticle:
    """An article after cleaning, the spaCy pass and segmentation (steps 1-5).

    Attributes:
        source: The text that offsets index (the input, or the text extracted from HTML).
        clean: The cleaned text and its map back to `source`.
        doc: The one spaCy pass over the cleaned text.
        units: The sentences.
        referents: The actors' mentions, ready to rank.
        title: The given, extracted or detected title.
        flags: Warnings raised so far.
        language: The article's ISO 639-1 code.
    """

    source: str
    clean: CleanText
    doc: Doc
    units: list[SentenceUnit]
    referents: Referents
    title: str | None
    flags: tuple[str, ...]
    language: str = "en"


class Analyzer:
    """Turns articles into digests; build once, use many times.

    It holds the English spaCy pipeline from the start and loads another language's pipeline
    when the first article in that language arrives (`pipelines`).
    """

    def __init__(self, nlp: Language, options: AnalyzeOptions | None = None) -> None:
        """Wrap a loaded English pipeline (see `summaries.nlp.load_pipeline`) with options."""
        self.nlp = nlp
        self.options = options or AnalyzeOptions()
        self.pipelines = Pipelines({"en": nlp})

    @classmethod
    def load(cls, model: str | None = None, options: AnalyzeOptions | None = None) -> Analyzer:
        """Load the spaCy model (once) and build an Analyzer around it."""
        return cls(load_pipeline(model), options)

    def analyze(
        self,
        *,
        text: str | None = None,
        html: str | None = None,
        title: str | None = None,
        url: str | None = None,
        published: date | None = None,
        sentences: int | None = None,
        algorithm: str | None = None,
        language: str | None = None,
    ) -> ArticleDigest:
        """Digest one article given as plain text or as HTML (exactly one of the two).

        Args:
            text: The article's plain text.
            html: The article's web page; trafilatura extracts text, title and date from it.
            title: The headline, when known (otherwise taken from the page or a leading line).
            url: Where the article came from.
            published: Publication date; relative dates ("Thursday") resolve against it.
            sentences: Summary length; defaults to the options' value.
            algorithm: Ranker name (see ALGORITHMS); defaults to the options' value.
            language: The language the feed or page declares ("fr", "fr-FR"), taken when the
                text is too short to tell its own; then `NEWSDIGEST_DEFAULT_LANGUAGE`.

        Returns:
            The digest. Flags say what was odd about the input.

        Raises:
            InputError: When the input cannot be digested (empty, binary, no article, or
                `UnsupportedLanguageError` for a language not supported yet).
            AnalysisError: When a step failed on a bug of its own (never the input's fault).
        """
        request = (text, html, title, url, published, sentences, algorithm, language)
        return self._analyze(*request)[1]

    def explain(
        self,
        *,
        text: str | None = None,
        html: str | None = None,
        title: str | None = None,
        url: str | None = None,
        published: date | None = None,
        sentences: int | None = None,
        algorithm: str | None = None,
        language: str | None = None,
    ) -> tuple[ArticleDigest, tuple[SentenceExplanation, ...]]:
        """Digest one article as `analyze` does, and say how the project's ranker scored it.

        The explanation always shows the `newsdigest` ranker's components; with another
        `algorithm`, `chosen` marks what that algorithm kept.

        Returns:
            The digest and one explanation per competing sentence, in document order.

        Raises:
            InputError: As `analyze`.
        """
        article, digest, count, chosen = self._analyze(
            text, html, title, url, published, sentences, algorithm, language
        )
        units = article.units[: self.options.max_sentences]
        with internal_stage("explaining the scores"):
            return digest, explain_scores(units, self.scores(article, count), chosen)

    def _analyze(
        self,
        text: str | None,
        html: str | None,
        title: str | None,
        url: str | None,
        published: date | None,
        sentences: int | None,
        algorithm: str | None,
        language: str | None,
    ) -> tuple[PreparedArticle, ArticleDigest, int, list[int]]:
        count = self.options.sentences if sentences is None else sentences
        chosen = algorithm or self.options.algorithm
        if count < 1:
            raise InputError(f"sentences must be at least 1, not {count}")
        if chosen not in ALGORITHMS:
            raise InputError(str(UnknownAlgorithmError(chosen)))
        # 1. source: plain text as given, or the article extracted from the page
        with internal_stage("reading the page"):
            source, title, published = self._source(text, html, title, url, published)
        article = self.prepare(source, title=title, language=language)
        # 6. summary
        with internal_stage("choosing the summary sentences"):
            kept = self.choose(article, count, chosen)
        digest = self._digest(article, url, published, kept, count, from_html=html is not None)
        return article, digest, count, kept

    def prepare(
        self, source: str, *, title: str | None = None, language: str | None = None
    ) -> PreparedArticle:
        """Steps 2-5: check, tell the language, clean, parse once with spaCy, split into sentences.

        `language` is the declared one, taken only when the text is too short to tell.
        """
        # 2. check: refuse empty, binary or unsupported input; cut what is too long
        with internal_stage("checking the input"):
            check_text(source)
            identified = identify(source, language)
            require_supported(identified.language)
            flags = list(identified.flags)
            kept, cut = truncate(source, self.options.max_chars)
        lang = identified.language
        if cut:
            flags.append(FLAG_TRUNCATED.format(limit=len(kept)))
        # 3. clean: boilerplate out, a leading headline becomes the title
        with internal_stage("removing page furniture"):
            clean = clean_text(kept, find_title=title is None, given_title=title, language=lang)
        if not clean.text.strip():
            raise InputError("no article text left after removing page furniture")
        # 4. one spaCy pass; 5. sentences and the actors' mentions
        with internal_stage(f"loading the {lang} pipeline"):
            nlp = self.pipelines.get(lang)
        with internal_stage("splitting sentences"):
            doc = nlp(clean.text)
            units = segment(doc, clean.headline_end)
        with internal_stage("finding actors"):
            referents = find_referents(doc, language=lang, headline_end=clean.headline_end)
        return PreparedArticle(
            source, clean, doc, units, referents, title or clean.title, tuple(flags), lang
        )

    def choose(self, article: PreparedArticle, count: int, algorithm: str) -> list[int]:
        """Step 6: the indices of the summary sentences, in document order."""
        units = article.units[: self.options.max_sentences]
        eligible = [not unit.is_fragment for unit in units]
        if not any(eligible):
            eligible = [True] * len(units)
        if algorithm == LEAD:
            return [index for index, ok in enumerate(eligible) if ok][:count]
        if algorithm == DEFAULT_ALGORITHM:
            return self._rank(article, units, count)
        return top_in_order(sumy_scores(units, algorithm, article.language), count, eligible)

    def scores(self, article: PreparedArticle, count: int) -> list[SentenceScore]:
        """Every competing sentence's score by the project's ranker, for `count` sentences."""
        units = article.units[: self.options.max_sentences]
        actors = rank_actors(article.referents, title=article.title, limit=5)
        names = [name for actor in actors for name in (actor.name, *actor.aliases)]
        return score_sentences(
            units,
            title=article.title,
            actor_names=names,
            count=count,
            options=self.options.ranker,
            language=article.language,
        )

    def _rank(self, article: PreparedArticle, units: list[SentenceUnit], count: int) -> list[int]:
        redundancy = redundancy_weight(self.options.ranker, count, len(units))
        scores = self.scores(article, count)
        return select_sentences(units, scores, count, redundancy, article.language)

    def _source(
        self,
        text: str | None,
        html: str | None,
        title: str | None,
        url: str | None,
        published: date | None,
    ) -> tuple[str, str | None, date | None]:
        if (text is None) == (html is None):
            raise InputError("give exactly one of text or html")
        if html is None:
            return text or "", title, published
        check_text(html)
        page = extract_article(html, url)
        return page.text, title or page.title, published or page.published

    def _digest(
        self,
        article: PreparedArticle,
        url: str | None,
        published: date | None,
        chosen: list[int],
        count: int,
        *,
        from_html: bool,
    ) -> ArticleDigest:
        # 7. actors (with summary presence); 8. dates; 9. the digest
        spans = [(article.units[i].start, article.units[i].end) for i in chosen]
        summary = tuple(_verbatim(article, start, end) for start, end in spans)
        with internal_stage("ranking actors"):
            actors = rank_actors(
                article.referents,
                title=article.title,
                summary_spans=spans,
                limit=self.options.max_actors,
            )
        with internal_stage("reading dates"):
            dates = tuple(
                _to_source(article, mention)
                for mention in find_dates(article.doc, published, language=article.language)
            )
        flags = [*article.flags, *_summary_flags(article, count), *_date_flags(dates, published)]
        return ArticleDigest(
            title=article.title,
            url=url,
            published=published,
            summary=summary,
            actors=tuple(actors),
            dates=dates,
            compression=_compression(summary, article.clean.text),
            flags=tuple(flags),
            text=article.source if from_html else None,
            language=article.language,
        )


def analyze(
    *,
    text: str | None = None,
    html: str | None = None,
    title: str | None = None,
    url: str | None = None,
    published: date | None = None,
    sentences: int = 3,
    algorithm: str = DEFAULT_ALGORITHM,
    analyzer: Analyzer | None = None,
) -> ArticleDigest:
    """Digest one article; see `Analyzer.analyze`.

    This convenience loads the spaCy model on every call unless an `analyzer` is given: build one
    `Analyzer` and reuse it when digesting more than one article.
    """
    engine = analyzer or Analyzer.load()
    return engine.analyze(
        text=text,
        html=html,
        title=title,
        url=url,
        published=published,
        sentences=sentences,
        algorithm=algorithm,
    )


def _verbatim(article: PreparedArticle, start: int, end: int) -> str:
    """The source text behind a cleaned span: verbatim words, whitespace folded to one space."""
    source_start, source_end = article.clean.source_span(start, end)
    return " ".join(article.source[source_start:source_end].split())


def _to_source(article: PreparedArticle, mention: DateMention) -> DateMention:
    """Re-anchor a date found in the cleaned text on the source text the user gave."""
    start, end = article.clean.source_span(mention.start, mention.end)
    return replace(mention, text=article.source[start:end], start=start, end=end)


def _summary_flags(article: PreparedArticle, count: int) -> list[str]:
    full = [unit for unit in article.units if not unit.is_fragment]
    if len(article.units) <= 1:
        return [FLAG_SINGLE_SENTENCE, FLAG_TOO_SHORT]
    return [FLAG_TOO_SHORT] if len(full) <= count else []


def _date_flags(dates: tuple[DateMention, ...], published: date | None) -> list[str]:
    unresolved = published is None and any(mention.value is None for mention in dates)
    return [FLAG_NO_DATE] if unresolved else []


def _compression(summary: tuple[str, ...], text: str) -> float:
    length = len(" ".join(text.split()))
    return round(sum(len(s) for s in summary) / length, 4) if length else 0.0


__all__ = ["Actor", "AnalyzeOptions", "Analyzer", "PreparedArticle", "analyze"]

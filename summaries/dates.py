"""Temporal DATE expressions of English news, normalised to ISO 8601 against the publication date.

A rule-based tagger in the HeidelTime manner: `summaries.dates_rules` finds the spans with regular
expressions over the text; this module keeps the plausible ones and has `summaries.dates_resolvers`
resolve each to a calendar value at its own granularity ("2024", "2024-01", "2024-01-04",
"2024-W01", "2024-Q1", "2024-SU", "199" for the 1990s) or to a TimeML reference ("PRESENT_REF",
"PAST_REF", "FUTURE_REF"). Relative expressions ("Thursday", "last week", "four years ago") are
resolved against the document creation time (DCT) and the tense of the sentence; without a DCT
they are returned with value None, never guessed.
"""

from __future__ import annotations

import logging
from datetime import date

from spacy.tokens import Doc

from summaries import dates_lang
from summaries.dates_context import TokenView, plausible, tense
from summaries.dates_resolvers import DateMemory, resolve
from summaries.dates_rules import Candidate, scan
from summaries.doctext import text_of
from summaries.model import DateMention

log = logging.getLogger(__name__)

_ANAPHORIC = {"ago", "agoquarter", "yearquarter", "theyear"}


def find_dates(doc: Doc, published: date | None, *, language: str = "en") -> list[DateMention]:
    """Temporal DATE expressions in doc.text, in text order, resolved against `published`.

    Args:
        doc: The article, parsed once by `summaries.nlp.load_pipeline()` (tagger and senter used
            for English; other languages need only sentence bounds).
        published: The document creation time; None leaves relative expressions unresolved.
        language: ISO 639-1 code of the article: "en" or one of `summaries.dates_lang.LANGUAGES`;
            any other language has no rules and gets no dates.

    Returns:
        One DateMention per expression, with character offsets into doc.text and an ISO 8601
        value at the expression's granularity, a TimeML reference, or None when unresolvable.
    """
    memory = DateMemory()
    mentions: list[DateMention] = []
    text = text_of(doc)
    english = language == "en"
    if not english and language not in dates_lang.LANGUAGES:
        log.debug("no date rules for language %s", language)
        return mentions
    candidates = scan(text) if english else dates_lang.scan(text, language)
    if not candidates:
        return mentions
    view = TokenView.of(doc, text)
    for candidate in candidates:
        if not plausible(view, candidate):
            continue
        when = (
            tense(view, candidate.start)
            if english
            else dates_lang.tense(view, candidate.start, language)
        )
        value = resolve(candidate, published, when, memory)
        _remember(memory, candidate, value)
        expression = text[candidate.start : candidate.end]
        mentions.append(DateMention(expression, value, candidate.start, candidate.end))
    log.debug("found %d date expressions", len(mentions))
    return mentions


def _remember(memory: DateMemory, candidate: Candidate, value: str | None) -> None:
    if value is None or not value[:4].isdigit() or candidate.kind in _ANAPHORIC:
        return
    memory.year = int(value[:4])
    if value[4:6] == "-Q":
        memory.quarter, memory.quarter_at = (int(value[:4]), int(value[6])), candidate.end

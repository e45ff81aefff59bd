"""Step 2, segment: spaCy's sentences, with the words sumy will count."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

#: Fewer content words than this and a sentence is a fragment (a byline, "Photo: AP"), never
#: worth a place in a three-sentence summary.
MIN_SUMMARY_WORDS = 5


@dataclass(frozen=True)
class SentenceUnit:
    """One sentence of the cleaned text.

    Attributes:
        index: Position among the article's sentences, from 0.
        text: The sentence as it stands in the cleaned text.
        start: Offset of its first character in the cleaned text.
        end: Offset just past its last character in the cleaned text.
        words: Its word tokens (no punctuation or whitespace), as sumy will count them.
    """

    index: int
    text: str
    start: int
    end: int
    words: tuple[str, ...]

    @property
    def is_fragment(self) -> bool:
        """Too short to stand in a summary on its own."""
        return len(self.words) < MIN_SUMMARY_WORDS


def segment(doc: Doc, body_start: int = 0) -> list[SentenceUnit]:
    """Split a parsed article into sentences, skipping whitespace-only spans.

    Args:
        doc: The article, processed once by the pipeline from `summaries.nlp`.
        body_start: Where the body starts: sentences before it (the headline repeated) are no
            sentences of the article's own.

    Returns:
        The sentences in document order, each with its offsets and words.
    """
    units: list[SentenceUnit] = []
    for span in doc.sents:
        words = _words(span)
        text = span.text.strip()
        start = span.start_char + (len(span.text) - len(span.text.lstrip()))
        if text and words and start >= body_start:
            units.append(SentenceUnit(len(units), text, start, start + len(text), words))
    return units


def _words(span: Span) -> tuple[str, ...]:
    return tuple(token.text for token in span if not (token.is_punct or token.is_space))

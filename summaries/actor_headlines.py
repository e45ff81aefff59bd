"""Names in a repeated headline: cut where the headline's title case runs past the name.

Pages and feed bodies often open with their headline again, in title case: "Pierre Thomas
Placed on Injured Reserve by New Orleans Saints." spaCy reads capitalised verbs and nouns there
as part of a name ("Pierre Thomas Placed", "Colts Beat Chiefs", "Gunman Kills L.A"). The body
tells them apart: a word it writes in lower case ("placed", "beat", "gunman") is an ordinary
word, so a name in the headline ends before the first such word. The headline still counts for
what it names in full ("Sarah Palin" where the body only says "Palin").
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from summaries.summarise import stem


def ordinary_words(doc: Doc, body_start: int) -> frozenset[str]:
    """Stems of the words the body (from `body_start` on) writes in lower case.

    Args:
        doc: The article.
        body_start: Where the body starts, after the repeated headline.

    Returns:
        The stems, lower-cased.
    """
    return frozenset(
        stem(token.text)
        for token in doc
        if token.idx >= body_start and token.is_alpha and token.text.islower()
    )


def name_part(span: Span, ordinary: frozenset[str]) -> Span | None:
    """The span cut before its first ordinary word; None when it starts with one.

    Args:
        span: A tagged name inside the repeated headline.
        ordinary: The body's ordinary words (`ordinary_words`).

    Returns:
        The leading run of the span that the body never writes as ordinary words.
    """
    for token in span:
        if token.is_alpha and stem(token.lower_) in ordinary:
            cut = token.i > span.start
            return Span(span.doc, span.start, token.i, label=span.label) if cut else None
    return span

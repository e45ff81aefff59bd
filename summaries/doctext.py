"""A Doc's text, built once: spaCy rebuilds `Doc.text` from every token on each access.

The actor and date steps each read the whole text of the same Doc; on a 600-word article each
rebuild creates a Python object per token, a few per cent of `analyze` all told.
"""

from __future__ import annotations

from spacy.tokens import Doc

_KEY = "newsdigest.text"


def text_of(doc: Doc) -> str:
    """`doc.text`, cached in the Doc's `user_data` after the first call.

    Args:
        doc: A processed document (never changed after processing, as everywhere here).

    Returns:
        The document's text.
    """
    cached = doc.user_data.get(_KEY)
    if isinstance(cached, str):
        return cached
    text: str = doc.text
    doc.user_data[_KEY] = text
    return text

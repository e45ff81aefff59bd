"""Checks on raw input before any NLP: emptiness, binary data, size.

The article's language is told by `summaries.language`; `looks_english`, the stop-word test that
refused every other language before, stays for benchmarks/language_check.py.
"""

from __future__ import annotations

import functools
import re

from sumy.utils import get_stop_words

from summaries.errors import InputError
from summaries.summarise import stop_words

#: English prose is roughly 40% stop words; other languages share few of them with English.
_MIN_STOP_WORD_SHARE = 0.12
#: Languages whose stop words sumy ships, besides English: a text is refused only when one of
#: them explains it better than English does.
_OTHER_LANGUAGES = ("french", "german", "spanish", "italian", "portuguese", "swedish", "polish")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_bytes(data: bytes) -> str:
    """Decode input bytes as UTF-8 (a BOM is allowed), refusing binary data in plain words.

    Raises:
        InputError: When the bytes are binary or not UTF-8 text.
    """
    if b"\x00" in data[:8192]:
        raise InputError("input is binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"input is not UTF-8 text (undecodable byte at offset {error.start})"
        ) from error


def check_text(text: str) -> None:
    """Refuse text that cannot be an article in any language.

    Raises:
        InputError: For empty, whitespace-only or binary-looking text.
    """
    if not text.strip():
        raise InputError("input is empty: give the article's text or HTML")
    sample = text[:20_000]
    if len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise InputError("input looks like binary data, not text")


def looks_english(words: list[str]) -> bool:
    """Whether lower-cased words read as English: enough English stop words, and no better language.

    Both tests are needed: English prose is rich in English stop words, and a French text that
    shares "a", "on" and "me" with English is still richer in French ones.
    """
    english = _share(words, stop_words())
    if english < _MIN_STOP_WORD_SHARE:
        return False
    return english >= max(_share(words, _stop_words(name)) for name in _OTHER_LANGUAGES)


def _share(words: list[str], common: frozenset[str]) -> float:
    return sum(word in common for word in words) / len(words)


@functools.cache
def _stop_words(language: str) -> frozenset[str]:
    return frozenset(get_stop_words(language))


def truncate(text: str, max_chars: int) -> tuple[str, bool]:
    """Cut text to at most `max_chars`, at a paragraph or line break when there is one near.

    Returns:
        The text to keep and whether anything was cut.
    """
    if len(text) <= max_chars:
        return text, False
    cut = text.rfind("\n", max_chars // 2, max_chars)
    return text[: cut if cut > 0 else max_chars], True

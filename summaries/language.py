"""Which language an article is written in, and whether the pipeline supports it.

The identifier is py3langid (a maintained fork of langid.py): its model ships inside the package,
so nothing is downloaded at run time; it is deterministic and reads a page in about 2 ms. Measured
against langdetect and a stop-word vote in docs/benchmarks.md ("Language identification").
It is restricted to widely written languages: among all of its 97, a short Spanish or Portuguese
text too often reads as Aragonese or Galician.

Short texts tell their language badly (about one in thirty 12-word texts is misread): below
`MIN_WORDS_TO_IDENTIFY` words the language the feed declares is taken, else the configured default.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from typing import Any, Final

from summaries.errors import InputError

#: Languages the digest pipeline handles, by ISO 639-1 code.
SUPPORTED: Final = ("en", "fr", "de", "es", "it", "pt", "nl")
#: The environment variable naming the language taken when neither text nor feed tells it.
DEFAULT_LANGUAGE_ENV: Final = "NEWSDIGEST_DEFAULT_LANGUAGE"
#: Below this many words the identifier is not trusted (see the module docstring).
MIN_WORDS_TO_IDENTIFY: Final = 30
FLAG_DECLARED = "too short to identify its language ({words} words): taken as {name}"

#: The languages the identifier chooses among, with the English names refusals use.
NAMES: Final[dict[str, str]] = {
    "en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "ru": "Russian", "uk": "Ukrainian", "be": "Belarusian",
    "pl": "Polish", "cs": "Czech", "sk": "Slovak", "sl": "Slovenian", "hr": "Croatian",
    "sr": "Serbian", "bg": "Bulgarian", "mk": "Macedonian", "ro": "Romanian", "hu": "Hungarian",
    "el": "Greek", "tr": "Turkish", "sv": "Swedish", "da": "Danish", "no": "Norwegian",
    "fi": "Finnish", "et": "Estonian", "lv": "Latvian", "lt": "Lithuanian", "is": "Icelandic",
    "ga": "Irish", "cy": "Welsh", "ca": "Catalan", "eu": "Basque", "gl": "Galician",
    "sq": "Albanian", "ar": "Arabic", "he": "Hebrew", "fa": "Persian", "ur": "Urdu",
    "hi": "Hindi", "bn": "Bengali", "ta": "Tamil", "zh": "Chinese", "ja": "Japanese",
    "ko": "Korean", "vi": "Vietnamese", "th": "Thai", "id": "Indonesian", "ms": "Malay",
    "tl": "Tagalog", "sw": "Swahili", "af": "Afrikaans",
}  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+")
#: Scripts written without spaces between words: their "words" are whole phrases.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")


class UnsupportedLanguageError(InputError):
    """An article in a language the pipeline cannot digest yet.

    Attributes:
        language: Its ISO 639-1 code ("ru").
        name: Its English name ("Russian").
    """

    def __init__(self, language: str) -> None:
        self.language = language
        self.name = language_name(language)
        super().__init__(f"{self.name} is not supported yet (supported: {supported_names()})")


@dataclass(frozen=True)
class Identified:
    """An article's language and how it was decided.

    Attributes:
        language: ISO 639-1 code.
        flags: Warnings for the digest (the text was too short to tell, for one).
    """

    language: str
    flags: tuple[str, ...] = ()


def language_name(code: str) -> str:
    """The English name of a language code ("ru" -> "Russian"); the code itself when unknown."""
    return NAMES.get(code, code)


def supported_names() -> str:
    """The supported languages' names, for messages: "English, French, ..."."""
    return ", ".join(language_name(code) for code in SUPPORTED)


def normalise(code: str | None) -> str | None:
    """An ISO 639-1 code from a declared language tag ("fr-FR", "pt_BR", "EN"); None if empty."""
    if not code or not code.strip():
        return None
    return re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0] or None


def default_language() -> str:
    """The configured default language (`NEWSDIGEST_DEFAULT_LANGUAGE`), English when unset."""
    return normalise(os.environ.get(DEFAULT_LANGUAGE_ENV)) or "en"


def identify(text: str, declared: str | None = None, default: str | None = None) -> Identified:
    """The language of an article's text.

    Args:
        text: The article's plain text.
        declared: The language its feed or page declares ("fr", "fr-FR"), if any.
        default: Taken when the text is too short and nothing is declared; None reads
            `NEWSDIGEST_DEFAULT_LANGUAGE` (English when unset).

    Returns:
        The identified code; a short text's fallback is flagged.
    """
    sample = text[:20_000]
    words = len(_WORD.findall(sample))
    if words >= MIN_WORDS_TO_IDENTIFY or len(_UNSPACED.findall(sample)) >= MIN_WORDS_TO_IDENTIFY:
        return Identified(str(_identifier().classify(sample)[0]))
    chosen = normalise(declared) or normalise(default) or default_language()
    return Identified(chosen, (FLAG_DECLARED.format(words=words, name=language_name(chosen)),))


def require_supported(language: str) -> None:
    """Refuse a language the pipeline cannot digest.

    Raises:
        UnsupportedLanguageError: Naming the language in English.
    """
    if language not in SUPPORTED:
        raise UnsupportedLanguageError(language)


@functools.cache
def _identifier() -> Any:
    """py3langid's identifier, loaded on first use (about a second) and kept."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # lazy: loading takes a second

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(list(NAMES))
    # It keeps the unrestricted model (27 MiB) only to widen the languages again, which we never
    # do: dropping it takes the loaded identifier from about 84 to 57 MiB resident.
    if hasattr(identifier, "_full_model"):
        identifier._full_model = None
    return identifier

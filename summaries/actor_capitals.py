"""Names found by capitalisation, for languages whose pipeline tags no entities.

A blank spaCy pipeline (tokenizer and sentencizer) knows no names, so a name is a run of
capitalised words, read with the language's own rules (`summaries.actor_languages`):

- name particles join two capitalised words into one name ("Juan Carlos de Borbón", "Ludwig van
  Beethoven", "Banco de España");
- a sentence's first word is capitalised whatever it is: it starts a name only when it is no stop
  word and the article never writes it in lower case ("Ayer", "Según", "Het" start no name);
- German capitalises every noun: a capitalised word after a determiner ("die Regierung", "der
  neuen Woche"), with a common-noun ending ("-ung", "-heit", "-schaft") or an office ("Kanzlerin")
  is a noun, not a name, unless written as an acronym ("die SPD");
- leading determiners and titles are dropped ("la", "Frau").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from summaries.actor_languages import LanguageRules, clean_words, guess_kind
from summaries.doctext import text_of
from summaries.model import ActorKind

#: Punctuation after which a word is capitalised as if it opened a sentence.
_OPENERS = frozenset({'"', "«", "“", "„", "-", "–", "—", ":", "'", "‘", "»"})
#: German words after which a capitalised word is a common noun ("im Jahr", "keine Einigung").
_GERMAN_NOUN_MARKERS = frozenset(
    """
    der die das den dem des ein eine einen einem einer eines im am zum zur vom beim ins ans
    kein keine keinen keinem keiner sein seine seinen seinem seiner ihr ihre ihren ihrem ihrer
    unser unsere dieser diese dieses diesen diesem jede jeder jedes jeden jedem alle viele
    """.split()  # noqa: SIM905 (a word list reads best as text)
)
#: Endings of German common nouns that names seldom have ("Regierung", "Mannschaft").
_GERMAN_NOUN_ENDINGS = (
    "ung", "heit", "keit", "schaft", "tion", "tät", "ismus", "nis", "tum", "ment",
)  # fmt: skip
#: German names written with an article like a noun ("in der Schweiz", "im Bundestag").
_GERMAN_NAMES_WITH_ARTICLES = frozenset(
    """
    schweiz türkei ukraine slowakei mongolei niederlande vereinigten irak iran libanon sudan
    jemen kongo tschad krim vatikan kosovo balkan bundestag bundesrat bundestages bundesrates
    bundeswehr bundesbank bundesliga rhein rheins elbe donau spree nordsee ostsee alpen
    """.split()  # noqa: SIM905 (a word list reads best as text)
)
#: German nouns written bare so often that no determiner gives them away ("vor zwei Jahren").
_GERMAN_BARE_NOUNS = frozenset(
    """
    januar februar märz april mai juni juli august september oktober november dezember montag
    dienstag mittwoch donnerstag freitag samstag sonntag jahr jahre jahren jahres jahrhundert
    jahrhunderts monat monate monaten woche wochen tag tage tagen uhr prozent euro dollar meter
    kilometer millionen milliarden mio mrd menschen kinder frauen männer ende anfang mitte
    """.split()  # noqa: SIM905 (a word list reads best as text)
)
#: Adjective endings a German noun's determiner may be separated by ("der neuen Woche").
_GERMAN_ADJECTIVE_ENDINGS = ("e", "en", "er", "es", "em")
#: Longest stop word that never names anything alone.
_SHORT = 3
#: At most this many particles in a row inside a name ("van der", "de la").
_MAX_PARTICLES = 2


@dataclass(frozen=True)
class CapitalName:
    """A name found by capitalisation."""

    name: str
    kind: ActorKind
    start: int
    end: int


def capitalised_names(doc: Doc, rules: LanguageRules) -> Iterator[CapitalName]:
    """Runs of capitalised words that name someone or something, in text order.

    Args:
        doc: The article, tokenised and split into sentences.
        rules: The article's language.

    Yields:
        One CapitalName per run, its determiners and titles dropped.
    """
    lower = {token.text for token in doc if token.text[:1].islower()}
    named = [_names(token, rules, lower) for token in doc]
    for run in _runs(doc, named, rules):
        words = [token.text for token in run]
        kept = clean_words(words, rules, person=True, written=True)
        if not kept or (len(kept) == 1 and len(kept[0]) < 2) or _function_words(kept, rules):
            continue
        first = run[len(words) - len(kept)]
        name = text_of(doc)[first.idx : run.end_char]  # as written: "Banca d'Italia", one line
        yield CapitalName(name, guess_kind(kept, rules), first.idx, run.end_char)


def _function_words(words: list[str], rules: LanguageRules) -> bool:
    """A run of short stop words alone names nothing ("Die" after a bracket, "Sie" addressing).

    Longer stop words can be names inside a sentence ("lo Stato", "il Consiglio").
    """
    return all(len(word) <= _SHORT and word.lower() in rules.stop_words for word in words)


def _runs(doc: Doc, named: list[bool], rules: LanguageRules) -> Iterator[Span]:
    index = 0
    while index < len(doc):
        if not named[index]:
            index += 1
            continue
        end = index + 1
        while end < len(doc):
            step = _continues(doc, named, end, rules)
            if not step:
                break
            end += step
        yield doc[index:end]
        index = end


def _continues(doc: Doc, named: list[bool], at: int, rules: LanguageRules) -> int:
    """How many tokens from `at` on extend a run: a name word, or particles and one surname.

    A particle joins one surname ("van der Vlist", "Banco de España"), not a name of its own:
    "Luxemburg van de Europese Unie" is two names.
    """
    if named[at] and not _opens(doc[at]):
        return 1
    after = at
    while after < len(doc) and after - at < _MAX_PARTICLES and doc[after].text in rules.particles:
        after += 1
    if after == at or after >= len(doc) or not named[after] or _opens(doc[after]):
        return 0
    if after + 1 < len(doc) and named[after + 1] and not _opens(doc[after + 1]):
        return 0
    return after - at + 1


def _opens(token: Token) -> bool:
    """Whether a token is capitalised by position: first in its sentence or after an opener."""
    return token.is_sent_start or (token.i > 0 and token.nbor(-1).text in _OPENERS)


def _names(token: Token, rules: LanguageRules, lower: set[str]) -> bool:
    """Whether a capitalised token may be a word of a name."""
    text = token.text
    if not text[:1].isupper() or not any(char.isalpha() for char in text):
        return False
    if text.isupper() and len(text) > 1:
        return True  # an acronym ("SPD", "ONU") whatever precedes it
    folded = text.lower()
    if _opens(token) and (folded in rules.stop_words or folded in lower):
        return _all_capitals(token.sent)  # a line of names only: "De Morgen", a byline
    return not (rules.nouns_capitalised and _german_noun(token, rules))


def _all_capitals(sentence: Span) -> bool:
    words = [token.text for token in sentence if token.is_alpha]
    return len(words) > 1 and all(word[:1].isupper() for word in words)


def _german_noun(token: Token, rules: LanguageRules) -> bool:
    folded = token.text.lower()
    if folded in _GERMAN_NAMES_WITH_ARTICLES:
        return False
    if folded in rules.titles or folded in _GERMAN_BARE_NOUNS:
        return True
    if folded.endswith(_GERMAN_NOUN_ENDINGS) or (token.i > 0 and token.nbor(-1).like_num):
        return True  # "Regierung", "drei Spieler"
    index = token.i - 1
    while index >= 0 and index >= token.i - 2:
        before = token.doc[index].text
        if before.lower() in _GERMAN_NOUN_MARKERS:
            return True
        if not (before.islower() and before.endswith(_GERMAN_ADJECTIVE_ENDINGS)):
            return False
        index -= 1
    return False

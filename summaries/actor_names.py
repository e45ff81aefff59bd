"""Names of actors: cleaning entity spans, normalising them and recognising acronyms and roles."""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.tokens import Span, Token

from summaries.actor_languages import LANGUAGES

#: Occupations news writes before a name like a title ("Chair Agnes Vollmer", "union leader Elena
#: Marsh", "Comedian Ben Elton"): the head of a role, never part of the name.
ROLE_NOUNS = frozenset(
    """
    leader chair chairperson librarian founder cofounder boss striker midfielder defender
    goalkeeper winger comedian actor actress singer rapper presenter schoolboy schoolgirl
    youngster teenager trooper detective commissioner envoy treasurer executive analyst
    economist professor scientist researcher author novelist journalist reporter photographer
    chef skipper owner lawmaker congressman congresswoman mp mep councillor councilman sheriff
    prosecutor attorney lawyer solicitor barrister surgeon nurse pilot astronaut cleric
    ayatollah archbishop
    """.split()  # noqa: SIM905 (a word list reads best as text)
)

#: Honorifics, ranks and offices that spaCy often folds into a PERSON span ("Maj. Gen. Pat Ryder").
#: They are dropped from the front of a name; a span made of nothing else is a role, not a name.
TITLE_WORDS = ROLE_NOUNS | frozenset(
    """
    mr mrs ms miss mx dr prof sir dame lord lady rev fr st maj gen col lt sgt capt cpt cpl pvt
    adm cmdr brig sen rep gov pres supt insp det atty hon amb president vice prime minister
    secretary chancellor premier spokesman spokeswoman spokesperson senator governor mayor judge
    justice king queen prince princess pope ambassador general colonel major captain sergeant
    lieutenant admiral commander chief director chairman chairwoman ceo coach manager officer
    deputy assistant press foreign defence defense interior finance state former late acting
    interim
    """.split()  # noqa: SIM905 (a word list reads best as text)
)

#: Office nouns that a bare role phrase ("the prime minister") can refer back to.
ROLE_HEADS = ROLE_NOUNS | frozenset(
    """
    president minister secretary chancellor premier spokesman spokeswoman spokesperson senator
    governor mayor judge king queen prince princess pope ambassador general commander chief
    director chairman chairwoman ceo coach manager officer
    """.split()  # noqa: SIM905 (a word list reads best as text)
)

#: Last words that make an untagged name an organisation ("Tarnow Growers Cooperative").
ORGANISATION_HEADS = frozenset(
    """
    cooperative association union council committee company corporation corp group party bank
    agency authority institute university college school hospital trust foundation society club
    league federation commission department ministry office service board court police network
    church inc ltd plc llc co alliance coalition front movement army brigade forces
    """.split()  # noqa: SIM905 (a word list reads best as text)
)
#: Small words inside organisation names that acronyms skip ("Bank of England" = "BoE").
_ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "de", "du", "la", "&", "on", "in"})
#: Words inside a parenthesis that introduce another name ("(IS, formerly ISIS)").
_ALIAS_FILLERS = re.compile(r"\b(?:formerly|also|known|as|aka|or|now|previously|called)\b", re.I)
_ACRONYM = re.compile(r"^[A-Z][A-Za-z.&]{0,9}[A-Z.]$")
_PARENTHESIS = re.compile(r"\s*\(([^()]{1,60})\)")
_JOINT = re.compile(r"\s+(?:[-–—]|against|vs\.?|v)\s+")
_POSSESSIVE = re.compile(r"(?:'s|'|’s|’)$")
_DOTTED = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")
#: Lower-case words that belong to a name ("de Blasio", "van Gogh", "bin Laden", "von der Leyen"):
#: every supported language's particles (English news names people of all of them) and Arabic's.
NAME_PARTICLES = frozenset(
    {"bin", "ibn", "al", "el", "ben", "y"}.union(*(rules.particles for rules in LANGUAGES.values()))
)
_EDGE_PUNCT = " \t\n.,;:!?\"'“”‘’()[]{}-–—"


def clean_name(span: Span, *, person: bool = True) -> str | None:
    """The name inside an entity span, without determiners, titles, possessives or punctuation.

    Args:
        span: A spaCy entity span.
        person: Whether the span names a person; only people lose leading titles ("General
            Motors" and "State Department" keep theirs).

    Returns:
        The cleaned name, or None when nothing name-like is left ("Maj.", "the Prime Minister").
    """
    # A span that swallowed its own acronym ("World Health Organization (WHO") ends at the bracket;
    # one that ran two names together ("Sauber - Ferrari", "Real Madrid against Getafe") at the
    # joint.
    # A dateline's bracket ("(CNN)A man...") leaves the close of the bracket inside the span.
    words = _JOINT.split(span.text.split("(")[0].split(")")[0])[0].split()
    if len(words) > 1 and words[-1] == words[-2]:
        words = words[:-1]  # "Sebastian Vettel Vettel"
    while words and (_leading_descriptor(words[0]) or (person and is_title(words[0]))):
        words = words[1:]
    if not words:
        return None
    words[-1] = _POSSESSIVE.sub("", words[-1])
    name = " ".join(words).strip(_EDGE_PUNCT)
    if _DOTTED.match(name) and words[-1].endswith("."):
        name += "."  # "U.S." keeps the full stop that closes it
    if len(name) < 2 or not any(char.isupper() for char in name) or name.isdigit():
        return None
    return name


def _leading_descriptor(word: str) -> bool:
    """A word before a name that is no part of it: "the", "a", "plus", "broadcaster".

    spaCy's spans sometimes start one word early ("a David Garrard", "bank UFJ Holdings"); a word
    all in lower-case letters cannot begin a name unless it is a particle ("de Blasio").
    """
    return word.lower() == "the" or (
        word.isalpha() and word.islower() and word not in NAME_PARTICLES
    )


def with_proper_nouns_before(span: Span) -> Span:
    """A one-word place or organisation with the untagged proper nouns written before it.

    spaCy sometimes tags only the generic head of a name ("Valley" in "the Tarnow Valley");
    up to two capitalised proper nouns just before it, inside the sentence and in no other
    entity, belong to the name.

    Args:
        span: An entity span.

    Returns:
        The span, widened to the left where such words precede a one-word span.
    """
    if len(span) != 1:
        return span
    start = span.start
    while span.start - start < 2 and start > 0 and _is_bare_proper_noun(span.doc[start - 1]):
        start -= 1
    return span if start == span.start else Span(span.doc, start, span.end, label=span.label_)


def _is_bare_proper_noun(token: Token) -> bool:
    return (
        token.tag_ in {"NNP", "NNPS"}
        and token.text[:1].isupper()
        and not token.ent_type_
        and not token.is_sent_start
        and not is_title(token.text)
    )


def is_title(word: str) -> bool:
    """Whether a word is an honorific, rank, office or occupation ("Maj.", "Minister", "chair")."""
    return word.lower().rstrip(".") in TITLE_WORDS


def name_key(name: str) -> str:
    """The form two spellings of one name share: "al-Sudani", "Al Sudani" and "U.S." fold alike."""
    folded = name.lower().replace("’", "'").replace("-", " ").replace(".", "")
    return " ".join(folded.split())


def initials(name: str) -> str:
    """The acronym of a multi-word name ("Popular Mobilization Forces" -> "PMF"), or ""."""
    words = [word for word in name.replace("-", " ").split() if word.lower() not in _ACRONYM_SKIP]
    return "".join(word[0] for word in words).upper() if len(words) > 1 else ""


def is_acronym(name: str) -> bool:
    """Whether a name looks like an acronym ("HHN", "U.S.", "ISIS")."""
    return bool(_ACRONYM.match(name)) and sum(char.isupper() for char in name) >= 2


def parenthesised_aliases(text: str, span: Span) -> tuple[list[str], int]:
    """Acronyms given in brackets right after a name: "Islamic State (IS, formerly ISIS)".

    Args:
        text: The text of the document the span belongs to (`doc.text`, which spaCy rebuilds on
            every access, so callers pass it once).
        span: An entity span.

    Returns:
        The acronyms, in the order written (empty when no bracket follows the span), and the offset
        just past the bracket (the span's end when there is none).
    """
    inside = span.text.find("(")
    match = _PARENTHESIS.match(text, span.start_char + inside if inside > 0 else span.end_char)
    if not match:
        return [], span.end_char
    parts = _ALIAS_FILLERS.sub(" ", match.group(1)).replace(";", ",").split(",")
    return [part.strip() for part in parts if is_acronym(part.strip())], match.end()


def role_before(span: Span) -> str | None:
    """The office named just before a person ("Prime Minister" in "Prime Minister Al Sudani").

    Args:
        span: A PERSON entity span; titles inside the span count too.

    Returns:
        The role in lower case ("prime minister"), or None when no office word precedes the name.
    """
    inside = [token.text for token in span]
    before = list(_preceding_titles(span))
    words = [*before, *inside]
    role: list[str] = []
    for word in words:
        if not is_title(word):
            break
        role.append(word.lower().rstrip("."))
    # "Press secretary Maj. Gen." -> "press secretary": the office ends at its last head noun.
    heads = [index for index, word in enumerate(role) if word in ROLE_HEADS]
    return " ".join(role[: heads[-1] + 1]) if heads else None


def _preceding_titles(span: Span) -> Iterator[str]:
    """Title words written just before the span, nearest last."""
    doc = span.doc
    start = span.start
    while start > 0 and is_title(doc[start - 1].text):
        start -= 1
    for token in doc[start : span.start]:
        yield token.text

"""Roles: what the article says an actor is ("Iraqi Prime Minister", "leader of Harakat Hezbollah").

A role comes from the title written before a person's name ("Pentagon Press secretary Maj. Gen.
Pat Ryder") or from an apposition right after it ("Mushtaq Taleb al-Saidi, the leader of Harakat
Hezbollah al-Nujaba (HHN),"). Either must hold a role noun (an office, rank or occupation). An
actor shows the most informative role it was given (most words, then the first written).
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Span, Token

from summaries.actor_names import ORGANISATION_HEADS, ROLE_HEADS, is_title

#: Entity labels whose words may qualify a role before a name ("Iraqi", "US", "Pentagon").
_QUALIFIERS = frozenset({"NORP", "GPE", "ORG", "LOC", "FAC"})
#: Where an apposition ends.
_APPOSITION_END = frozenset({",", ".", ";", ":", "(", ")", "—", "–", '"', "“", "”", "!", "?"})
_DETERMINERS = frozenset({"the", "a", "an"})
#: Longest role shown (in words): a longer apposition is a clause, not a role.
MAX_ROLE_WORDS = 8
#: Role nouns of people who comment on a story more often than act in it: a quoted expert, a
#: spokesman, a club's manager (issue 20: the highlights leave them out more than others).
COMMENTATOR_ROLES = frozenset(
    """
    spokesman spokeswoman spokesperson analyst expert professor lawyer attorney solicitor
    barrister manager coach correspondent commentator pundit researcher scientist economist
    historian consultant psychologist
    """.split()  # noqa: SIM905 (a word list reads best as text)
)


def role_of(span: Span) -> str | None:
    """The role the article gives a person at this mention, before or after the name.

    Args:
        span: A PERSON entity span.

    Returns:
        The role as written ("Iraqi Prime Minister"), or None when the mention gives none.
    """
    before, after = title_before(span), apposition_after(span)
    if before and after:
        return max(before, after, key=lambda role: len(role.split()))
    return before or after


def title_before(span: Span) -> str | None:
    """The title in front of a name, qualifiers included ("former US President" Donald Trump)."""
    doc = span.doc
    start = span.start
    # Back over title words and their qualifiers, within the sentence and at most six words.
    while span.start - start < 6 and not doc[start].is_sent_start and _may_open(doc[start - 1]):
        start -= 1
    if start < span.start and start > 0 and _qualifies_a_head(doc[start - 1], doc[start]):
        start -= 1  # "union" leader, "police" chief
    inside = [token for token in span if is_title(token.text)]
    words = [token.text for token in doc[start : span.start]] + [t.text for t in inside]
    return _up_to_last_head(words)


def _may_open(token: Token) -> bool:
    if token.text == ".":
        return token.i > 0 and is_title(token.doc[token.i - 1].text)
    if is_title(token.text):
        return True
    # "Iraqi" Prime Minister, "Pentagon" press secretary: a qualifier right before a title.
    return token.ent_type_ in _QUALIFIERS and token.text[:1].isupper()


def _qualifies_a_head(word: Token, head: Token) -> bool:
    # Lower case, or capitalised only because it opens the sentence ("Union leader Elena Marsh").
    written = word.text.islower() or bool(word.is_sent_start and word.tag_ in {"NN", "NNP"})
    return word.tag_ in {"NN", "NNP"} and written and head.lower_ in ROLE_HEADS


def _up_to_last_head(words: list[str]) -> str | None:
    """The words up to the last role noun ("Press secretary Maj. Gen." -> "Press secretary")."""
    words = [word for word in words if word != "."]
    heads = [i for i, word in enumerate(words) if word.lower().rstrip(".") in ROLE_HEADS]
    if not heads:
        return None
    return " ".join(words[: heads[-1] + 1])


def apposition_after(span: Span) -> str | None:
    """A role in an apposition after the name: ", the leader of Harakat Hezbollah al-Nujaba (".

    Args:
        span: A PERSON entity span.

    Returns:
        The apposition without its determiner, or None when none follows or it holds no role
        noun in its first three words, or it has a verb (a clause, not a role).
    """
    doc = span.doc
    if span.end + 1 >= len(doc) or doc[span.end].text != ",":
        return None
    tokens = list(_until_end(doc[span.end + 1 : span.end + 2 + MAX_ROLE_WORDS]))
    if tokens and tokens[0].lower_ in _DETERMINERS:
        tokens = tokens[1:]
    if not tokens or len(tokens) > MAX_ROLE_WORDS or any(t.tag_.startswith("VB") for t in tokens):
        return None
    if not any(token.lower_ in ROLE_HEADS for token in tokens[:3]):
        return None
    return "".join(token.text_with_ws for token in tokens).strip()


def _until_end(tokens: Iterable[Token]) -> Iterable[Token]:
    for token in tokens:
        if token.text in _APPOSITION_END or token.is_sent_start:
            return
        yield token


def is_commentator(role: str | None) -> bool:
    """Whether a role names a commentator or a source ("club spokesman", "Professor").

    Args:
        role: A role as `role_of` gives it, or None.

    Returns:
        True when one of its words is in `COMMENTATOR_ROLES`.
    """
    words = (role or "").lower().replace(".", "").split()
    return any(word in COMMENTATOR_ROLES for word in words)


def best_role(roles: Iterable[tuple[int, str]]) -> str | None:
    """The most informative of an actor's roles: most words, then written first."""
    ranked = sorted(roles, key=lambda pair: (-len(pair[1].split()), pair[0]))
    return ranked[0][1] if ranked else None


def role_tail(span: Span) -> int:
    """How many closing words of an organisation span open a role after it.

    spaCy tags "Pentagon Press" in "Pentagon Press secretary Maj. Gen. Pat Ryder"; "Press" and
    "secretary" are the office, so the organisation is "Pentagon".

    Args:
        span: An entity span.

    Returns:
        The number of trailing title words to cut (0 when the next word is not a role noun).
    """
    doc = span.doc
    if span.end >= len(doc) or doc[span.end].lower_ not in ROLE_HEADS or len(span) < 2:
        return 0
    count = 0
    while count < len(span) - 1 and is_title(span[len(span) - 1 - count].text):
        count += 1
    return count


def titled_person(span: Span) -> bool:
    """Whether an organisation span is a person's name after a title ("Chair Agnes Vollmer").

    spaCy tags some people ORG; two or three capitalised words that a personal title opens or
    precedes, and that end in no organisation word ("Council"), name a person.

    Args:
        span: An ORG entity span.

    Returns:
        True when the span is better read as a person.
    """
    words = [token for token in span if not is_title(token.text)]
    if not 2 <= len(words) <= 3 or words[-1].lower_ in ORGANISATION_HEADS:
        return False
    if not all(token.tag_ in {"NNP", "NNPS"} and token.text[:1].isupper() for token in words):
        return False
    return len(words) < len(span) or title_before(span) is not None


def office_of(span: Span) -> bool:
    """Whether a name is what an office is of: "the leader of [Harakat Hezbollah al-Nujaba]".

    A person leads, chairs or founds an organisation, not another person, so spaCy's PERSON
    tag on such a name is wrong.

    Args:
        span: A span of the document.

    Returns:
        True when "<role noun> of (the)" stands right before the span.
    """
    doc = span.doc
    index = span.start - 1
    if index >= 0 and doc[index].lower_ == "the":
        index -= 1
    return index >= 1 and doc[index].lower_ == "of" and doc[index - 1].lower_ in ROLE_HEADS

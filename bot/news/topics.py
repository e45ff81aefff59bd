"""Topic queries: keywords and "phrases", actor:"Name", place:Name, -excluded, AND/OR, (groups).

Terms side by side must all match (AND); `OR` (upper case) offers alternatives and binds looser than
AND; `-` in front of a term excludes it. Parse errors are one line naming the character where the
problem is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import singledispatch

from bot.domain import Article, Story
from summaries import Actor

_TOKEN = re.compile(
    r"""(?P<space>\s+)|(?P<open>\()|(?P<close>\))|(?P<not>-(?=\S))"""
    r"""|(?P<field>(?:actor|place):)|(?P<phrase>"[^"]*")|(?P<word>[^\s()"]+)|(?P<quote>")""",
    re.IGNORECASE,
)
_WORD_CHARS = re.compile(r"\w", re.UNICODE)


class TopicError(ValueError):
    """A topic query that cannot be parsed.

    Attributes:
        reason: What is wrong, in plain words.
        position: 1-based character where the problem was found.
    """

    def __init__(self, reason: str, position: int) -> None:
        super().__init__(f"{reason} (at character {position})")
        self.reason = reason
        self.position = position


class Field(StrEnum):
    """What a term is matched against."""

    TEXT = "text"
    ACTOR = "actor"
    PLACE = "place"


@dataclass(frozen=True)
class Term:
    """A word or phrase, looked for in the text or among the actors or places."""

    value: str
    field: Field = Field.TEXT


@dataclass(frozen=True)
class Not:
    """Matches when its operand does not."""

    operand: Query


@dataclass(frozen=True)
class AllOf:
    """Matches when every operand does."""

    operands: tuple[Query, ...]


@dataclass(frozen=True)
class AnyOf:
    """Matches when at least one operand does."""

    operands: tuple[Query, ...]


Query = Term | Not | AllOf | AnyOf


@dataclass(frozen=True)
class TopicDocument:
    """What a query is matched against: folded text, actor names and place names."""

    text: str
    actors: tuple[str, ...]
    places: tuple[str, ...]


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    position: int


def parse_topic(text: str) -> Query:
    """Parse a topic query.

    Args:
        text: e.g. `ceasefire actor:"Joe Biden" -sport OR place:Gaza`.

    Returns:
        The query tree.

    Raises:
        TopicError: When the query is empty, unbalanced or has a dangling operator.
    """
    query = parse_filter(text)
    if not _has_positive(query):
        raise TopicError("a topic needs a word to look for, not only exclusions", 1)
    return query


def parse_filter(text: str) -> Query:
    """Parse a feed's filter: a topic query, which may also be exclusions only (`-sport`).

    A feed's items are what a filter narrows, so "everything but sport" makes sense there, where
    a topic of exclusions alone would match nearly every story.

    Raises:
        TopicError: When the query is empty, unbalanced or has a dangling operator.
    """
    tokens = list(_tokenize(text))
    if not tokens:
        raise TopicError("a topic needs at least one word", 1)
    parser = _Parser(tokens, len(text) + 1)
    query = parser.parse_or()
    parser.expect_end()
    return query


def matches(query: Query, document: TopicDocument) -> bool:
    """Whether a document satisfies the query."""
    return _matches(query, document)


def story_document(story: Story) -> TopicDocument:
    """The searchable view of a story: every article's title, summary and text, actors, places."""
    return articles_document(story.articles)


def articles_document(articles: Iterable[Article]) -> TopicDocument:
    """The searchable view of some articles (one feed's item, or a whole story)."""
    chosen = tuple(articles)
    parts = [
        part for article in chosen for part in (article.title or "", *article.summary, article.text)
    ]
    return TopicDocument(
        text=_fold(" ".join(parts)),
        actors=tuple(_names(actor for a in chosen for actor in a.actors)),
        places=tuple(_names(place for a in chosen for place in a.places)),
    )


def describe(query: Query) -> str:
    """The query written back in canonical form (explicit AND/OR, fields, quotes)."""
    return _describe(query)


def _tokenize(text: str) -> Iterator[_Token]:
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "word"
        if kind == "quote":
            raise TopicError('a quote is not closed: add the closing "', match.start() + 1)
        if kind != "space":
            yield _Token(_keyword(kind, match.group()), match.group(), match.start() + 1)


def _keyword(kind: str, text: str) -> str:
    return text if kind == "word" and text in {"AND", "OR"} else kind


class _Parser:
    """Recursive descent over the tokens: or := and (OR and)*; and := unary (AND? unary)*."""

    def __init__(self, tokens: list[_Token], end: int) -> None:
        self.tokens = tokens
        self.index = 0
        self.end = end

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.peek()
        if token is None:
            raise TopicError("the topic ends where a word was expected", self.end)
        self.index += 1
        return token

    def parse_or(self) -> Query:
        operands = [self.parse_and()]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            operands.append(self.parse_and())
        return operands[0] if len(operands) == 1 else AnyOf(tuple(operands))

    def parse_and(self) -> Query:
        operands = [self.parse_unary()]
        while (token := self.peek()) is not None and token.kind not in {"OR", "close"}:
            if token.kind == "AND":
                self.take()
            operands.append(self.parse_unary())
        return operands[0] if len(operands) == 1 else AllOf(tuple(operands))

    def parse_unary(self) -> Query:
        token = self.take()
        if token.kind == "not":
            return Not(self.parse_unary())
        if token.kind == "open":
            inner = self.parse_or()
            self._close(token)
            return inner
        if token.kind == "field":
            return Term(self._value(self.take(), token), Field(token.text[:-1].lower()))
        if token.kind in {"word", "phrase"}:
            return Term(self._value(token, token))
        raise TopicError(f"{token.text!r} needs a word before and after it", token.position)

    def expect_end(self) -> None:
        token = self.peek()
        if token is not None:
            raise TopicError(f"unexpected {token.text!r}: no group is open", token.position)

    def _close(self, opened: _Token) -> None:
        token = self.peek()
        if token is None or token.kind != "close":
            raise TopicError("a bracket is not closed: add the closing )", opened.position)
        self.take()

    def _value(self, token: _Token, owner: _Token) -> str:
        if token.kind not in {"word", "phrase"}:
            raise TopicError(f"{owner.text} needs a name right after it", owner.position)
        value = token.text.strip('"').strip()
        if not _WORD_CHARS.search(value):
            raise TopicError(f"{token.text!r} has no letters or digits to look for", token.position)
        return value


def _has_positive(query: Query, negated: bool = False) -> bool:
    if isinstance(query, Term):
        return not negated
    if isinstance(query, Not):
        return _has_positive(query.operand, not negated)
    return any(_has_positive(operand, negated) for operand in query.operands)


@singledispatch
def _matches(query: object, document: TopicDocument) -> bool:
    raise TypeError(f"not a query: {query!r}")


@_matches.register
def _(query: Term, document: TopicDocument) -> bool:
    pattern = _pattern(query.value)
    if query.field is Field.TEXT:
        return pattern.search(document.text) is not None
    names = document.actors if query.field is Field.ACTOR else document.places
    return any(pattern.search(name) for name in names)


@_matches.register
def _(query: Not, document: TopicDocument) -> bool:
    return not _matches(query.operand, document)


@_matches.register
def _(query: AllOf, document: TopicDocument) -> bool:
    return all(_matches(operand, document) for operand in query.operands)


@_matches.register
def _(query: AnyOf, document: TopicDocument) -> bool:
    return any(_matches(operand, document) for operand in query.operands)


def _pattern(value: str) -> re.Pattern[str]:
    words = _fold(value).split()
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)")


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("’", "'").split())


def _names(actors: Iterable[Actor]) -> Iterator[str]:
    for actor in actors:
        for name in (actor.name, *actor.aliases):
            yield _fold(name)


@singledispatch
def _describe(query: object) -> str:
    raise TypeError(f"not a query: {query!r}")


@_describe.register
def _(query: Term) -> str:
    value = f'"{query.value}"' if " " in query.value else query.value
    return value if query.field is Field.TEXT else f"{query.field}:{value}"


@_describe.register
def _(query: Not) -> str:
    return "-" + _grouped(query.operand)


@_describe.register
def _(query: AllOf) -> str:
    return " AND ".join(_grouped(operand) for operand in query.operands)


@_describe.register
def _(query: AnyOf) -> str:
    return " OR ".join(_grouped(operand) for operand in query.operands)


def _grouped(query: Query) -> str:
    text = _describe(query)
    return f"({text})" if isinstance(query, AllOf | AnyOf) else text

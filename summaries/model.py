"""The neutral result types of the summaries core: what one article's digest is made of."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

#: Longest role shown after a name in a digest line ("Mohammed Shia Al Sudani (Iraqi Prime
#: Minister)"); a longer one stays in the JSON record only.
ROLE_SHOWN_CHARS = 48


class ActorKind(StrEnum):
    """What sort of real-world referent an actor is."""

    PERSON = "person"
    ORGANIZATION = "organization"
    PLACE = "place"
    GROUP = "group"


@dataclass(frozen=True)
class Actor:
    """One real-world referent named in the article, with every surface form that named it.

    Attributes:
        name: The canonical (usually longest, most complete) name.
        kind: Person, organization, place or group (nationalities, religious or political groups).
        mentions: How many times the article names it, under any alias.
        aliases: The other surface forms merged into this actor, most frequent first.
        role: What the article says it is ("Iraqi Prime Minister"), if it says.
    """

    name: str
    kind: ActorKind
    mentions: int
    aliases: tuple[str, ...] = ()
    role: str | None = None

    @property
    def shown(self) -> str:
        """The name with its role when the role is short enough to read at a glance."""
        if self.role and len(self.role) <= ROLE_SHOWN_CHARS:
            return f"{self.name} ({self.role})"
        return self.name


@dataclass(frozen=True)
class DateMention:
    """A temporal expression and the calendar value it stands for.

    Attributes:
        text: The expression as written ("Thursday", "January 3, 2020").
        value: ISO 8601 at the expression's own granularity ("2024", "2024-01", "2024-01-04",
            "2024-W01", "2024-Q1"), or None when it cannot be resolved (e.g. relative, no DCT).
        start: Character offset where the expression starts in the indexed text.
        end: Character offset just past the expression in the indexed text.
    """

    text: str
    value: str | None
    start: int
    end: int


@dataclass(frozen=True)
class ArticleDigest:
    """The digest of one article: verbatim summary, key actors and dates.

    Attributes:
        title: The article's title, if known.
        url: Where the article came from, if known.
        published: Publication date, the creation time that relative dates resolve against.
        summary: Verbatim sentences of the article, in document order.
        actors: Key actors, most salient first.
        dates: Dates named in the article, in text order; offsets index the input text (or `text`).
        compression: Summary length over article length, in characters (0 for no summary).
        flags: Plain-words warnings about the input (e.g. "too short to summarise").
        text: The extracted article text that date offsets index, for HTML or URL input only.
        language: The article's language, an ISO 639-1 code ("en", "fr", ...).
    """

    title: str | None
    url: str | None
    published: date | None
    summary: tuple[str, ...]
    actors: tuple[Actor, ...]
    dates: tuple[DateMention, ...]
    compression: float
    flags: tuple[str, ...] = field(default=())
    text: str | None = None
    language: str = "en"

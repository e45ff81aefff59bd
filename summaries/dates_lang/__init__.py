"""Date rules for French, German, Spanish, Italian, Portuguese and Dutch news.

Each language module holds word tables and rule templates; this module compiles them and turns a
match into the same `Candidate` the English rules produce, with every word translated to the
English word the resolvers of `summaries.dates_resolvers` already read ("enero" becomes month
"january", "la semana pasada" becomes rel "last" and unit "week", "tres" becomes num "3"). The
calendar arithmetic is therefore shared with English, and so is its property test.

The rules read only the text and the sentence bounds: the languages other than French run on a
blank spaCy pipeline with a sentencizer, with no tagger, so the tense is read from cue words
("será", "wird", "prochain") instead of part-of-speech tags.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from summaries.dates_context import TokenView
from summaries.dates_rules import YEAR, Candidate, Tense

#: A regex group's phrases (case-folded, one-spaced) and the English groups each stands for.
Table = Mapping[str, Mapping[str, str]]

DAY = r"(?P<day>[12]\d|3[01]|0?[1-9])(?!\d|:\d)"
NUMERIC = (
    ("iso", r"(?P<year>(?:19|20)\d\d)-(?P<mnum>0[1-9]|1[0-2])-(?P<day>[0-2]\d|3[01])"),
    (
        "dmy",
        r"(?P<day>0?[1-9]|[12]\d|3[01])(?P<sep>[./-])(?P<mnum>0?[1-9]|1[0-2])(?P=sep)"
        r"(?P<year>(?:19|20)\d\d|\d\d)(?!\d)",
    ),
    ("year", r"(?:{part}\s+)?{YEAR}"),
)
_CUE_WINDOW = 8


def words(group: str, phrases: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """A table whose phrases each stand for one value of one English group."""
    return {phrase: {group: value} for phrase, value in phrases.items()}


def pairs(first: str, second: str, phrases: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """A table whose phrases each stand for two English groups, written "value1 value2"."""
    table: dict[str, dict[str, str]] = {}
    for phrase, both in phrases.items():
        one, two = both.split(" ", 1)
        table[phrase] = {first: one, second: two}
    return table


def elided(phrases: Mapping[str, str]) -> dict[str, str]:
    """The phrases, and each with a typographic apostrophe where it has a straight one."""
    return dict(phrases) | {p.replace("'", "’"): v for p, v in phrases.items()}


def flags(phrases: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """A table of phrases that stand for no English group (the rule's kind says it all)."""
    return {phrase: {} for phrase in elided(dict.fromkeys(phrases, ""))}


@dataclass(frozen=True)
class LanguageRules:
    """Everything the date tagger knows about one language.

    Attributes:
        code: ISO 639-1 code.
        tables: For each regex group, its phrases and the English groups they stand for.
        templates: (kind, pattern) with `{group}` standing for the group's alternation and
            `{DAY}`, `{YEAR}` for the shared day and year patterns.
        lowercase: Groups whose words must be in lower case where they open the expression
            (Spanish "julio" is a month, "Julio" a first name; German "Morgen" is a morning).
        future: Words that put a sentence in the future tense.
        future_endings: Word endings of the future tense ("-rá", "-ront").
    """

    code: str
    tables: Mapping[str, Table]
    templates: tuple[tuple[str, str], ...]
    lowercase: frozenset[str] = frozenset()
    future: frozenset[str] = frozenset()
    future_endings: tuple[str, ...] = ()
    folded: dict[str, dict[str, Mapping[str, str]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for group, table in self.tables.items():
            self.folded[group] = {fold(phrase): value for phrase, value in table.items()}


def fold(text: str) -> str:
    """The lookup key of a phrase: case-folded, one space between words."""
    return " ".join(text.casefold().split())


def _alternation(group: str, table: Table) -> str:
    phrases = sorted(table, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(part) for part in p.split()) for p in phrases)
    return f"(?P<{group}>{body})"


def compile_rules(language: LanguageRules) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The compiled rules of one language, numeric formats first."""
    pieces = {g: _alternation(g, t) for g, t in language.tables.items()}
    pieces |= {"DAY": DAY, "YEAR": YEAR}

    def expand(template: str) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: pieces.get(m.group(1), m.group(0)), template)

    return tuple(
        (kind, re.compile(rf"(?<![\w$-])(?:{expand(p)})(?![\w]|-\w|\.\d)", re.IGNORECASE))
        for kind, p in (*NUMERIC, *language.templates)
    )


def to_candidate(language: LanguageRules, kind: str, match: re.Match[str]) -> Candidate | None:
    """The match with every tabled word translated to its English group, or None if invalid."""
    groups: dict[str, str] = {}
    for name, raw in match.groupdict().items():
        if not raw or name == "sep":
            continue
        opens = match.start(name) == match.start()
        if name in language.lowercase and opens and not raw[0].islower():
            return None
        table = language.folded.get(name)
        if table is None:
            groups.setdefault(name, " ".join(raw.lower().split()))
            continue
        canonical = table.get(fold(raw))
        if canonical is None:  # a case variant the regex accepts but the table does not know
            return None
        groups |= canonical
    return Candidate(kind, match.start(), match.end(), groups)


@cache
def _compiled(code: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return compile_rules(LANGUAGES[code])


def rules_of(code: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The compiled rules of a supported language (compiled once per process)."""
    return _compiled(code)


def scan(text: str, code: str) -> list[Candidate]:
    """All rule matches of one language in `text`, leftmost-longest, non-overlapping."""
    language = LANGUAGES[code]
    found = [
        candidate
        for kind, pattern in rules_of(code)
        for match in pattern.finditer(text)
        if (candidate := to_candidate(language, kind, match)) is not None
    ]
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[Candidate] = []
    for candidate in found:
        if not kept or candidate.start >= kept[-1].end:
            kept.append(candidate)
    return kept


def tense(view: TokenView, char: int, code: str) -> Tense:
    """Future when a cue word of the language is near the expression in its sentence.

    Otherwise past, the news convention (what a report dates has mostly happened): with no
    tagger the past cannot be told from the present, and measured on the Spanish set the past
    dates bare months and quarters right more often ("enero" in September is last January).
    """
    if not view.text or not len(view):
        return "past"
    language = LANGUAGES[code]
    i = view.token_at(char)
    first, last = view.sentence_start[i], view.sentence_end[i]
    window = view.lowers[max(first, i - _CUE_WINDOW) : min(last, i + _CUE_WINDOW)]
    for word in window:
        if word in language.future or (len(word) > 4 and word.endswith(language.future_endings)):
            return "future"
    return "past"


def _languages() -> dict[str, LanguageRules]:
    from summaries.dates_lang import de, es, fr, it, nl, pt

    return {module.RULES.code: module.RULES for module in (de, es, fr, it, nl, pt)}


LANGUAGES: dict[str, LanguageRules] = _languages()

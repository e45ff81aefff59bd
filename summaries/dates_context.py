"""What the date resolver reads around a match: the nearest token, its sentence and the tense.

Everything here works on a `TokenView`, plain lists read from the one spaCy pass once per article:
`Token.sent` and `Doc.text` rebuild their answer on every access, which cost more than the rest of
the date tagger together.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc

from summaries.dates_rules import Candidate, Tense

_FUTURE_WORDS = frozenset({"will", "'ll", "shall", "wo"})
_FUTURE_CUES = _FUTURE_WORDS | {
    "scheduled",
    "planned",
    "planning",
    "plans",
    "until",
    "soon",
    "expected",
}
_CUE_WINDOW = 8
_BE_NOW = frozenset({"is", "are", "'s", "'re", "am"})
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})


@dataclass(frozen=True)
class TokenView:
    """The tokens of a parsed article as plain lists, with each token's sentence bounds.

    Attributes:
        text: The document's text.
        starts: Character offset of every token.
        lowers: Every token in lower case.
        tags: Every token's fine-grained part-of-speech tag.
        sentence_start: For every token, the index of its sentence's first token.
        sentence_end: For every token, the index just past its sentence's last token.
    """

    text: str
    starts: list[int]
    lowers: list[str]
    tags: list[str]
    sentence_start: list[int]
    sentence_end: list[int]

    @classmethod
    def of(cls, doc: Doc, text: str) -> TokenView:
        """Read the lists from a document: one pass over its tokens, one over its sentences.

        Args:
            doc: The parsed article.
            text: `doc.text`, which the caller has already built once.
        """
        starts, lowers, tags = [], [], []
        for token in doc:
            starts.append(token.idx)
            lowers.append(token.lower_)
            tags.append(token.tag_)
        sentence_start, sentence_end = [0] * len(doc), [len(doc)] * len(doc)
        for sentence in doc.sents:
            for i in range(sentence.start, sentence.end):
                sentence_start[i], sentence_end[i] = sentence.start, sentence.end
        return cls(text, starts, lowers, tags, sentence_start, sentence_end)

    def __len__(self) -> int:
        return len(self.starts)

    def token_at(self, char: int) -> int:
        """Index of the token that contains character offset `char` (the last one past the end)."""
        if not self.starts:
            return -1
        return max(bisect_right(self.starts, char) - 1, 0)


def plausible(view: TokenView, candidate: Candidate) -> bool:
    """Reject bare numbers that are not years: "2000 troops", "$1990", "1990%"."""
    if candidate.kind != "year" or "part" in candidate.groups or "spelled" in candidate.groups:
        return True
    if not 1800 <= int(candidate.groups["year"]) <= 2099:
        return False
    after = view.text[candidate.end : candidate.end + 12].lower()
    if after.startswith(("%", " percent")):
        return False
    index = view.token_at(candidate.end - 1)
    tags = view.tags
    if index + 1 >= len(view) or tags[index + 1] not in {"NNS", "CD"}:
        return True
    return tags[index + 1] == "NNS" and index > 0 and tags[index - 1] in {"DT", "POS", "PRP$"}


def tense(view: TokenView, char: int) -> Tense:
    """Past, present or future: the tense of the finite verb nearest the expression."""
    if not view.text or not len(view):
        return "present"
    i = view.token_at(char)
    lowers, tags = view.lowers, view.tags
    first, last = view.sentence_start[i], view.sentence_end[i]
    if any(word in _FUTURE_CUES for word in lowers[max(first, i - _CUE_WINDOW) : i]):
        return "future"
    verbs = [j for j in range(first, last) if tags[j] in _FINITE]
    if not verbs:
        return "present"
    verb = min(verbs, key=lambda j: abs(j - i))
    if lowers[verb] in _FUTURE_WORDS or _is_to(view, verb):
        return "future"
    return "past" if tags[verb] == "VBD" or lowers[verb] in {"would", "could"} else "present"


def _is_to(view: TokenView, i: int) -> bool:
    """Whether token i is a present form of be announcing the future ("is to", "are going to")."""
    lowers = view.lowers
    if lowers[i] not in _BE_NOW or i + 1 >= len(lowers):
        return False
    return lowers[i + 1] == "to" or (lowers[i + 1] == "going" and i + 2 < len(lowers))

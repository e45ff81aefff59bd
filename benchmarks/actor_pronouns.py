"""Mentions not by name: a heuristic count of the pronouns and descriptions referring to a referent.

Measured by `benchmarks.actor_ablation --coref` and kept out of the product, because counting
these mentions did not raise actor recall@5 held out (docs/benchmarks.md, "Actor ablation").

A story's protagonist is named once or twice and then called "he" or "she"; a club is "the club"
after its first mention. Counting names alone misses those mentions, so this counts them with a
rule a reader can check, on the token text and tags the pipeline already has (it loads no parser):

- a third-person singular personal pronoun ("he", "his", "her", ...) refers to the person named
  last before it, within `window` sentences; when a courtesy title ("Mr", "Mrs") or a gendered
  pronoun already assigned fixed that person's gender, a pronoun of the other gender skips to the
  last person it fits;
- a definite description ("the club", "the company", "the government") refers to the organisation
  (or, for "the government" and "the country", the place) named last before it, in the same
  window.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc

from summaries.model import ActorKind

_MALE = frozenset({"he", "him", "his", "himself"})
_FEMALE = frozenset({"she", "her", "hers", "herself"})
_MALE_TITLES = frozenset({"mr", "mr.", "sir", "lord", "king", "prince"})
_FEMALE_TITLES = frozenset({"mrs", "mrs.", "ms", "ms.", "miss", "lady", "dame", "queen"})
#: Nouns that, after "the", stand for an organisation named before.
ORGANISATION_NOUNS = frozenset(
    {
        "club",
        "company",
        "firm",
        "team",
        "party",
        "group",
        "organisation",
        "organization",
        "agency",
        "band",
        "side",
        "bank",
        "airline",
        "network",
        "charity",
        "retailer",
        "university",
        "school",
        "hospital",
        "union",
        "league",
        "association",
        "corporation",
        "manufacturer",
        "carrier",
        "newspaper",
        "channel",
        "broadcaster",
        "federation",
    }
)
#: Nouns that, after "the", stand for a country (or a city) named before.
PLACE_NOUNS = frozenset({"government", "country", "nation", "city", "state", "administration"})


@dataclass(frozen=True)
class Mention:
    """One named mention of a referent, as the resolver sees it."""

    offset: int
    referent: int
    kind: ActorKind


def count_references(
    doc: Doc,
    mentions: Sequence[Mention],
    *,
    window: int = 2,
    pronouns: bool = True,
    descriptions: bool = True,
    subject_first: bool = False,
) -> dict[int, int]:
    """How many pronouns and definite descriptions refer to each referent.

    Args:
        doc: The article's spaCy pass (tags and sentences; no parser needed).
        mentions: Every named mention, with the index of its referent and the referent's kind.
        window: How many sentences back the named mention may be (0: the same sentence).
        pronouns: Count third-person singular personal pronouns for people.
        descriptions: Count "the club", "the government", ... for organisations and places.
        subject_first: Resolve to the first fitting mention of the last sentence that has one
            (the sentence's subject, most often) rather than to the last fitting mention.

    Returns:
        Referent index to the number of mentions not by name resolved to it (absent: none).
    """
    ordered = sorted(mentions, key=lambda mention: mention.offset)
    offsets = [mention.offset for mention in ordered]
    starts = [sentence.start_char for sentence in doc.sents]
    genders = _titled_genders(doc, ordered)
    counts: dict[int, int] = {}
    for token in doc:
        wanted = _wanted(token.lower_, token.i, doc, pronouns, descriptions)
        if wanted is None:
            continue
        earliest = starts[max(0, bisect.bisect_right(starts, token.idx) - 1 - window)]
        before = ordered[
            bisect.bisect_left(offsets, earliest) : bisect.bisect_left(offsets, token.idx)
        ]
        fitting = _fitting(before, wanted, token.lower_, genders)
        if subject_first and fitting:
            sentence = bisect.bisect_right(starts, fitting[-1].offset) - 1
            fitting = [m for m in fitting if m.offset >= starts[sentence]][:1]
        found = fitting[-1].referent if fitting else None
        if found is not None:
            counts[found] = counts.get(found, 0) + 1
            if wanted is ActorKind.PERSON:
                genders.setdefault(found, token.lower_ in _MALE)
    return counts


def _wanted(
    lower: str, index: int, doc: Doc, pronouns: bool, descriptions: bool
) -> ActorKind | None:
    """The kind of referent the token at `index` stands for, if it is a reference at all."""
    if pronouns and (lower in _MALE or lower in _FEMALE):
        return ActorKind.PERSON
    if not descriptions or index == 0 or doc[index - 1].lower_ != "the":
        return None
    nxt = doc[index + 1] if index + 1 < len(doc) else None
    if nxt is not None and (nxt.tag_ in {"NNP", "NNPS", "NN", "NNS"} or nxt.lower_ == "of"):
        return None  # "the club captain", "the party of", "the government spokesman"
    if lower in ORGANISATION_NOUNS:
        return ActorKind.ORGANIZATION
    return ActorKind.PLACE if lower in PLACE_NOUNS else None


def _fitting(
    before: Sequence[Mention], wanted: ActorKind, lower: str, genders: dict[int, bool]
) -> list[Mention]:
    """The mentions before that fit the kind (and, for a pronoun, its gender), in text order."""
    male = lower in _MALE
    return [
        mention
        for mention in before
        if mention.kind is wanted
        # "Mrs Holt ... he": not her
        and (wanted is not ActorKind.PERSON or genders.get(mention.referent, male) == male)
    ]


def _titled_genders(doc: Doc, mentions: Sequence[Mention]) -> dict[int, bool]:
    """Referent index to True (male) or False (female) where a courtesy title precedes a name."""
    token_at = {token.idx: token.i for token in doc}
    genders: dict[int, bool] = {}
    for mention in mentions:
        index = token_at.get(mention.offset)
        if mention.kind is not ActorKind.PERSON or index is None:
            continue
        for title in (doc[index].lower_, doc[index - 1].lower_):  # the span may hold the title
            if title in _MALE_TITLES or title in _FEMALE_TITLES:
                genders.setdefault(mention.referent, title in _MALE_TITLES)
    return genders

"""Names spaCy misses or mislabels, and common nouns it tags as names.

Three rules, each switchable in `ReferentOptions`:

- untagged agents: a run of capitalised proper nouns in no entity that a verb follows is a name
  ("The Tarnow Growers Cooperative counted", "Chair Agnes Vollmer warned");
- repeated names: a multi-word name, or a one-word place or organisation, written again where
  spaCy tagged it as something else or nothing ("The Popular Mobilization Forces" as a
  WORK_OF_ART) is a mention all the same;
- things: a one-word name that the article also writes in lower case ("septum"), or a celestial
  body ("the Sun"), is a thing, not an actor.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from summaries.actor_clusters import Cluster, Clusters
from summaries.actor_countries import country_forms, form_key
from summaries.actor_names import ORGANISATION_HEADS, is_acronym, is_title
from summaries.actor_roles import office_of, title_before
from summaries.doctext import text_of
from summaries.model import ActorKind

#: Settings, not actors, however capitalised ("closest to the Sun").
CELESTIAL_BODIES = frozenset(
    "sun moon earth mercury venus mars jupiter saturn uranus neptune pluto".split()  # noqa: SIM905
)
_PROPER = frozenset({"NNP", "NNPS"})
#: Tags of a verb that makes the run before it its subject ("said", "counts", "will").
_AGENT_VERBS = frozenset({"VBD", "VBZ", "VBP", "MD"})
#: A sentence with this many capitalised words that are no proper nouns is a headline.
_HEADLINE_WORDS = 2


@dataclass(frozen=True)
class UntaggedName:
    """A name spaCy tagged as no entity, found by the run of proper nouns that writes it."""

    name: str
    kind: ActorKind
    start: int
    role: str | None


def untagged_agents(doc: Doc) -> Iterator[UntaggedName]:
    """Runs of two or more capitalised proper nouns in no entity, before a verb or after an office.

    Leading titles become the role ("Chair" Agnes Vollmer); a run ending in an organisation
    word, or named as what an office is of ("the leader of Harakat Hezbollah"), is an
    organisation, any other a person.

    Args:
        doc: The article.

    Yields:
        One UntaggedName per run.
    """
    # One pass over the tokens; the sentence (slow to build) is read for candidate runs only.
    for run in _proper_runs(doc):
        if office_of(run):
            found: UntaggedName | None = UntaggedName(
                run.text, ActorKind.ORGANIZATION, run.start_char, None
            )
        else:
            after = doc[run.end] if run.end < len(doc) else None
            agent = after is not None and after.tag_ in _AGENT_VERBS
            found = _as_name(run) if agent else None
        if found is not None and not _is_headline(run[0].sent):
            yield found


def _is_headline(sentence: Span) -> bool:
    """Title case capitalises verbs and common nouns too ("Growers Report Record Harvest")."""
    capitals = [token for token in sentence[1:] if token.is_alpha and token.text[:1].isupper()]
    return sum(token.tag_ not in _PROPER for token in capitals) >= _HEADLINE_WORDS


def _proper_runs(doc: Doc) -> Iterator[Span]:
    """Runs of two or more bare proper nouns, none crossing a sentence start."""
    start = None
    for token in doc:
        proper = _bare_proper(token)
        if proper and start is not None and not token.is_sent_start:
            continue
        if start is not None and token.i - start >= 2:
            yield doc[start : token.i]
        start = token.i if proper else None
    if start is not None and len(doc) - start >= 2:
        yield doc[start:]


def _bare_proper(token: Token) -> bool:
    return token.tag_ in _PROPER and token.text[:1].isupper() and not token.ent_type_


def _as_name(run: Span) -> UntaggedName | None:
    titles = 0
    while titles < len(run) and is_title(run[titles].text):
        titles += 1
    name = run[titles:]
    if len(name) < 2:
        return None
    if name[-1].lower_ in ORGANISATION_HEADS:
        return UntaggedName(name.text, ActorKind.ORGANIZATION, name.start_char, None)
    role = title_before(name) if titles else None
    return UntaggedName(name.text, ActorKind.PERSON, name.start_char, role)


def add_repeated_names(doc: Doc, clusters: Clusters, labels: frozenset[str]) -> None:
    """Count every other occurrence of a multi-word name outside the actors' own entity spans.

    Args:
        doc: The article.
        clusters: The article's clusters, changed in place.
        labels: The entity labels that name actors (their spans are counted already).
    """
    text = text_of(doc)
    spans = sorted((e.start_char, e.end_char) for e in doc.ents if e.label_ in labels)
    starts = [start for start, _ in spans]
    for cluster in clusters.unique():
        seen = set(cluster.offsets)
        for form in [
            form for form, count in cluster.forms.items() if count and _repeats(cluster, form)
        ]:
            for at in occurrences(text, form):
                if (
                    at not in seen
                    and not _inside(spans, starts, at)
                    and not _bracketed(text, at, form)
                ):
                    seen.add(at)
                    cluster.forms[form] += 1
                    cluster.offsets.append(at)


def _repeats(cluster: Cluster, form: str) -> bool:
    """Whether to count a form again: multi-word names, one-word places and organisations.

    People's surnames are left to the untagged-surnames rule, which shares them out among people.
    """
    return " " in form or (cluster.kind is not ActorKind.PERSON and form[:1].isupper())


def occurrences(text: str, word: str) -> Iterator[int]:
    """Where `word` is written as a whole word (not inside a longer word or a hyphenated one).

    Args:
        text: The text to search.
        word: The exact, case-sensitive form.

    Yields:
        The offset of each occurrence.
    """
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if not _joins(text[at - 1 : at]) and not _joins(text[end : end + 1]):
            yield at
        at = text.find(word, at + 1)


def _joins(char: str) -> bool:
    return bool(char) and (char.isalnum() or char in "_-")


def _bracketed(text: str, at: int, form: str) -> bool:
    """An acronym given in brackets restates a name: "Islamic State (IS, formerly ISIS)"."""
    before = text[max(0, at - 4) : at].rstrip()[-1:]
    after = text[at + len(form) : at + len(form) + 4].lstrip()[:1]
    return before == "(" or after == ")"


def _inside(spans: list[tuple[int, int]], starts: list[int], offset: int) -> bool:
    index = bisect.bisect_right(starts, offset) - 1
    return index >= 0 and spans[index][0] <= offset < spans[index][1]


def drop_things(text: str, clusters: Clusters) -> None:
    """Forget one-word names the article also writes in lower case, and celestial bodies.

    Args:
        text: The document's text.
        clusters: The article's clusters, changed in place.
    """
    for cluster in clusters.unique():
        if _is_thing(text, cluster):
            clusters.drop(cluster)


def _is_thing(text: str, cluster: Cluster) -> bool:
    words = {form for form in cluster.forms if " " not in form}
    if len(words) != len(cluster.forms) or any(is_acronym(word) for word in words):
        return False
    if any(form_key(word) in country_forms() for word in words):
        return False  # "Turkey", "Chad", "China" name countries whatever else they mean
    if cluster.kind is ActorKind.PLACE and {w.lower() for w in words} & CELESTIAL_BODIES:
        return True
    return any(next(occurrences(text, word.lower()), None) is not None for word in words)

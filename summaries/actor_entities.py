"""Step 1 of the actors: the names spaCy tagged, and what the article writes beside them.

Each tagged entity becomes a mention of a cluster once its name is cleaned (titles, determiners and
possessives dropped) and its kind corrected ("Chief librarian Maren Holt" tagged ORG is a person).
Beside the names the article writes two equations this module also applies: an acronym in
brackets after a name ("Islamic State (IS)") or a name's initials is the same referent, and an
office given to one named person ("the Iraqi prime minister") is a mention of that person.
`summaries.actors` runs these steps, with the merges of the other `actor_*` modules, in order.
"""

from __future__ import annotations

import re
from collections import Counter

from spacy.tokens import Doc

from summaries.actor_clusters import Cluster, Clusters
from summaries.actor_headlines import name_part, ordinary_words
from summaries.actor_mentions import untagged_agents
from summaries.actor_names import (
    clean_name,
    initials,
    is_acronym,
    name_key,
    parenthesised_aliases,
    role_before,
    with_proper_nouns_before,
)
from summaries.actor_roles import office_of, role_of, role_tail, titled_person
from summaries.model import ActorKind

#: spaCy entity labels that name actors, and the kind each one is.
ENTITY_KINDS = {
    "PERSON": ActorKind.PERSON,
    "ORG": ActorKind.ORGANIZATION,
    "GPE": ActorKind.PLACE,
    "LOC": ActorKind.PLACE,
    "FAC": ActorKind.PLACE,
    "NORP": ActorKind.GROUP,
}


def collect_mentions(
    doc: Doc, text: str, opening: int = 0, headline_end: int = 0
) -> tuple[Clusters, list[tuple[str, str]], dict[str, set[str]]]:
    """Tagged names after `opening` (the dateline's end), bracketed acronyms and offices.

    Args:
        doc: The English article, processed by its pipeline.
        text: The document's text (`summaries.doctext.text_of(doc)`).
        opening: Where the dateline ends; names before it are not mentions.
        headline_end: Where the headline repeated as the first paragraph ends (0: none).

    Returns:
        The clusters of the tagged names; each name with the acronyms bracketed after it, for
        `merge_acronyms`; and each office with the keys of the people given it, for
        `add_role_mentions`.
    """
    clusters = Clusters()
    acronyms: list[tuple[str, str]] = []
    roles: dict[str, set[str]] = {}
    bracket_end = 0
    ordinary = ordinary_words(doc, headline_end) if headline_end else frozenset()
    for entity in doc.ents:
        tagged = name_part(entity, ordinary) if entity.start_char < headline_end else entity
        if tagged is None:
            continue  # "[Gunman Kills L.A]": the headline's words, not a name
        kind = ENTITY_KINDS.get(tagged.label_)
        if kind is ActorKind.ORGANIZATION and titled_person(tagged):
            kind = ActorKind.PERSON  # "Chief librarian [Maren Holt]" tagged ORG
        elif kind is ActorKind.PERSON and office_of(tagged):
            kind = ActorKind.ORGANIZATION  # "the leader of [Harakat Hezbollah]" tagged PERSON
        widen = kind in {ActorKind.PLACE, ActorKind.ORGANIZATION}
        span = with_proper_nouns_before(tagged) if widen else tagged
        if widen and role_tail(span):
            span = span[: len(span) - role_tail(span)]  # "Pentagon [Press secretary]"
        name = clean_name(span, person=kind is ActorKind.PERSON) if kind else None
        if kind is None or name is None or span.start_char < max(bracket_end, opening):
            continue  # the acronyms in "Islamic State (IS, formerly ISIS)" restate, not mention
        cluster = clusters.add(name, kind, span.start_char)
        shown = role_of(span) if kind is ActorKind.PERSON else None
        if shown:
            cluster.roles.append((span.start_char, shown))
        aliases, bracket_end = parenthesised_aliases(text, span)
        acronyms.extend((name, alias) for alias in aliases)
        role = role_before(span) if kind is ActorKind.PERSON else None
        if role:
            roles.setdefault(role, set()).add(name_key(name))
    return clusters, acronyms, roles


def add_untagged_agents(doc: Doc, clusters: Clusters) -> None:
    """Add the names spaCy tagged as no entity (`actor_mentions.untagged_agents`), with roles.

    Args:
        doc: The article.
        clusters: The clusters to add the names' mentions to.
    """
    for found in untagged_agents(doc):
        cluster = clusters.add(found.name, found.kind, found.start)
        if found.role:
            cluster.roles.append((found.start, found.role))


def merge_acronyms(text: str, clusters: Clusters, acronyms: list[tuple[str, str]]) -> None:
    """Bracketed acronyms first (they may not be tagged as entities), then matching initials.

    Args:
        text: The document's text.
        clusters: The clusters to merge in place.
        acronyms: Each name with an acronym bracketed after it, from `collect_mentions`.
    """
    for name, alias in acronyms:
        key, target = name_key(alias), clusters.by_key[name_key(name)]
        if key not in clusters.by_key:
            for match in re.finditer(rf"(?<![\w(]){re.escape(alias)}(?![\w)])", text):
                clusters.add(alias, target.kind, match.start())
        if key not in clusters.by_key:  # named only in the brackets: an alias, not a mention
            clusters.by_key[key] = target
            target.forms[alias] += 0
        clusters.merge(key, name_key(name))
        _as_organization(clusters.by_key[key])
    by_initials: dict[str, set[str]] = {}
    for key, cluster in clusters.by_key.items():
        for form in cluster.forms:
            if initials(form):
                by_initials.setdefault(name_key(initials(form)), set()).add(key)
    for key, cluster in list(clusters.by_key.items()):
        targets = {id(clusters.by_key[k]): k for k in by_initials.get(key, ())}
        if len(targets) == 1 and any(is_acronym(form) for form in cluster.forms):
            clusters.merge(key, next(iter(targets.values())))


def _as_organization(cluster: Cluster) -> None:
    """A name written with its acronym in brackets is an organisation, whatever spaCy guessed."""
    if cluster.kind is ActorKind.PERSON:
        cluster.kinds = Counter({ActorKind.ORGANIZATION: 1})


def add_role_mentions(text: str, clusters: Clusters, roles: dict[str, set[str]]) -> None:
    """Count "the (Iraqi) prime minister" as a mention of the one person holding that office.

    Args:
        text: The document's text.
        clusters: The clusters; the office holder's gets the mentions.
        roles: Each office with the keys of the people given it, from `collect_mentions`.
    """
    for role, keys in roles.items():
        holders = {
            id(clusters.by_key[key]): clusters.by_key[key] for key in keys if key in clusters.by_key
        }
        if len(holders) != 1:
            continue  # two prime ministers: a bare "the prime minister" is ambiguous
        holder = next(iter(holders.values()))
        office = r"\s+".join(re.escape(word) for word in role.split())
        pattern = rf"\b[Tt]he\s+(?:[A-Z][\w'-]*\s+){{0,2}}(?i:{office})\b(?!\s+[A-Z])"
        holder.offsets.extend(match.start() for match in re.finditer(pattern, text))

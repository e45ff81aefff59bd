"""Step 7 of the digest, actors: who and what the story is about, one actor per real referent.

spaCy's entities are cleaned (titles, determiners and possessives dropped), grouped by spelling
(`actor_entities`), then merged when the article itself says they are one referent: an acronym in
brackets after a name, a name's initials or an office held by a named person ("the Iraqi prime
minister", `actor_entities`), a surname standing for a full name (`actor_merges`), or one
country's name, capital, seat and demonym (`actor_countries`). Names spaCy missed or mislabelled
are added and common nouns it tagged are dropped (`actor_mentions`); people carry the role the
article gives them (`actor_roles`). Actors are ranked by salience: how often and how early they
are named, whether the title and the summary name them, and whether their role is a
commentator's (a quoted expert ranks lower).
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc

from summaries.actor_clusters import Cluster, Clusters
from summaries.actor_countries import fold_countries
from summaries.actor_datelines import dateline_end
from summaries.actor_entities import (
    ENTITY_KINDS,
    add_role_mentions,
    add_untagged_agents,
    collect_mentions,
    merge_acronyms,
)
from summaries.actor_foreign import foreign_mentions, has_entities
from summaries.actor_languages import rules_for
from summaries.actor_mentions import add_repeated_names, drop_things
from summaries.actor_merges import add_untagged_surnames, merge_short_forms
from summaries.actor_names import name_key
from summaries.actor_roles import best_role, is_commentator
from summaries.doctext import text_of
from summaries.model import Actor, ActorKind

log = logging.getLogger(__name__)

_NON_NAME = re.compile(r"[^\w.'-]+")


@dataclass(frozen=True)
class ActorOptions:
    """Weights of actor salience; tuned on the development evaluation data only.

    Attributes:
        mention_weight: Weight of log(1 + mentions).
        position_weight: Weight of how early the actor is first named (1 at the start, 0 at the
            end).
        title_weight: Added when the title names the actor.
        summary_weight: Weight of the share of summary sentences naming the actor.
        person_factor: Multiplies the salience of people, the protagonists of most news.
        group_factor: Multiplies the salience of groups ("Iraqi", "Democrats"), which are context
            more often than protagonists.
        commentator_weight: Added (after the kind factor) for a person whose role is a
            commentator's or a source's ("spokesman", "professor", "manager"): quoted experts
            and managers fill top fives the highlights leave them out of (issue 20).
    """

    mention_weight: float = 1.0
    position_weight: float = 1.0
    title_weight: float = 1.0
    summary_weight: float = 1.0
    person_factor: float = 1.2
    group_factor: float = 0.5
    commentator_weight: float = -1.0


@dataclass(frozen=True)
class ReferentOptions:
    """Which of the article's own equations of names merge mentions into one referent.

    All on by default; `benchmarks.actor_ablation` switches each off to show what it adds.

    Attributes:
        acronyms: A bracketed acronym or a name's initials ("Islamic State (IS)", "PMF").
        short_forms: A surname or a shortened organisation name that only one full name fits.
        shared_short_forms: A short form several full names fit goes to the one named last.
        untagged_surnames: A person's surname where spaCy tagged no entity.
        roles: "The prime minister" for the one person the article gives that office.
        countries: A country's names, capital, seats and demonym are one actor.
        untagged_agents: A run of proper nouns in no entity that a verb follows is a name.
        repeated_names: A multi-word name written again where spaCy tagged no actor counts.
        things: A one-word name also written in lower case, or a celestial body, is no actor.
        datelines: The opening "WASHINGTON —" or "(CNN)" says where and by whom the article was
            filed: its names are not mentions.
    """

    acronyms: bool = True
    short_forms: bool = True
    shared_short_forms: bool = True
    untagged_surnames: bool = True
    roles: bool = True
    countries: bool = True
    untagged_agents: bool = True
    repeated_names: bool = True
    things: bool = True
    datelines: bool = True


@dataclass(frozen=True)
class Referent:
    """One real-world referent and every mention of it, before ranking.

    Attributes:
        forms: Each surface form that names it, with how often it does.
        kind: What sort of referent it is.
        offsets: Character offset (in the document's text) of every mention.
        name: The name it is shown by (a country's own name, else the fullest form).
        role: The most informative role the article gives it, if any.
    """

    forms: tuple[tuple[str, int], ...]
    kind: ActorKind
    offsets: tuple[int, ...]
    name: str
    role: str | None = None

    @classmethod
    def of(cls, cluster: Cluster) -> Referent:
        """The frozen referent of a cluster: its own name, its best role."""
        forms = tuple(cluster.forms.items())
        return cls(
            forms, cluster.kind, tuple(cluster.offsets), cluster.name, best_role(cluster.roles)
        )


@dataclass(frozen=True)
class Referents:
    """Every referent of an article and the length of the text their offsets index."""

    found: tuple[Referent, ...]
    length: int


def find_referents(
    doc: Doc, options: ReferentOptions | None = None, *, language: str = "en", headline_end: int = 0
) -> Referents:
    """Steps 1-2 of the actors: the article's referents, each with all of its mentions.

    Args:
        doc: The article, processed once by its language's pipeline.
        options: Which merges run (all by default).
        language: ISO 639-1 code of the article; any but "en" reads names with that language's
            rules and leaves the English-only rules (roles, countries, untagged agents) off.
        headline_end: Where the article's headline, repeated as its first paragraph, ends (0:
            none); names there end before the first word the body writes in lower case.

    Returns:
        The referents in no particular order; rank them with `rank_actors`.
    """
    options = options or ReferentOptions()
    if language != "en":
        return _foreign_referents(doc, options, language)
    text = text_of(doc)
    # 1. mentions: cleaned entity names, bracketed acronyms and the offices people hold
    opening = dateline_end(text) if options.datelines else 0
    clusters, acronyms, roles = collect_mentions(doc, text, opening, headline_end)
    if options.untagged_agents:
        add_untagged_agents(doc, clusters)
    # 2. merge the spellings the article itself equates, and drop what names no actor
    if options.acronyms:
        merge_acronyms(text, clusters, acronyms)
    if options.repeated_names:
        add_repeated_names(doc, clusters, frozenset(ENTITY_KINDS))
    if options.short_forms or options.shared_short_forms:
        merge_short_forms(clusters, unique=options.short_forms, shared=options.shared_short_forms)
    if options.countries:
        fold_countries(doc, clusters)
    if options.things:
        drop_things(text, clusters)
    if options.untagged_surnames:
        add_untagged_surnames(doc, clusters)
    if options.roles:
        add_role_mentions(text, clusters, roles)
    return _referents(doc, clusters)


def _foreign_referents(doc: Doc, options: ReferentOptions, language: str) -> Referents:
    """The language-neutral merges over names read with the article's language's rules."""
    text = text_of(doc)
    clusters, acronyms = foreign_mentions(doc, rules_for(language))
    if options.acronyms:
        merge_acronyms(text, clusters, acronyms)
    if options.repeated_names and has_entities(doc):  # without, every writing is a mention already
        add_repeated_names(doc, clusters, frozenset(ent.label_ for ent in doc.ents))
    if options.short_forms or options.shared_short_forms:
        merge_short_forms(clusters, unique=options.short_forms, shared=options.shared_short_forms)
    if options.things and has_entities(doc):  # "Stato", "stato": Romance institutions are both
        drop_things(text, clusters)
    if options.untagged_surnames and has_entities(doc):
        add_untagged_surnames(doc, clusters)  # without entities every surname is counted already
    return _referents(doc, clusters)


def _referents(doc: Doc, clusters: Clusters) -> Referents:
    found = tuple(Referent.of(cluster) for cluster in clusters.unique())
    return Referents(found, doc[-1].idx + len(doc[-1]) if len(doc) else 0)


def rank_actors(
    referents: Referents,
    *,
    title: str | None = None,
    summary_spans: Sequence[tuple[int, int]] = (),
    limit: int | None = None,
    options: ActorOptions | None = None,
) -> list[Actor]:
    """Step 3 of the actors: rank referents by salience and name them.

    Args:
        referents: From `find_referents`.
        title: The article's title, if known (naming an actor there raises its salience).
        summary_spans: Character spans (in the document's text) of the summary sentences.
        limit: Keep at most this many actors.
        options: Salience weights.

    Returns:
        One Actor per referent, most salient first, with its kind, mention count and aliases.
    """
    options = options or ActorOptions()
    found = list(referents.found)
    scores = {id(r): salience(r, referents.length, title, summary_spans, options) for r in found}
    found.sort(key=lambda referent: (-scores[id(referent)], min(referent.offsets)))
    actors = [_to_actor(referent) for referent in found]
    return actors[:limit] if limit is not None else actors


def find_actors(
    doc: Doc,
    *,
    title: str | None = None,
    summary_spans: Sequence[tuple[int, int]] = (),
    limit: int | None = None,
    options: ActorOptions | None = None,
) -> list[Actor]:
    """The article's key actors, most salient first (`find_referents`, then `rank_actors`).

    Args:
        doc: The article, processed once by the pipeline from `summaries.nlp`.
        title: The article's title, if known (naming an actor there raises its salience).
        summary_spans: Character spans (in `doc.text`) of the summary sentences.
        limit: Keep at most this many actors.
        options: Salience weights.

    Returns:
        One Actor per referent, with its kind, mention count and aliases.
    """
    return rank_actors(
        find_referents(doc),
        title=title,
        summary_spans=summary_spans,
        limit=limit,
        options=options,
    )


def salience(
    cluster: Referent,
    length: int,
    title: str | None,
    summary_spans: Sequence[tuple[int, int]],
    options: ActorOptions,
) -> float:
    """How salient a referent is: the score `rank_actors` sorts by (higher first).

    Args:
        cluster: The referent.
        length: Length of the text its offsets index.
        title: The article's title, if known.
        summary_spans: Character spans of the summary sentences.
        options: Salience weights.

    Returns:
        The weighted sum of its features, times its kind's factor, plus the commentator
        discount for a person with a commentator's role.
    """
    first = min(cluster.offsets) / max(length, 1)
    in_summary = sum(
        any(start <= offset < end for offset in cluster.offsets) for start, end in summary_spans
    )
    score = (
        options.mention_weight * math.log1p(len(cluster.offsets))
        + options.position_weight * (1.0 - first)
        + options.title_weight * _named_in(title, (form for form, _ in cluster.forms))
        + options.summary_weight * in_summary / max(len(summary_spans), 1)
    )
    factors = {ActorKind.PERSON: options.person_factor, ActorKind.GROUP: options.group_factor}
    commentator = cluster.kind is ActorKind.PERSON and is_commentator(cluster.role)
    return score * factors.get(cluster.kind, 1.0) + options.commentator_weight * commentator


def _named_in(title: str | None, forms: Iterable[str]) -> float:
    if not title:
        return 0.0
    folded = f" {name_key(_NON_NAME.sub(' ', title))} "
    return 1.0 if any(f" {name_key(form)} " in folded for form in forms) else 0.0


def _to_actor(cluster: Referent) -> Actor:
    name = cluster.name
    by_count = sorted(cluster.forms, key=lambda form: -form[1])
    aliases = tuple(
        form for form, _ in by_count if form != name and name_key(form) != name_key(name)
    )
    return Actor(
        name=name,
        kind=cluster.kind,
        mentions=len(cluster.offsets),
        aliases=aliases,
        role=cluster.role,
    )

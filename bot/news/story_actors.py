"""A story's actors: its articles' actors merged by the referent rules that hold across articles.

Two articles' actors are one referent when they share a spelling (a name or an alias, compared as
`name_key` does) or name the same country (`summaries.actor_countries`: "US" in one outlet,
"Washington" in another). Mentions are summed; the actors that most of the story's articles name
come first, then the most mentioned, so a story covered by three outlets leads with what all
three agree on. A merged actor is named by the country's own name if it is a country, else by the
name most outlets use, then the most mentioned.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from summaries.actor_countries import FormKind, country_forms, form_key
from summaries.actor_names import name_key
from summaries.model import Actor, ActorKind


@dataclass
class _Referent:
    """One referent across articles, as gathered so far."""

    actors: list[Actor] = field(default_factory=list)
    articles: set[int] = field(default_factory=set)
    best_rank: int = 0

    def absorb(self, other: _Referent) -> None:
        self.actors += other.actors
        self.articles |= other.articles
        self.best_rank = min(self.best_rank, other.best_rank)

    def merged(self) -> Actor:
        """One Actor: the name most articles use (then the fullest), mentions summed."""
        names = Counter(actor.name for actor in self.actors)
        mentions = Counter({actor.name: 0 for actor in self.actors})
        for actor in self.actors:
            mentions[actor.name] += actor.mentions
        # A country's own name first ("US" over "Washington"), then the name most outlets use.
        name = max(names, key=lambda form: (_names_a_country(form), names[form], mentions[form]))
        forms = dict.fromkeys(
            form for actor in self.actors for form in (actor.name, *actor.aliases)
        )
        roles = [actor.role for actor in self.actors if actor.role]
        kinds = Counter(actor.kind for actor in self.actors)
        return Actor(
            name=name,
            kind=kinds.most_common(1)[0][0],
            mentions=sum(actor.mentions for actor in self.actors),
            aliases=tuple(form for form in forms if name_key(form) != name_key(name)),
            role=max(roles, key=lambda role: len(role.split())) if roles else None,
        )


def story_actors(articles: Sequence[Sequence[Actor]], limit: int | None = None) -> list[Actor]:
    """Merge the actors of a story's articles, most agreed on first.

    Args:
        articles: Each article's actors, most salient first.
        limit: Keep at most this many.

    Returns:
        The merged actors: named by most articles, then most mentioned, then best ranked.
    """
    by_key: dict[str, _Referent] = {}
    for index, actors in enumerate(articles):
        for rank, actor in enumerate(actors):
            _add(by_key, actor, index, rank)
    unique = {id(referent): referent for referent in by_key.values()}.values()
    ranked = sorted(
        unique,
        key=lambda r: (-len(r.articles), -sum(a.mentions for a in r.actors), r.best_rank),
    )
    merged = [referent.merged() for referent in ranked]
    return merged[:limit] if limit is not None else merged


def _add(by_key: dict[str, _Referent], actor: Actor, article: int, rank: int) -> None:
    keys = list(referent_keys(actor))
    found = {id(by_key[key]): by_key[key] for key in keys if key in by_key}
    referent = _Referent([actor], {article}, rank)
    for other in found.values():
        referent.absorb(other)
        for key, held in list(by_key.items()):
            if held is other:
                by_key[key] = referent
    for key in keys:
        by_key[key] = referent


def _names_a_country(form: str) -> bool:
    found = country_forms().get(form_key(form))
    return found is not None and found.kind is FormKind.NAME


def referent_keys(actor: Actor) -> Iterable[str]:
    """The keys under which an actor meets the same referent in another article."""
    forms = (actor.name, *actor.aliases)
    yield from (name_key(form) for form in forms)
    if actor.kind is not ActorKind.PERSON:
        table = country_forms()
        countries = {table[form_key(form)].country for form in forms if form_key(form) in table}
        if len(countries) == 1:
            yield f"country:{countries.pop()}"


def most_named(stories: Sequence[Sequence[Actor]]) -> tuple[Actor, int] | None:
    """The actor the most stories name, with how many; None unless two or more name it.

    Args:
        stories: Each story's (merged) actors.

    Returns:
        The actor (merged over the stories that name it) and its story count, or None.
    """
    merged = story_actors(stories, limit=1)
    if not merged:
        return None
    keys = set(referent_keys(merged[0]))
    count = sum(any(keys & set(referent_keys(actor)) for actor in story) for story in stories)
    return (merged[0], count) if count >= 2 else None

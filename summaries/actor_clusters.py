"""The mentions of one referent gathered while reading an article, reachable by every spelling.

`summaries.actors` builds these from spaCy's entities; the rule modules (`actor_countries`,
`actor_mentions`, `actor_roles`) add, drop and merge clusters; `Referent` is the frozen result.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from summaries.actor_names import name_key
from summaries.model import ActorKind


def fullest_name(forms: Iterable[tuple[str, int]]) -> str:
    """The form with most words, then the one most often written, then the first seen."""
    counts = dict(forms)
    return max(counts, key=lambda form: (len(form.split()), counts[form]))


@dataclass
class Cluster:
    """The mentions of one referent gathered so far.

    Attributes:
        forms: Each surface form and how often it was written (0 for a form that only names it,
            such as an acronym given in brackets).
        kinds: How often spaCy (or a rule) gave each kind.
        offsets: Character offset of every mention.
        roles: The roles the article gives it ("Iraqi Prime Minister"), with their offsets.
        preferred: A form that names it whatever the other forms are (a country's own name).
    """

    forms: Counter[str] = field(default_factory=Counter)
    kinds: Counter[ActorKind] = field(default_factory=Counter)
    offsets: list[int] = field(default_factory=list)
    roles: list[tuple[int, str]] = field(default_factory=list)
    preferred: str | None = None

    def absorb(self, other: Cluster) -> None:
        """Take over another cluster's mentions, forms and roles, but not its kind.

        The fuller name's kind stands: spaCy often tags a lone surname or acronym wrongly.
        """
        self.forms.update(other.forms)
        self.offsets.extend(other.offsets)
        self.roles.extend(other.roles)

    @property
    def kind(self) -> ActorKind:
        """The kind given most often."""
        return self.kinds.most_common(1)[0][0]

    @property
    def name(self) -> str:
        """The preferred form if any, else the fullest form."""
        return self.preferred or fullest_name(self.forms.items())


class Clusters:
    """Clusters reachable by every spelling (key) that names them."""

    def __init__(self) -> None:
        self.by_key: dict[str, Cluster] = {}

    def add(self, name: str, kind: ActorKind, offset: int) -> Cluster:
        """Count one mention under its spelling; returns the cluster it joined."""
        cluster = self.by_key.setdefault(name_key(name), Cluster())
        cluster.forms[name] += 1
        cluster.kinds[kind] += 1
        cluster.offsets.append(offset)
        return cluster

    def merge(self, key: str, into_key: str) -> None:
        """Merge the cluster under `key` into the one under `into_key`."""
        source, target = self.by_key[key], self.by_key[into_key]
        if source is target:
            return
        target.absorb(source)
        for other, cluster in self.by_key.items():
            if cluster is source:
                self.by_key[other] = target

    def drop(self, cluster: Cluster) -> None:
        """Forget a cluster under every spelling."""
        for key in [key for key, held in self.by_key.items() if held is cluster]:
            del self.by_key[key]

    def unique(self) -> list[Cluster]:
        """Each cluster once, in the order first reached."""
        seen: dict[int, Cluster] = {}
        for cluster in self.by_key.values():
            seen.setdefault(id(cluster), cluster)
        return list(seen.values())

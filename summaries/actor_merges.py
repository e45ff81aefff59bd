"""Merging a referent's short forms into its full name: surnames and shortened organisations.

"Sudani" and "Al Sudani" join "Mohammed Shia Al Sudani"; "Bayer" joins "Bayer Leverkusen"; a
surname several people share ("Lane") goes, mention by mention, to whoever was named last; a
surname spaCy left untagged still counts for its person.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc

from summaries.actor_clusters import Cluster, Clusters
from summaries.actor_names import name_key
from summaries.model import ActorKind


def merge_short_forms(clusters: Clusters, *, unique: bool, shared: bool) -> None:
    """A surname ("Sudani", "Al Sudani") or a shortened organisation name joins its full form.

    Args:
        clusters: The article's clusters, changed in place.
        unique: Merge a short form that only one full name fits.
        shared: Share out a short form several full names fit, by recency.
    """
    keys = sorted(clusters.by_key, key=lambda key: len(key.split()))
    for key in keys:
        if key not in clusters.by_key:
            continue  # an ambiguous short form already shared out
        targets = {
            id(clusters.by_key[other]): other
            for other in clusters.by_key
            if clusters.by_key[other] is not clusters.by_key[key]
            and _shortens(key, clusters.by_key[key], other, clusters.by_key[other])
        }
        if len(targets) == 1 and unique:
            clusters.merge(key, next(iter(targets.values())))
        elif len(targets) > 1 and shared and _unmerged(clusters, key):
            _attribute_by_recency(clusters, key, list(targets.values()))


def _unmerged(clusters: Clusters, key: str) -> bool:
    """Whether the cluster under `key` holds that one spelling only (nothing merged into it)."""
    return {name_key(form) for form in clusters.by_key[key].forms} == {key}


def _attribute_by_recency(clusters: Clusters, key: str, target_keys: list[str]) -> None:
    """A short form shared by several names ("Lane": "Chris Lane", "Donna Lane") names the last one.

    News writes the full name first and the bare surname after it, so each bare mention joins the
    candidate named most recently before it (before any, the first one named); the short form
    then stops being an actor of its own.
    """
    short = clusters.by_key.pop(key)
    form = short.name
    targets = [clusters.by_key[other] for other in target_keys]
    for offset in short.offsets:
        holder = _latest_before(targets, offset)
        holder.forms[form] += 0  # an alias of the holder; its mentions count through offsets
        holder.offsets.append(offset)


def _latest_before(targets: Sequence[Cluster], offset: int) -> Cluster:
    """The cluster named most recently before `offset`, else the one named first."""
    earlier = [
        (max(seen for seen in target.offsets if seen < offset), index)
        for index, target in enumerate(targets)
        if min(target.offsets) < offset
    ]
    if earlier:
        return targets[max(earlier)[1]]
    return min(targets, key=lambda target: min(target.offsets))


def _shortens(key: str, cluster: Cluster, other: str, target: Cluster) -> bool:
    words, full = key.split(), other.split()
    if len(words) >= len(full):
        return False
    if target.kind is ActorKind.PERSON:
        # spaCy often tags a lone surname as ORG or GPE; a person's tail or head names them.
        return full[-len(words) :] == words or (
            cluster.kind is not ActorKind.PLACE and full[: len(words)] == words
        )
    if target.kind is ActorKind.ORGANIZATION and cluster.kind is ActorKind.ORGANIZATION:
        # "Bayer" for "Bayer Leverkusen"; a single word inside a name ("United") is too vague.
        return _contains(full, words) if len(words) >= 2 else full[0] == words[0]
    return False


def _contains(full: list[str], words: list[str]) -> bool:
    size = len(words)
    return any(full[i : i + size] == words for i in range(len(full) - size + 1))


def add_untagged_surnames(doc: Doc, clusters: Clusters) -> None:
    """Count a person's surname where spaCy missed it (it often does at a sentence start).

    Args:
        doc: The article.
        clusters: The article's clusters, changed in place.
    """
    surnames: dict[str, list[Cluster]] = {}
    for cluster in clusters.unique():
        words = cluster.name.split()
        if cluster.kind is ActorKind.PERSON and len(words) > 1 and len(words[-1]) > 2:
            surnames.setdefault(words[-1], []).append(cluster)
    for token in doc:
        holders = surnames.get(token.text)
        if holders and not token.ent_type_:
            holder = _latest_before(holders, token.idx)
            holder.forms[token.text] += 1
            holder.offsets.append(token.idx)

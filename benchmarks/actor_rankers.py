"""The actor finder's variants as `benchmarks.actors_eval` rankers, over articles prepared once.

`prepare` runs spaCy and the default summary once per article and adds the gold names and the
candidate features; each ranker then re-ranks (or re-finds) an article's actors with the finder's
options changed, candidate features added, kinds capped in the top five, or mentions not by name
counted, and `article_hits` counts the gold names a ranker's top actors match.
`benchmarks.actor_ablation` scores them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from benchmarks import actor_coref
from benchmarks.actor_features import candidates, rerank
from benchmarks.actors_eval import NamedActor, Ranker, gold_actors, matches
from summaries import Analyzer
from summaries.actor_names import name_key
from summaries.actors import ActorOptions, Referent, ReferentOptions, find_referents, rank_actors
from summaries.model import ActorKind

#: The product's referent and salience options, which every variant changes one part of.
DEFAULT_REFERENTS = ReferentOptions()
DEFAULT_SALIENCE = ActorOptions()


def prepare(analyzer: Analyzer, records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each record with its prepared article, its default summary's spans and its features."""
    prepared = []
    for record in records:
        article = analyzer.prepare(record["text"])
        chosen = analyzer.choose(article, 3, "newsdigest")
        spans = [(article.units[i].start, article.units[i].end) for i in chosen]
        gold = gold_actors(analyzer.nlp, record["reference"])
        features = candidates(article.doc, article.referents)
        prepared.append(
            {**record, "article": article, "spans": spans, "gold": gold, "features": features}
        )
    return prepared


def _named(referents: Sequence[Referent]) -> list[NamedActor]:
    """Names and aliases as `rank_actors` gives them (an alias is a form of another name key)."""
    return [
        (r.name, tuple(form for form, _ in r.forms if name_key(form) != name_key(r.name)))
        for r in referents
    ]


def with_features(weights: dict[str, float], options: ActorOptions = DEFAULT_SALIENCE) -> Ranker:
    """An `actors_eval` ranker: the default referents by salience plus candidate features."""

    def rank(_: Analyzer, record: dict[str, Any]) -> list[NamedActor]:
        article = record["article"]
        ranked = rerank(
            article.referents,
            record["features"],
            weights,
            title=article.title,
            summary_spans=record["spans"],
            options=options,
        )
        return _named(ranked)

    return rank


def with_cap(kind: ActorKind | None, most: int, top: int = 5) -> Ranker:
    """An `actors_eval` ranker: the product's order, with at most `most` of a kind in the top.

    An actor that would exceed the cap moves to just after the top (its order kept).
    """

    def rank(_: Analyzer, record: dict[str, Any]) -> list[NamedActor]:
        article = record["article"]
        ranked = rerank(
            article.referents,
            record["features"],
            {},
            title=article.title,
            summary_spans=record["spans"],
        )
        head: list[Referent] = []
        tail: list[Referent] = []
        for referent in ranked:
            capped = kind is None or referent.kind is kind
            held = sum(r.kind is referent.kind for r in head)
            (head if len(head) < top and not (capped and held >= most) else tail).append(referent)
        return _named(head + tail)

    return rank


def article_hits(
    analyzer: Analyzer, records: Sequence[dict[str, Any]], rank: Ranker, top: int = 5
) -> list[int]:
    """Per article, how many of its gold names the top actors match by name."""
    found = []
    for record in records:
        names = [name for name, _ in rank(analyzer, record)[:top]]
        found.append(sum(any(matches(g, name) for name in names) for g in record["gold"]))
    return found


def ranker(referent_options: ReferentOptions, options: ActorOptions) -> Ranker:
    """An `actors_eval` ranker that re-ranks (and, if its options differ, re-finds) the actors."""

    def rank(_: Analyzer, record: dict[str, Any]) -> list[NamedActor]:
        article = record["article"]
        referents = (
            article.referents  # the pipeline found them once already, with the defaults
            if referent_options == DEFAULT_REFERENTS
            else find_referents(article.doc, referent_options)
        )
        actors = rank_actors(
            referents, title=article.title, summary_spans=record["spans"], options=options
        )
        return [(actor.name, actor.aliases) for actor in actors]

    return rank


def with_references(setting: actor_coref.Setting) -> Ranker:
    """An `actors_eval` ranker: the default referents, counting mentions not by name too."""

    def rank(_: Analyzer, record: dict[str, Any]) -> list[NamedActor]:
        article = record["article"]
        extra = actor_coref.references(article.doc, article.referents, setting)
        ranked = actor_coref.rerank(
            article.referents,
            extra,
            setting.weight,
            title=article.title,
            summary_spans=record["spans"],
        )
        return _named(ranked)

    return rank

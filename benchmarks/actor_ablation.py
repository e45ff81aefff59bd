"""What each part of the actor finder adds: recall@5 with one part switched off at a time.

Every CNN/DM development article is prepared once (one spaCy pass) and summarised once by the
default ranker; each variant then re-finds the referents (`ReferentOptions`) and re-ranks them
(`ActorOptions`) with one part removed, and is scored exactly as `benchmarks.actors_eval` scores
the product (reference highlights' PERSON/ORG/GPE entities among the first five actors). The
spaCy-frequency baseline runs on the same spaCy pass.

Rows "with ..." add one candidate salience feature of `benchmarks.actor_features` (lead
sentences, a verb after the name, spread over the article, a place as a setting, places against
people; then the secondary-actor signals of `benchmarks.actor_signals`: sources of reporting
verbs, mentions in quotation marks, commentators' roles, sentence co-occurrence centrality) to
the product's salience, at the weight shown. Rows "at most ..." keep the product's salience and
skip, for the top five, an actor of a kind the top five already hold that many of.

With `--grid`, the salience weights are swept instead (every combination of a few values of each
`ActorOptions` weight, on the default referents) and the best settings are printed against the
defaults: a check that the defaults are not far from what the development data would pick. The
same sweep, and one over the candidate features, is then cross-validated: 5 folds of articles,
the best setting of four folds scored on the fifth, over 10 seeded shuffles; so is each
secondary-actor signal alone (its weights and zero, on top of the product's commentator
discount), three together, the commentator discount's own weight, and the kind caps.

With `--misses`, every gold name the top five miss is put in one category of
`benchmarks.actor_misses` (not in the article, no referent, another form, ranked lower).

With `--coref`, mentions not by name (pronouns, "the club") are counted with the names, each
way of counting (`benchmarks.actor_coref.SETTINGS`) scored, and the choice of one cross-validated.

Usage:
    python -m benchmarks.actor_ablation [EVAL_DIR] [--grid | --misses | --coref]
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Sequence
from dataclasses import astuple, replace
from pathlib import Path
from typing import Any

from benchmarks import actor_coref, actor_misses
from benchmarks.actor_features import held_out
from benchmarks.actor_rankers import (
    DEFAULT_REFERENTS,
    DEFAULT_SALIENCE,
    article_hits,
    prepare,
    ranker,
    with_cap,
    with_features,
    with_references,
)
from benchmarks.actors_eval import Ranker, baseline_actors, evaluate_actors, matches
from benchmarks.quality import read_jsonl
from summaries import Analyzer
from summaries.actors import ActorOptions, ReferentOptions
from summaries.model import ActorKind

#: (label, referent options, salience options) of every row after the full finder.
VARIANTS: tuple[tuple[str, ReferentOptions, ActorOptions], ...] = (
    ("newsdigest (all parts)", DEFAULT_REFERENTS, DEFAULT_SALIENCE),
    ("without acronym merging", replace(DEFAULT_REFERENTS, acronyms=False), DEFAULT_SALIENCE),
    (
        "without surname/short-form merging",
        replace(DEFAULT_REFERENTS, short_forms=False),
        DEFAULT_SALIENCE,
    ),
    (
        "without shared surnames by recency",
        replace(DEFAULT_REFERENTS, shared_short_forms=False),
        DEFAULT_SALIENCE,
    ),
    (
        "without untagged surnames",
        replace(DEFAULT_REFERENTS, untagged_surnames=False),
        DEFAULT_SALIENCE,
    ),
    ("without office mentions", replace(DEFAULT_REFERENTS, roles=False), DEFAULT_SALIENCE),
    ("without country folding", replace(DEFAULT_REFERENTS, countries=False), DEFAULT_SALIENCE),
    (
        "without untagged agents",
        replace(DEFAULT_REFERENTS, untagged_agents=False),
        DEFAULT_SALIENCE,
    ),
    ("without repeated names", replace(DEFAULT_REFERENTS, repeated_names=False), DEFAULT_SALIENCE),
    ("without the things rule", replace(DEFAULT_REFERENTS, things=False), DEFAULT_SALIENCE),
    ("without the dateline rule", replace(DEFAULT_REFERENTS, datelines=False), DEFAULT_SALIENCE),
    (
        "without any issue-20 rule",
        replace(
            DEFAULT_REFERENTS,
            countries=False,
            untagged_agents=False,
            repeated_names=False,
            things=False,
        ),
        DEFAULT_SALIENCE,
    ),
    ("without mention count", DEFAULT_REFERENTS, replace(DEFAULT_SALIENCE, mention_weight=0.0)),
    (
        "without first-mention position",
        DEFAULT_REFERENTS,
        replace(DEFAULT_SALIENCE, position_weight=0.0),
    ),
    ("without title presence", DEFAULT_REFERENTS, replace(DEFAULT_SALIENCE, title_weight=0.0)),
    ("without summary presence", DEFAULT_REFERENTS, replace(DEFAULT_SALIENCE, summary_weight=0.0)),
    (
        "without kind factors (people, groups)",
        DEFAULT_REFERENTS,
        replace(DEFAULT_SALIENCE, person_factor=1.0, group_factor=1.0),
    ),
    (
        "without the commentator discount",
        DEFAULT_REFERENTS,
        replace(DEFAULT_SALIENCE, commentator_weight=0.0),
    ),
    (
        "commentator discount -0.5",
        DEFAULT_REFERENTS,
        replace(DEFAULT_SALIENCE, commentator_weight=-0.5),
    ),
    (
        "commentator discount -2.0",
        DEFAULT_REFERENTS,
        replace(DEFAULT_SALIENCE, commentator_weight=-2.0),
    ),
)


#: (label, candidate feature weights) of the rows that add a feature to the full finder.
FEATURE_ROWS: tuple[tuple[str, dict[str, float]], ...] = (
    ("with lead-sentence mentions (0.5)", {"lead": 0.5}),
    ("with lead-sentence mentions (1.0)", {"lead": 1.0}),
    ("with a verb after the name (0.5)", {"agent": 0.5}),
    ("with a verb after the name (1.0)", {"agent": 1.0}),
    ("with spread over the article (0.5)", {"spread": 0.5}),
    ("with spread over the article (1.0)", {"spread": 1.0}),
    ("with places as settings down (-0.5)", {"setting": -0.5}),
    ("with places as settings down (-1.0)", {"setting": -1.0}),
    ("with places down (-0.3)", {"place": -0.3}),
    ("with people over places (places -0.3, agents 0.5)", {"place": -0.3, "agent": 0.5}),
    ("with sources down (-0.25)", {"source": -0.25}),
    ("with sources down (-0.5)", {"source": -0.5}),
    ("with sources down (-1.0)", {"source": -1.0}),
    ("with quoted mentions down (-0.5)", {"quoted": -0.5}),
    ("with quoted mentions down (-1.0)", {"quoted": -1.0}),
    ("with co-occurrence centrality (0.5)", {"centrality": 0.5}),
    ("with co-occurrence centrality (1.0)", {"centrality": 1.0}),
)

#: (label, kind capped or None for every kind, most of it in the top five) of the cap rows.
CAP_ROWS: tuple[tuple[str, ActorKind | None, int], ...] = (
    ("at most 1 place in the top five", ActorKind.PLACE, 1),
    ("at most 2 places in the top five", ActorKind.PLACE, 2),
    ("at most 3 of one kind in the top five", None, 3),
)


#: Values tried per salience weight by `--grid`, in ActorOptions field order.
GRID: tuple[tuple[float, ...], ...] = (
    (0.5, 1.0, 1.5),
    (0.5, 1.0, 2.0),
    (0.5, 1.0, 2.0),
    (0.5, 1.0, 2.0, 3.0),
    (1.0, 1.2, 1.5),
    (0.3, 0.5, 0.8),
)


#: Candidate feature weights tried by `--grid` (lead, agent, spread, setting, place).
FEATURE_GRID: tuple[tuple[float, ...], ...] = (
    (0.0, 0.5, 1.0),
    (0.0, 0.5),
    (0.0, 0.5, 1.0),
    (0.0, -0.5, -1.0),
    (0.0, -0.3),
)
_FEATURES = ("lead", "agent", "spread", "setting", "place")


def grid(analyzer: Analyzer, records: Sequence[dict[str, Any]], best: int = 5) -> list[str]:
    """Markdown rows: the default weights, the best settings of the grid, then held-out figures."""
    weights = [astuple(ActorOptions()), *itertools.product(*GRID)]  # defaults first: ties keep them
    hits = [
        article_hits(analyzer, records, ranker(DEFAULT_REFERENTS, ActorOptions(*w)))
        for w in weights
    ]
    extra = list(itertools.product(*FEATURE_GRID))  # all zero first: the product as it is
    extra_hits = [
        article_hits(analyzer, records, with_features(dict(zip(_FEATURES, w, strict=True))))
        for w in extra
    ]
    gold = sum(len(record["gold"]) for record in records)
    rows = ["| weights (mention, position, title, summary, person, group) | recall@5 (names) |"]
    rows.append("|---|---|")
    ranked = sorted(range(1, len(weights)), key=lambda i: -sum(hits[i]))
    rows.append(f"| defaults | {sum(hits[0]) / gold:.4f} |")
    rows += [f"| {weights[i]} | {sum(hits[i]) / gold:.4f} |" for i in ranked[:best]]
    rows.append(f"\n{len(weights) - 1} settings tried\n")
    best_extra = max(range(len(extra)), key=lambda i: sum(extra_hits[i]))
    rows.append(
        f"best candidate-feature weights {dict(zip(_FEATURES, extra[best_extra], strict=True))}: "
        f"{sum(extra_hits[best_extra]) / gold:.4f} fit on all articles\n"
    )
    sweeps = {"salience weights": hits, "candidate features": extra_hits}
    sweeps["commentator discount (none first; -0.25, -0.5, -1.0, -1.5, -2.0)"] = [
        article_hits(
            analyzer,
            records,
            ranker(DEFAULT_REFERENTS, replace(DEFAULT_SALIENCE, commentator_weight=w)),
        )
        for w in (0.0, -0.25, -0.5, -1.0, -1.5, -2.0)  # none first: ties keep no discount
    ]
    for label, settings in SIGNAL_SWEEPS.items():
        sweeps[label] = [article_hits(analyzer, records, with_features(w)) for w in settings]
    sweeps["kind caps (none; places at most 1, 2, 3; any kind at most 3)"] = [
        article_hits(analyzer, records, rank) for rank in _CAPS
    ]
    rows += _held_out_rows(gold, sweeps)
    return rows


#: Held-out sweeps of the secondary-actor signals: each alone (zero first), then together.
SIGNAL_SWEEPS: dict[str, list[dict[str, float]]] = {
    "sources (0, -0.25, -0.5, -1.0)": [{"source": w} for w in (0.0, -0.25, -0.5, -1.0)],
    "quoted mentions (0, -0.25, -0.5, -1.0)": [{"quoted": w} for w in (0.0, -0.25, -0.5, -1.0)],
    "centrality (0, 0.25, 0.5, 1.0)": [{"centrality": w} for w in (0.0, 0.25, 0.5, 1.0)],
    "sources, quotes and centrality together (24 settings)": [
        dict(zip(("source", "quoted", "centrality"), w, strict=True))
        for w in itertools.product((0.0, -0.25, -0.5, -1.0), (0.0, -0.5), (0.0, 0.25, 0.5))
    ],
}
_CAPS: tuple[Ranker, ...] = (
    with_features({}),
    with_cap(ActorKind.PLACE, 1),
    with_cap(ActorKind.PLACE, 2),
    with_cap(ActorKind.PLACE, 3),
    with_cap(None, 3),
)


def _held_out_rows(gold: int, sweeps: dict[str, list[list[int]]]) -> list[str]:
    """Rows of 5-fold held-out recall: each sweep's setting chosen on four folds of articles."""
    rows = [
        "| sweep | defaults | best fit on all | 5-fold held-out (mean, min-max of 10 shuffles) |"
    ]
    rows.append("|---|---|---|---|")
    for label, hits in sweeps.items():
        per_article = [list(column) for column in zip(*hits, strict=True)]
        found = held_out(per_article)
        fit = max(sum(setting) for setting in hits)
        rows.append(
            f"| {label} | {sum(hits[0]) / gold:.3f} | {fit / gold:.3f} "
            f"| {sum(found) / len(found) / gold:.3f} ({min(found) / gold:.3f}-"
            f"{max(found) / gold:.3f}) |"
        )
    return rows


def coref(analyzer: Analyzer, records: Sequence[dict[str, Any]]) -> list[str]:
    """Markdown rows: each way of counting mentions not by name, then the held-out choice."""
    rows = ["| mentions counted | recall@5 (names) | with aliases | Δ names | duplicates |"]
    rows.append("|---|---|---|---|---|")
    hits, full = [], 0.0
    for setting in actor_coref.SETTINGS:
        figures = evaluate_actors(analyzer, records, with_references(setting))
        full = full or figures["recall_micro_names"]
        rows.append(
            f"| {setting.label} | {figures['recall_micro_names']:.3f} "
            f"| {figures['recall_micro_aliases']:.3f} "
            f"| {figures['recall_micro_names'] - full:+.3f} | {figures['duplicates']:.1%} |"
        )
        hits.append(article_hits(analyzer, records, with_references(setting)))
    gold = sum(len(record["gold"]) for record in records)
    held = _held_out_rows(gold, {"mentions not by name": hits})
    return [*rows, "", *held, "", *_who_gains(records, actor_coref.Setting("both", 1.0))]


def _who_gains(records: Sequence[dict[str, Any]], setting: actor_coref.Setting) -> list[str]:
    """Rows: mean names and mentions not by name of the actors a re-ranking would swap."""
    groups: dict[str, list[tuple[int, int]]] = {
        label: [] for label in ("gold ranked 6-10", "not gold, top 5", "people among them: gold")
    }
    groups["people among them: not gold"] = []
    for record in records:
        article = record["article"]
        extra = actor_coref.references(article.doc, article.referents, setting)
        by_id = {id(r): count for r, count in zip(article.referents.found, extra, strict=True)}
        ranked = actor_coref.rerank(
            article.referents, extra, 0.0, title=article.title, summary_spans=record["spans"]
        )
        for position, referent in enumerate(ranked[:10]):
            gold = any(matches(name, referent.name) for name in record["gold"])
            if gold == (position >= 5):
                label = "gold ranked 6-10" if gold else "not gold, top 5"
                counts = (len(referent.offsets), by_id[id(referent)])
                groups[label].append(counts)
                if referent.kind is ActorKind.PERSON:  # pronouns reach only people
                    groups["people among them: " + ("gold" if gold else "not gold")].append(counts)
    rows = ["| product's ranking | actors | mean names | mean pronouns + descriptions |"]
    rows.append("|---|---|---|---|")
    for label, found in groups.items():
        count = max(len(found), 1)
        names, extra_mean = (sum(column) / count for column in zip(*found, strict=True))
        rows.append(f"| {label} | {len(found)} | {names:.2f} | {extra_mean:.2f} |")
    return rows


def misses(analyzer: Analyzer, records: Sequence[dict[str, Any]]) -> list[str]:
    """Markdown rows: why the full finder's top five miss each gold name they miss."""
    rank = ranker(DEFAULT_REFERENTS, DEFAULT_SALIENCE)
    missed = []
    for record in records:
        ranked = rank(analyzer, record)
        for gold in record["gold"]:
            why = actor_misses.why_missed(gold, record["gold"], record["text"], ranked)
            if why:
                missed.append((why, record["id"], gold))
    return actor_misses.table(missed)


def table(analyzer: Analyzer, records: Sequence[dict[str, Any]]) -> list[str]:
    """Markdown rows: the baseline, then every variant with its difference to the full finder."""
    rows = [
        "| variant | recall@5 (names) | with aliases | Δ names | Δ aliases | duplicates |",
        "|---|---|---|---|---|---|",
    ]
    base = evaluate_actors(
        analyzer, records, lambda _, record: baseline_actors(record["article"].doc)
    )
    rows.append(
        f"| spaCy entity frequency | {base['recall_micro_names']:.3f} "
        f"| {base['recall_micro_aliases']:.3f} | | | {base['duplicates']:.1%} |"
    )
    full: dict[str, float] = {}
    rankers = [(label, ranker(ref, sal)) for label, ref, sal in VARIANTS]
    rankers += [(label, with_features(weights)) for label, weights in FEATURE_ROWS]
    rankers += [(label, with_cap(kind, most)) for label, kind, most in CAP_ROWS]
    for label, rank in rankers:
        figures = evaluate_actors(analyzer, records, rank)
        full = full or figures
        names, aliases = figures["recall_micro_names"], figures["recall_micro_aliases"]
        rows.append(
            f"| {label} | {names:.3f} | {aliases:.3f} "
            f"| {names - full['recall_micro_names']:+.3f} "
            f"| {aliases - full['recall_micro_aliases']:+.3f} | {figures['duplicates']:.1%} |"
        )
    rows.append(
        f"\n{int(full['gold'])} gold actors (micro recall over all of them); duplicates: share of "
        f"the {int(full['lists'])} top-5 lists that name one country twice"
    )
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Print the actor ablation table for the CNN/DM development articles."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", default="../shared/eval", type=Path)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--grid", action="store_true", help="sweep the salience weights instead")
    mode.add_argument("--misses", action="store_true", help="why each missed gold name is missed")
    mode.add_argument("--coref", action="store_true", help="count pronouns and descriptions too")
    args = parser.parse_args(argv)
    path = args.eval_dir / "summaries" / "cnndm-dev.jsonl"
    if not path.is_file():
        print(f"evaluation data not found at {path}", file=sys.stderr)
        return 2
    records = read_jsonl(path)
    analyzer = Analyzer.load()
    prepared = prepare(analyzer, records)
    report = grid if args.grid else misses if args.misses else coref if args.coref else table
    print("\n".join(report(analyzer, prepared)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What each part of the actor finder adds: recall@5 with one part switched off at a time.

Every CNN/DM development article is prepared once (one spaCy pass) and summarised once by the
default ranker; each variant then re-finds the referents (`ReferentOptions`) and re-ranks them
(`ActorOptions`) with one part removed, and is scored exactly as `benchmarks.actors_eval` scores
the product (reference highlights' PERSON/ORG/GPE entities among the first five actors). The
spaCy-frequency baseline runs on the same spaCy pass.

With `--grid`, the salience weights are swept instead (every combination of a few values of each
`ActorOptions` weight, on the default referents) and the best settings are printed against the
defaults: a check that the defaults are not far from what the development data would pick.

Usage:
    python -m benchmarks.actor_ablation [EVAL_DIR] [--grid]
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from benchmarks.actors_eval import NamedActor, Ranker, baseline_actors, evaluate_actors, gold_actors
from benchmarks.quality import read_jsonl
from summaries import Analyzer
from summaries.actors import ActorOptions, ReferentOptions, find_referents, rank_actors

#: (label, referent options, salience options) of every row after the full finder.
_REFERENTS = ReferentOptions()
_SALIENCE = ActorOptions()
VARIANTS: tuple[tuple[str, ReferentOptions, ActorOptions], ...] = (
    ("newsdigest (all parts)", _REFERENTS, _SALIENCE),
    ("without acronym merging", replace(_REFERENTS, acronyms=False), _SALIENCE),
    ("without surname/short-form merging", replace(_REFERENTS, short_forms=False), _SALIENCE),
    (
        "without shared surnames by recency",
        replace(_REFERENTS, shared_short_forms=False),
        _SALIENCE,
    ),
    ("without untagged surnames", replace(_REFERENTS, untagged_surnames=False), _SALIENCE),
    ("without office mentions", replace(_REFERENTS, roles=False), _SALIENCE),
    ("without country folding", replace(_REFERENTS, countries=False), _SALIENCE),
    ("without untagged agents", replace(_REFERENTS, untagged_agents=False), _SALIENCE),
    ("without repeated names", replace(_REFERENTS, repeated_names=False), _SALIENCE),
    ("without the things rule", replace(_REFERENTS, things=False), _SALIENCE),
    (
        "without any issue-20 rule",
        replace(
            _REFERENTS,
            countries=False,
            untagged_agents=False,
            repeated_names=False,
            things=False,
        ),
        _SALIENCE,
    ),
    ("without mention count", _REFERENTS, replace(_SALIENCE, mention_weight=0.0)),
    ("without first-mention position", _REFERENTS, replace(_SALIENCE, position_weight=0.0)),
    ("without title presence", _REFERENTS, replace(_SALIENCE, title_weight=0.0)),
    ("without summary presence", _REFERENTS, replace(_SALIENCE, summary_weight=0.0)),
    (
        "without kind factors (people, groups)",
        _REFERENTS,
        replace(_SALIENCE, person_factor=1.0, group_factor=1.0),
    ),
)


def prepare(analyzer: Analyzer, records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each record with its prepared article and its default summary's character spans."""
    prepared = []
    for record in records:
        article = analyzer.prepare(record["text"])
        chosen = analyzer.choose(article, 3, "newsdigest")
        spans = [(article.units[i].start, article.units[i].end) for i in chosen]
        gold = gold_actors(analyzer.nlp, record["reference"])
        prepared.append({**record, "article": article, "spans": spans, "gold": gold})
    return prepared


def ranker(referent_options: ReferentOptions, options: ActorOptions) -> Ranker:
    """An `actors_eval` ranker that re-ranks (and, if its options differ, re-finds) the actors."""

    def rank(_: Analyzer, record: dict[str, Any]) -> list[NamedActor]:
        article = record["article"]
        referents = (
            article.referents  # the pipeline found them once already, with the defaults
            if referent_options == _REFERENTS
            else find_referents(article.doc, referent_options)
        )
        actors = rank_actors(
            referents, title=article.title, summary_spans=record["spans"], options=options
        )
        return [(actor.name, actor.aliases) for actor in actors]

    return rank


#: Values tried per salience weight by `--grid`, in ActorOptions field order.
GRID: tuple[tuple[float, ...], ...] = (
    (0.5, 1.0, 1.5),
    (0.5, 1.0, 2.0),
    (0.5, 1.0, 2.0),
    (0.5, 1.0, 2.0, 3.0),
    (1.0, 1.2, 1.5),
    (0.3, 0.5, 0.8),
)


def grid(analyzer: Analyzer, records: Sequence[dict[str, Any]], best: int = 5) -> list[str]:
    """Markdown rows: the default weights, then the best settings of the grid."""

    def recall(options: ActorOptions) -> float:
        return evaluate_actors(analyzer, records, ranker(_REFERENTS, options))["recall_micro_names"]

    tried = [(recall(ActorOptions(*values)), values) for values in itertools.product(*GRID)]
    tried.sort(key=lambda pair: -pair[0])
    rows = ["| weights (mention, position, title, summary, person, group) | recall@5 (names) |"]
    rows.append("|---|---|")
    rows.append(f"| defaults | {recall(ActorOptions()):.4f} |")
    rows += [f"| {values} | {score:.4f} |" for score, values in tried[:best]]
    rows.append(f"\n{len(tried)} settings tried")
    return rows


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
    for label, referent_options, options in VARIANTS:
        figures = evaluate_actors(analyzer, records, ranker(referent_options, options))
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
    parser.add_argument("--grid", action="store_true", help="sweep the salience weights instead")
    args = parser.parse_args(argv)
    path = args.eval_dir / "summaries" / "cnndm-dev.jsonl"
    if not path.is_file():
        print(f"evaluation data not found at {path}", file=sys.stderr)
        return 2
    records = read_jsonl(path)
    analyzer = Analyzer.load()
    prepared = prepare(analyzer, records)
    print("\n".join(grid(analyzer, prepared) if args.grid else table(analyzer, prepared)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

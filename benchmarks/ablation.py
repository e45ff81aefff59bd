"""What each component of the default ranker adds: ROUGE with one component switched off at a time.

Every variant is the default `RankerOptions` with one part removed (its weight set to zero in
both regimes, or the regime rule changed), run in the same process on the same prepared articles
as `benchmarks.quality`; LEAD is the reference row.

Usage:
    python -m benchmarks.ablation [EVAL_DIR] [--bbc-limit N]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from benchmarks.quality import (
    SummaryItem,
    prepare_bbc,
    prepare_cnndm,
    read_jsonl,
    rouge_means,
)
from summaries import AnalyzeOptions, Analyzer, RankerOptions

#: Score components, by the ScoreWeights fields that make them.
COMPONENTS: dict[str, tuple[str, ...]] = {
    "position prior": ("position",),
    "centroid rating": ("centroid",),
    "sumy centrality (Luhn, Reduction)": ("lexrank", "textrank", "luhn", "reduction"),
    "title coverage": ("title",),
    "actor coverage": ("actors",),
    "question/quote penalties": ("penalty",),
    "redundancy control (MMR)": ("redundancy",),
}


def without(options: RankerOptions, names: Sequence[str]) -> RankerOptions:
    """The options with the given weights set to zero in both regimes."""
    zero = {name: 0.0 for name in names}
    return replace(
        options, lead=replace(options.lead, **zero), coverage=replace(options.coverage, **zero)
    )


def variants() -> list[tuple[str, RankerOptions]]:
    """The default ranker, each component removed in turn, and the two regimes alone."""
    default = RankerOptions()
    rows = [("newsdigest (all components)", default)]
    rows += [(f"without {name}", without(default, parts)) for name, parts in COMPONENTS.items()]
    rows.append(("lead regime only", replace(default, coverage=default.lead)))
    rows.append(("coverage regime only", replace(default, lead=default.coverage)))
    rows.append(
        ("regime by share only (no minimum length)", replace(default, coverage_min_sentences=0))
    )
    return rows


def chooser(analyzer: Analyzer, ranker: RankerOptions) -> Callable[[SummaryItem], Sequence[int]]:
    """The default ranker's choice with other options, on the analyzer's spaCy pipeline."""
    engine = Analyzer(analyzer.nlp, replace(analyzer.options, ranker=ranker))
    return lambda item: engine.choose(item.article, item.count, "newsdigest")


def table(analyzer: Analyzer, name: str, items: Sequence[SummaryItem]) -> list[str]:
    """Markdown rows: LEAD, then every variant, with its difference to the full ranker."""
    rows = [
        f"\n### {name} ({len(items)} articles)\n",
        "| variant | ROUGE-1 | ROUGE-2 | ROUGE-Lsum | Δ R-1 | Δ R-2 | Δ R-Lsum |",
        "|---|---|---|---|---|---|---|",
    ]
    lead = rouge_means(items, lambda item: analyzer.choose(item.article, item.count, "lead"))
    rows.append(
        f"| lead | {lead['rouge1']:.2f} | {lead['rouge2']:.2f} | {lead['rougeLsum']:.2f} | | | |"
    )
    full: dict[str, float] = {}
    for label, ranker in variants():
        means = rouge_means(items, chooser(analyzer, ranker))
        full = full or means
        deltas = " | ".join(f"{means[k] - full[k]:+.2f}" for k in ("rouge1", "rouge2", "rougeLsum"))
        rows.append(
            f"| {label} | {means['rouge1']:.2f} | {means['rouge2']:.2f} | "
            f"{means['rougeLsum']:.2f} | {deltas} |"
        )
        print(rows[-1], file=sys.stderr, flush=True)
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Print the ablation tables as Markdown."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", default="../shared/eval", type=Path)
    parser.add_argument("--bbc-limit", type=int, default=None, help="first N BBC articles only")
    args = parser.parse_args(argv)
    folder = args.eval_dir / "summaries"
    if not (folder / "cnndm-dev.jsonl").is_file():
        print(
            f"evaluation data not found at {args.eval_dir} (give the eval folder)", file=sys.stderr
        )
        return 2
    analyzer = Analyzer.load(options=AnalyzeOptions())
    cnndm = prepare_cnndm(analyzer, read_jsonl(folder / "cnndm-dev.jsonl"))
    bbc = prepare_bbc(analyzer, read_jsonl(folder / "bbc-dev.jsonl", args.bbc_limit))
    lines = ["## Ablation", *table(analyzer, "CNN/DM, 3 sentences", cnndm)]
    lines += table(analyzer, "BBC, reference length", bbc)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Digest quality on ../shared/eval: summaries (ROUGE), actors (recall@5) and dates (span/value F1).

Every summariser runs on the same articles and the same sentence split (the pipeline's own
`Analyzer.prepare`), so the table compares rankers and nothing else.

Usage:
    python -m benchmarks.quality [EVAL_DIR] [--bbc-limit N] [--only summaries,actors,dates]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from summaries import ALGORITHMS, Analyzer
from summaries.pipeline import PreparedArticle

ROUGE_TYPES = ("rouge1", "rouge2", "rougeLsum")
_BBC_SENTENCE_JOIN = re.compile(r'(?<=[.!?"])(?=[A-Z"\'])')


@dataclass(frozen=True)
class SummaryItem:
    """One evaluation article: its prepared form, reference and summary length."""

    item_id: str
    article: PreparedArticle
    reference: str
    count: int


def read_jsonl(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """The first `limit` records of a JSON-lines file."""
    with path.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return records[:limit] if limit else records


def bbc_reference_sentences(reference: str) -> list[str]:
    """BBC references run sentences together with no space after the full stop; split them."""
    return [part.strip() for part in _BBC_SENTENCE_JOIN.split(reference) if part.strip()]


def prepare_cnndm(analyzer: Analyzer, records: Iterable[dict[str, Any]]) -> list[SummaryItem]:
    """CNN/DM: 3 sentences, reference highlights one per line, no title."""
    return [SummaryItem(r["id"], analyzer.prepare(r["text"]), r["reference"], 3) for r in records]


def prepare_bbc(analyzer: Analyzer, records: Iterable[dict[str, Any]]) -> list[SummaryItem]:
    """BBC: the reference's own sentence count; the title is given to every ranker."""
    items = []
    for record in records:
        sentences = bbc_reference_sentences(record["reference"])
        article = analyzer.prepare(record["text"], title=record.get("title"))
        items.append(SummaryItem(record["id"], article, "\n".join(sentences), len(sentences)))
    return items


def summary_text(item: SummaryItem, indices: Sequence[int]) -> str:
    """The chosen sentences, one per line (rougeLsum splits on newlines)."""
    return "\n".join(item.article.units[i].text for i in indices)


def _choose(analyzer: Analyzer, item: SummaryItem, *, algorithm: str) -> list[int]:
    return analyzer.choose(item.article, item.count, algorithm)


def rouge_means(
    items: Sequence[SummaryItem], choose: Callable[[SummaryItem], Sequence[int]]
) -> dict[str, float]:
    """Mean ROUGE F1 (x100, stemming on) of one ranker over the items."""
    # Imported here: the actor and date sections (and the actor benchmarks that import this
    # module) run without the `bench` extra.
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    totals = dict.fromkeys(ROUGE_TYPES, 0.0)
    for item in items:
        scores = scorer.score(item.reference, summary_text(item, choose(item)))
        for kind in ROUGE_TYPES:
            totals[kind] += scores[kind].fmeasure
    return {kind: 100 * total / max(len(items), 1) for kind, total in totals.items()}


def summary_table(analyzer: Analyzer, name: str, items: Sequence[SummaryItem]) -> list[str]:
    """Markdown rows: every algorithm on the same items, with its ratio to LEAD."""
    rows = [
        f"\n### {name} ({len(items)} articles)\n",
        "| algorithm | ROUGE-1 | ROUGE-2 | ROUGE-Lsum | R-1 / LEAD | seconds |",
        "|---|---|---|---|---|---|",
    ]
    lead: dict[str, float] = {}
    # LEAD first, so that every row, ours included, carries its ratio to LEAD.
    for algorithm in sorted(ALGORITHMS, key=lambda name: name != "lead"):
        started = time.perf_counter()
        means = rouge_means(items, partial(_choose, analyzer, algorithm=algorithm))
        elapsed = time.perf_counter() - started
        lead = lead or means if algorithm == "lead" else lead
        ratio = means["rouge1"] / lead["rouge1"] if lead else float("nan")
        rows.append(
            f"| {algorithm} | {means['rouge1']:.2f} | {means['rouge2']:.2f} | "
            f"{means['rougeLsum']:.2f} | {ratio:.3f} | {elapsed:.1f} |"
        )
        print(rows[-1], file=sys.stderr, flush=True)
    return rows


def summaries_section(analyzer: Analyzer, eval_dir: Path, bbc_limit: int | None) -> list[str]:
    """ROUGE tables for CNN/DM (3 sentences) and BBC (reference length)."""
    folder = eval_dir / "summaries"
    cnndm = prepare_cnndm(analyzer, read_jsonl(folder / "cnndm-dev.jsonl"))
    bbc = prepare_bbc(analyzer, read_jsonl(folder / "bbc-dev.jsonl", bbc_limit))
    return [
        "## Summaries",
        *summary_table(analyzer, "CNN/DM, 3 sentences", cnndm),
        *summary_table(analyzer, "BBC, reference length", bbc),
    ]


def actors_section(analyzer: Analyzer, eval_dir: Path) -> list[str]:
    """Actor recall@5 on CNN/DM reference entities, ours vs spaCy entity frequency."""
    from benchmarks.actors_eval import table

    records = read_jsonl(eval_dir / "summaries" / "cnndm-dev.jsonl")
    return ["\n## Key actors (CNN/DM references, recall@5)\n", *table(analyzer, records, top=5)]


def dates_section(analyzer: Analyzer, eval_dir: Path) -> list[str]:
    """TIMEX3 DATE span and value F1 on TimeBank + AQUAINT, ours vs spaCy DATE + dateparser."""
    from benchmarks.dates_eval import baseline_dates, evaluate_dates

    folder = eval_dir / "dates"
    docs = [
        *read_jsonl(folder / "timebank.timexes.jsonl"),
        *read_jsonl(folder / "aquaint.timexes.jsonl"),
    ]
    ours = evaluate_dates(analyzer.nlp, docs)
    base = evaluate_dates(analyzer.nlp, docs, find=baseline_dates)
    rows = [
        f"\n## Dates (TimeBank + AQUAINT, {len(docs)} documents, TIMEX3 DATE)\n",
        "| system | span P | span R | span F1 | value P | value R | value F1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, figures in (("spaCy DATE + dateparser", base), ("newsdigest", ours)):
        rows.append(
            f"| {name} | {figures['span_p']:.3f} | {figures['span_r']:.3f} | "
            f"{figures['span_f1']:.3f} | {figures['value_p']:.3f} | {figures['value_r']:.3f} | "
            f"{figures['value_f1']:.3f} |"
        )
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Print the quality tables as Markdown."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", default="../shared/eval", type=Path)
    parser.add_argument("--bbc-limit", type=int, default=None, help="first N BBC articles only")
    parser.add_argument("--only", default="summaries,actors,dates")
    args = parser.parse_args(argv)
    if not (args.eval_dir / "README.md").is_file():
        print(
            f"evaluation data not found at {args.eval_dir} (give the eval folder)", file=sys.stderr
        )
        return 2
    analyzer = Analyzer.load()
    sections = set(args.only.split(","))
    lines = [f"# Quality (`python -m benchmarks.quality {' '.join(argv or sys.argv[1:])}`)"]
    if "summaries" in sections:
        lines += summaries_section(analyzer, args.eval_dir, args.bbc_limit)
    if "actors" in sections:
        lines += actors_section(analyzer, args.eval_dir)
    if "dates" in sections:
        lines += dates_section(analyzer, args.eval_dir)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())

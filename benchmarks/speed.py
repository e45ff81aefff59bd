"""Speed of `analyze` against a bare spaCy pass over the same texts, in the same run.

The bare pass is tok2vec + senter + ner, article by article; `analyze` (what `newsdigest analyze
--jsonl` runs for each record) adds cleaning, the tagger, ranking, actors and dates, all on its
one spaCy pass. Each side runs in a fresh child process (so its peak memory is its
own), alternating, and the best of the repeats counts: absolute times on a shared machine are noisy,
the ratio is the figure.

Usage:
    python -m benchmarks.speed [EVAL_DIR] [--articles N] [--repeats R]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import spacy

from summaries import Analyzer
from summaries.nlp import DEFAULT_MODELS


def load_texts(eval_dir: Path, count: int) -> list[str]:
    """CNN/DM articles first, then BBC ones, up to `count` texts."""
    texts: list[str] = []
    for name in ("cnndm-dev.jsonl", "bbc-dev.jsonl"):
        with (eval_dir / "summaries" / name).open(encoding="utf-8") as handle:
            texts += [json.loads(line)["text"] for line in handle if line.strip()]
    return texts[:count]


def run_bare(texts: list[str]) -> tuple[float, int]:
    """Seconds for a bare tok2vec + senter + ner pass, and the child's peak RSS in KiB."""
    from importlib.util import find_spec

    name = next(model for model in DEFAULT_MODELS if find_spec(model))
    nlp = spacy.load(name, exclude=["parser", "lemmatizer", "tagger", "attribute_ruler"])
    nlp.enable_pipe("senter")
    nlp(texts[0])
    started = time.perf_counter()
    for text in texts:
        nlp(text)
    return time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_analyze(texts: list[str]) -> tuple[float, int]:
    """Seconds for `Analyzer.analyze` on every text, and the child's peak RSS in KiB."""
    analyzer = Analyzer.load()
    analyzer.analyze(text=texts[0])
    started = time.perf_counter()
    for text in texts:
        analyzer.analyze(text=text)
    return time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def in_child(function: object, texts: list[str]) -> tuple[float, int]:
    """Run one side in a fresh process so that its memory peak is measured alone."""
    with ProcessPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, texts).result()  # type: ignore[arg-type]


def main(argv: Sequence[str] | None = None) -> int:
    """Print a Markdown table: articles per second, ratio to bare spaCy, peak memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", default="../shared/eval", type=Path)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args(argv)
    if not (args.eval_dir / "summaries").is_dir():
        print(
            f"evaluation data not found at {args.eval_dir} (give the eval folder)", file=sys.stderr
        )
        return 2
    texts = load_texts(args.eval_dir, args.articles)
    best: dict[str, tuple[float, int]] = {}
    for _ in range(args.repeats):
        for name, function in (
            ("bare spaCy (tok2vec+senter+ner)", run_bare),
            ("analyze", run_analyze),
        ):
            seconds, rss = in_child(function, texts)
            previous = best.get(name)
            best[name] = (
                (min(seconds, previous[0]), max(rss, previous[1])) if previous else (seconds, rss)
            )
    words = sum(len(text.split()) for text in texts)
    base_rate = len(texts) / best["bare spaCy (tok2vec+senter+ner)"][0]
    print(f"{len(texts)} articles, {words:,} words, best of {args.repeats} alternating runs\n")
    print("| pipeline | articles/s | ratio to bare spaCy | peak RSS (MiB) |")
    print("|---|---|---|---|")
    for name, (seconds, rss) in best.items():
        rate = len(texts) / seconds
        print(f"| {name} | {rate:.2f} | {rate / base_rate:.3f} | {rss / 1024:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

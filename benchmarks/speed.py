"""Speed of `analyze` against a bare spaCy pass over the same texts, in the same run.

The bare pass is tok2vec + senter + ner, article by article; `analyze` (what `newsdigest analyze
--jsonl` runs for each record) adds cleaning, the tagger, ranking, actors and dates, all on its
one spaCy pass.

Two measurements, both printed:

- Interleaved (the figure to quote): both sides loaded in one child process and run article by
  article, taking turns (which goes first alternates), timed in CPU seconds of the process.
  Other load on a shared machine slows both sides alike at that grain, and CPU time leaves out
  the time the process waits for a core, so the ratio holds still where wall-clock runs swing.
  Each repeat gives a ratio; the median is reported with the range.
- Separate processes: each side in a fresh child (so its peak memory is its own), alternating,
  best of the repeats, in wall-clock seconds, as before.

Usage:
    python -m benchmarks.speed [EVAL_DIR] [--articles N] [--repeats R]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from statistics import median

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


BARE = "bare spaCy (tok2vec+senter+ner)"
ANALYZE = "analyze"


def bare_pipeline() -> spacy.language.Language:
    """The bare pass: the default English model with only tok2vec, senter and ner running."""
    from importlib.util import find_spec

    name = next(model for model in DEFAULT_MODELS if find_spec(model))
    nlp = spacy.load(name, exclude=["parser", "lemmatizer", "tagger", "attribute_ruler"])
    nlp.enable_pipe("senter")
    return nlp


def run_bare(texts: list[str]) -> tuple[float, int]:
    """Seconds for a bare tok2vec + senter + ner pass, and the child's peak RSS in KiB."""
    nlp = bare_pipeline()
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


def run_interleaved(texts: list[str]) -> dict[str, tuple[float, float]]:
    """CPU and wall seconds of each side, both in this process, taking turns article by article."""
    nlp = bare_pipeline()
    analyzer = Analyzer.load()
    sides: list[tuple[str, Callable[[str], object]]] = [
        (BARE, nlp),
        (ANALYZE, lambda text: analyzer.analyze(text=text)),
    ]
    for _, run in sides:
        run(texts[0])
    cpu = dict.fromkeys((BARE, ANALYZE), 0.0)
    wall = dict.fromkeys((BARE, ANALYZE), 0.0)
    for index, text in enumerate(texts):
        # Which side goes first alternates, so neither always meets the other's warm caches.
        for name, run in sides if index % 2 == 0 else sides[::-1]:
            started_cpu, started_wall = time.process_time(), time.perf_counter()
            run(text)
            cpu[name] += time.process_time() - started_cpu
            wall[name] += time.perf_counter() - started_wall
    return {name: (cpu[name], wall[name]) for name in cpu}


def in_child(function: object, texts: list[str]) -> tuple[float, int]:
    """Run one side in a fresh process so that its memory peak is measured alone."""
    with ProcessPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, texts).result()  # type: ignore[arg-type]


def interleaved_table(texts: list[str], repeats: int) -> list[str]:
    """Lines of the interleaved table: CPU-time ratios of `repeats` runs, each in a fresh child."""
    ratios: list[float] = []
    wall_ratios: list[float] = []
    rates: list[tuple[float, float]] = []
    for _ in range(repeats):
        with ProcessPoolExecutor(max_workers=1) as pool:
            times = pool.submit(run_interleaved, texts).result()
        ratios.append(times[BARE][0] / times[ANALYZE][0])
        wall_ratios.append(times[BARE][1] / times[ANALYZE][1])
        rates.append((len(texts) / times[BARE][0], len(texts) / times[ANALYZE][0]))
    bare_rate, analyze_rate = (median(side) for side in zip(*rates, strict=True))
    return [
        f"Interleaved in one process, CPU time, {repeats} runs (median; range in brackets)\n",
        "| pipeline | articles per CPU second | ratio to bare spaCy | wall-clock ratio |",
        "|---|---|---|---|",
        f"| {BARE} | {bare_rate:.2f} | 1.000 | 1.000 |",
        f"| {ANALYZE} | {analyze_rate:.2f} | {median(ratios):.3f} "
        f"({min(ratios):.3f}-{max(ratios):.3f}) | {median(wall_ratios):.3f} "
        f"({min(wall_ratios):.3f}-{max(wall_ratios):.3f}) |",
    ]


def separate_table(texts: list[str], repeats: int) -> list[str]:
    """Lines of the separate-process table: wall-clock, best of `repeats`, with peak memory."""
    best: dict[str, tuple[float, int]] = {}
    for _ in range(repeats):
        for name, function in ((BARE, run_bare), (ANALYZE, run_analyze)):
            seconds, rss = in_child(function, texts)
            previous = best.get(name)
            best[name] = (
                (min(seconds, previous[0]), max(rss, previous[1])) if previous else (seconds, rss)
            )
    base_rate = len(texts) / best[BARE][0]
    lines = [
        f"Separate processes, wall clock, best of {repeats} alternating runs\n",
        "| pipeline | articles/s | ratio to bare spaCy | peak RSS (MiB) |",
        "|---|---|---|---|",
    ]
    for name, (seconds, rss) in best.items():
        rate = len(texts) / seconds
        lines.append(f"| {name} | {rate:.2f} | {rate / base_rate:.3f} | {rss / 1024:.0f} |")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Print two Markdown tables: interleaved CPU-time ratios, then separate runs with memory."""
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
    words = sum(len(text.split()) for text in texts)
    print(f"{len(texts)} articles, {words:,} words\n")
    print("\n".join(interleaved_table(texts, args.repeats)))
    print()
    print("\n".join(separate_table(texts, args.repeats)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

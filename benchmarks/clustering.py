"""Story clustering quality: pairwise precision, recall and F1 on ../shared/eval.

First table: real cross-outlet stories (eval/clusters: BASIL, ECB+, AllSides), fed through the
bot's own ingestion as `benchmarks.cluster_sets` describes, the default against issue 4's method
and one ablation row per change; then the per-article clustering time with 10,000 stories in the
window (`benchmarks.cluster_timing`).

Second table (synthetic): every CNN/DM article is fed as two items from two outlets: the article
and a variant of it (by default its second half, at a sentence boundary; `--variant halves` pairs
the first half with the second, which share no sentence). BBC articles are fed as unrelated items
from a third outlet. All items go through the bot's real ingestion path (analyzer, clustering,
store) with the same publication time, in a seeded random order. Gold: each article with its
variant is one story, every BBC article its own. A pair counts as predicted when both items land in
the same story.

Usage:
    python -m benchmarks.clustering [EVAL_DIR] [--unrelated N] [--variant second-half|halves]
        [--only real|synthetic]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from itertools import combinations
from pathlib import Path

from benchmarks import cluster_sets, cluster_timing
from benchmarks.cluster_sets import recluster, recluster_baseline
from bot.clock import FakeClock
from bot.domain import Article
from bot.fakes import MemoryFeedSource
from bot.news.clustering import ClusterOptions
from bot.news.ingest import IngestOptions, Ingestor
from bot.ports import FeedEntry
from bot.store.memory import MemoryStore
from summaries import Analyzer

WHEN = datetime(2015, 4, 3, 12, 0, tzinfo=UTC)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z‘“'\"])")


@dataclass(frozen=True)
class Item:
    """One article fed to the bot, with its gold story."""

    key: str
    gold: str
    outlet: str
    text: str


def halves(text: str) -> tuple[str, str]:
    """The text split at the sentence boundary nearest its middle."""
    cuts = [match.end() for match in _SENTENCE_END.finditer(text)]
    if not cuts:
        middle = len(text) // 2
        return text[:middle], text[middle:]
    cut = min(cuts, key=lambda position: abs(position - len(text) / 2))
    return text[:cut].strip(), text[cut:].strip()


def load_items(eval_dir: Path, unrelated: int, variant: str) -> list[Item]:
    """CNN/DM pairs and BBC singletons."""
    items: list[Item] = []
    for record in _records(eval_dir / "summaries" / "cnndm-dev.jsonl"):
        first, second = halves(record["text"])
        original = first if variant == "halves" else record["text"]
        items.append(Item(record["id"] + "/a", record["id"], "cnn-a.example", original))
        items.append(Item(record["id"] + "/b", record["id"], "cnn-b.example", second))
    bbc = _records(eval_dir / "summaries" / "bbc-dev.jsonl")
    step = max(1, len(bbc) // max(unrelated, 1))
    for record in bbc[::step][:unrelated]:
        items.append(Item(record["id"], record["id"], "bbc.example", record["text"]))
    return items


def _records(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


async def ingest(items: list[Item], analyzer: Analyzer, seed: int) -> list[Article]:
    """Feed every item through the real ingestion path, one poll per item, in a seeded order."""
    order = items[:]
    random.Random(seed).shuffle(order)
    clock = FakeClock(WHEN)
    store, source = MemoryStore(), MemoryFeedSource()
    ingestor = Ingestor(store, source, analyzer, clock, IngestOptions(max_items=1))
    stored: list[Article] = []
    for item in order:
        url = f"https://{item.outlet}/{item.key}"
        source.put(url + "/feed", [FeedEntry(url, None, item.key, WHEN, content=item.text)])
        feed = await store.ensure_feed(url + "/feed", timedelta(minutes=15), clock.now())
        stored += (await ingestor.poll(feed)).articles
    return stored


def pairwise(gold: dict[str, str], predicted: dict[str, int]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of a clustering."""
    true_pairs = _pairs(gold)
    found_pairs = _pairs(predicted)
    hits = len(true_pairs & found_pairs)
    precision = hits / len(found_pairs) if found_pairs else 1.0
    recall = hits / len(true_pairs) if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _pairs(labels: Mapping[str, Hashable]) -> set[tuple[str, str]]:
    groups: dict[Hashable, list[str]] = {}
    for key, label in labels.items():
        groups.setdefault(label, []).append(key)
    return {pair for keys in groups.values() for pair in combinations(sorted(keys), 2)}


def main(argv: Sequence[str] | None = None) -> int:
    """Print the real-set table and timing, then the synthetic table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", default="../shared/eval", type=Path)
    parser.add_argument("--unrelated", type=int, default=300, help="BBC articles added")
    parser.add_argument("--variant", choices=("second-half", "halves"), default="second-half")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--only", choices=("real", "synthetic"), default=None)
    args = parser.parse_args(argv)
    needed = [args.eval_dir / "clusters", args.eval_dir / "summaries"]
    missing = [str(folder) for folder in needed if not folder.is_dir()]
    if missing:
        print(
            f"evaluation data not found: {', '.join(missing)} (give the eval folder)",
            file=sys.stderr,
        )
        return 2
    analyzer = Analyzer.load()
    if args.only != "synthetic":
        real_sets(args.eval_dir / "clusters", analyzer, args.seed)
    if args.only != "real":
        synthetic(args, analyzer)
    return 0


def real_sets(folder: Path, analyzer: Analyzer, seed: int) -> None:
    """The real cross-outlet table, its ablation rows and the timing at 10,000 stories."""
    default = ClusterOptions()
    stored: list[Article] = []
    print("### Real cross-outlet stories\n")
    print("| set | options | pairwise precision | recall | F1 | B-cubed F1 |")
    print("|---|---|---|---|---|---|")
    for name in cluster_sets.SETS:
        items = cluster_sets.load_set(folder / name, seed)
        gold = {item.key: item.gold for item in items}
        started = time.perf_counter()
        articles = asyncio.run(cluster_sets.ingest(items, analyzer, default))
        seconds = time.perf_counter() - started
        stored += articles
        found = cluster_sets.scores(gold, cluster_sets.stories_of(articles))
        label = f"{name} ({len(items)} articles, {len(set(gold.values()))} stories)"
        print(f"| {label} | **default, ingestion path** ({seconds:.0f} s) | {found.cells()} |")
        for row, method in cluster_sets.ablations(default):
            print(f"| {name} | {row} | {cluster_sets.scores(gold, method(articles)).cells()} |")
    print("\n### Per-article clustering time, 10,000 stories in the window")
    print("\n".join(cluster_timing.timings(stored, 10_000, default, baseline_sample=20)))


def synthetic(args: argparse.Namespace, analyzer: Analyzer) -> None:
    """The synthetic table: CNN/DM article and its variant, BBC articles unrelated."""
    items = load_items(args.eval_dir, args.unrelated, args.variant)
    gold = {item.key: item.gold for item in items}
    started = time.perf_counter()
    articles = asyncio.run(ingest(items, analyzer, args.seed))
    seconds = time.perf_counter() - started
    predicted = {article.guid or article.url: article.story_id for article in articles}
    sizes = Counter(Counter(predicted.values()).values())
    pairs = (len(items) - args.unrelated) // 2
    print(
        f"\n### Synthetic: an article and its own variant\n\n"
        f"{len(items)} items ({pairs} CNN/DM pairs, variant {args.variant}; "
        f"{args.unrelated} BBC), ingested in {seconds:.1f} s; "
        f"story sizes {dict(sorted(sizes.items()))}\n"
    )
    print("| options | pairwise precision | recall | F1 |")
    print("|---|---|---|---|")
    _row("bot default (ingestion path)", pairwise(gold, predicted))
    _row("issue 4 method, re-clustered", pairwise(gold, recluster_baseline(articles)))
    default = ClusterOptions()
    text_only = replace(default, actor_weight=0, lead_weight=0)
    _row("whole text only", pairwise(gold, recluster(articles, text_only)))
    no_outlet = replace(default, same_outlet=0.0)
    _row("no same-outlet discount", pairwise(gold, recluster(articles, no_outlet)))
    for threshold in (0.2, 0.22, 0.26, 0.3):
        options = replace(default, threshold=threshold)
        _row(f"threshold {threshold}", pairwise(gold, recluster(articles, options)))


def _row(name: str, figures: tuple[float, float, float]) -> None:
    precision, recall, f1 = figures
    print(f"| {name} | {precision:.3f} | {recall:.3f} | {f1:.3f} |")


if __name__ == "__main__":
    sys.exit(main())

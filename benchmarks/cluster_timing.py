"""Per-article clustering time with 10,000 stories in the window, against issue 4's method.

The window is filled with the stored features of the real development articles, each copy under
its own story id and article id (so 1,407 articles make 10,000 stories after 7.1 rounds), all
published inside the day. Every real article is then placed against that window; the median and
95th percentile of the time `StoryIndex.best_story` takes are reported, beside issue 4's method
(IDF recomputed over the whole window per article, every article compared) on a sample.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from benchmarks import cluster_baseline
from bot.domain import Article
from bot.news.clustering import ClusterOptions
from bot.news.story_index import StoryIndex


def window_of(articles: Sequence[Article], stories: int) -> list[Article]:
    """`stories` one-article stories made of copies of `articles`, each with its own ids."""
    return [
        replace(articles[number % len(articles)], id=number + 1, story_id=number + 1)
        for number in range(stories)
    ]


def timings(
    articles: Sequence[Article], stories: int, options: ClusterOptions, baseline_sample: int
) -> list[str]:
    """Lines of the timing table."""
    window = window_of(articles, stories)
    started = time.perf_counter()
    index = StoryIndex(options)
    index.sync(window)
    built = time.perf_counter() - started
    ours = _each(lambda article: index.best_story(article), articles)
    sample = articles[:: max(1, len(articles) // baseline_sample)][:baseline_sample]
    theirs = _each(lambda article: cluster_baseline.best_story(article, window), sample)
    ratio = statistics.median(theirs) / statistics.median(ours)
    return [
        f"\nWindow: {stories:,} stories ({len(index):,} articles); index built in {built:.1f} s "
        "(once per process; then one article at a time).\n",
        "| method | articles timed | median ms per article | p95 ms |",
        "|---|---|---|---|",
        f"| StoryIndex (default) | {len(ours)} | {_ms(statistics.median(ours))} "
        f"| {_ms(_p95(ours))} |",
        f"| issue 4 method (full scan) | {len(theirs)} | {_ms(statistics.median(theirs))} "
        f"| {_ms(_p95(theirs))} |",
        f"\nissue 4 method / StoryIndex, median: {ratio:.0f}x",
    ]


def _each(place: Callable[[Article], object], articles: Sequence[Article]) -> list[float]:
    seconds: list[float] = []
    for article in articles:
        incoming = replace(article, id=0, story_id=0)
        started = time.perf_counter()
        place(incoming)
        seconds.append(time.perf_counter() - started)
    return seconds


def _p95(values: Sequence[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"

"""Real cross-outlet stories (../shared/eval/clusters): how the bot's stories match the human ones.

As the set's README describes the held-out check: every article goes through the bot's own
ingestion (analyzer, clustering, store), each outlet at its own host, the articles of one story
spread over different feeds, all publication times inside one busy day (seeded, ingested in
publication order). The stories formed are scored against the human grouping with pairwise
precision, recall and F1 and with B-cubed F1.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from itertools import combinations
from pathlib import Path

from benchmarks import cluster_baseline
from bot.clock import FakeClock
from bot.domain import Article
from bot.fakes import MemoryFeedSource
from bot.news.clustering import ClusterOptions
from bot.news.ingest import IngestOptions, Ingestor
from bot.news.story_index import StoryIndex
from bot.ports import FeedEntry
from bot.store.memory import MemoryStore
from summaries import Analyzer

DAY = datetime(2021, 6, 15, 0, 0, tzinfo=UTC)
SETS = ("basil", "ecbplus", "allsides_neus")
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Item:
    """One real article as the bot is fed it.

    Attributes:
        key: Its id in the set (also the feed item's guid).
        gold: The human story it belongs to.
        host: The outlet's host.
        feed: The feed it is served in.
        title: Its headline.
        text: Its text.
        published: Its (invented) publication time inside the day.
    """

    key: str
    gold: str
    host: str
    feed: str
    title: str | None
    text: str
    published: datetime


@dataclass(frozen=True)
class Scores:
    """Pairwise precision, recall, F1 and B-cubed F1 of one clustering."""

    precision: float
    recall: float
    f1: float
    bcubed_f1: float

    def cells(self) -> str:
        """The four figures as table cells."""
        return f"{self.precision:.3f} | {self.recall:.3f} | {self.f1:.3f} | {self.bcubed_f1:.3f}"


def load_set(folder: Path, seed: int) -> list[Item]:
    """A set's articles, with hosts, feeds and publication times, in publication order."""
    with (folder / "articles.jsonl").open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    rng = random.Random(seed)
    rank_in_story: dict[str, int] = {}
    items: list[Item] = []
    for record in records:
        rank = rank_in_story[record["cluster"]] = rank_in_story.get(record["cluster"], -1) + 1
        host = _host(record)
        published = DAY + timedelta(seconds=rng.randrange(24 * 3600))
        # one feed per outlet and per place in the story: a story's articles never share a feed
        feed = f"https://{host}/feed/{rank}"
        title = record.get("title") or None
        items.append(
            Item(record["id"], record["cluster"], host, feed, title, record["text"], published)
        )
    return sorted(items, key=lambda item: (item.published, item.key))


def _host(record: Mapping[str, str | None]) -> str:
    """The outlet's own host: from its URL, else its name, else one host per unnamed article."""
    url = record.get("url") or ""
    if "://" in url:
        return url.split("/")[2].removeprefix("www.")
    outlet = _SLUG.sub("-", (record.get("outlet") or "").lower()).strip("-")
    return f"{outlet}.example" if outlet else f"outlet-{_SLUG.sub('-', record['id'] or '')}.example"


async def ingest(
    items: Sequence[Item], analyzer: Analyzer, options: ClusterOptions
) -> list[Article]:
    """Feed the items through the real ingestion path, one poll per item, in publication order."""
    clock = FakeClock(DAY)
    store, source = MemoryStore(), MemoryFeedSource()
    ingestor = Ingestor(store, source, analyzer, clock, IngestOptions(clustering=options))
    stored: list[Article] = []
    for item in items:
        clock.set(item.published + timedelta(minutes=5))
        url = f"https://{item.host}/{_SLUG.sub('-', item.key.lower())}"
        entry = FeedEntry(url, item.title, item.key, item.published, content=item.text)
        source.put(item.feed, [entry])
        feed = await store.ensure_feed(item.feed, timedelta(minutes=15), clock.now())
        stored += (await ingestor.poll(feed)).articles
    return stored


def scores(gold: Mapping[str, Hashable], predicted: Mapping[str, Hashable]) -> Scores:
    """Pairwise and B-cubed figures of `predicted` against `gold` (both keyed by item)."""
    true_pairs, found_pairs = _pairs(gold), _pairs(predicted)
    hits = len(true_pairs & found_pairs)
    precision = hits / len(found_pairs) if found_pairs else 1.0
    recall = hits / len(true_pairs) if true_pairs else 1.0
    return Scores(precision, recall, _f1(precision, recall), _bcubed_f1(gold, predicted))


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _pairs(labels: Mapping[str, Hashable]) -> set[tuple[str, str]]:
    groups = _groups(labels)
    return {pair for keys in groups.values() for pair in combinations(sorted(keys), 2)}


def _groups(labels: Mapping[str, Hashable]) -> dict[Hashable, set[str]]:
    groups: dict[Hashable, set[str]] = {}
    for key, label in labels.items():
        groups.setdefault(label, set()).add(key)
    return groups


def _bcubed_f1(gold: Mapping[str, Hashable], predicted: Mapping[str, Hashable]) -> float:
    gold_groups, found_groups = _groups(gold), _groups(predicted)
    precision = recall = 0.0
    for key in gold:
        true, found = gold_groups[gold[key]], found_groups[predicted[key]]
        shared = len(true & found)
        precision += shared / len(found)
        recall += shared / len(true)
    return _f1(precision / len(gold), recall / len(gold))


def stories_of(articles: Sequence[Article]) -> dict[str, int]:
    """Story id per item key (the feed item's guid)."""
    return {article.guid or article.url: article.story_id for article in articles}


Recluster = Callable[[Sequence[Article]], dict[str, int]]


def recluster(articles: Sequence[Article], options: ClusterOptions) -> dict[str, int]:
    """Story per item when the stored features are clustered again, in ingestion order."""
    index = StoryIndex(options)
    stories: dict[str, int] = {}
    for number, stored in enumerate(articles, start=1):
        article = replace(stored, story_id=0)
        match = index.best_story(article)
        story = match[0] if match else number
        index.add(number, replace(article, story_id=story))
        stories[article.guid or article.url] = story
    return stories


def recluster_baseline(articles: Sequence[Article]) -> dict[str, int]:
    """Story per item under issue 4's clustering (nearest article, whole-text cosine, 0.4)."""
    placed: list[Article] = []
    stories: dict[str, int] = {}
    for number, stored in enumerate(articles, start=1):
        article = replace(stored, story_id=0)
        match = cluster_baseline.best_story(article, placed)
        story = match[0] if match else number
        placed.append(replace(article, story_id=story))
        stories[article.guid or article.url] = story
    return stories


def ablations(default: ClusterOptions) -> list[tuple[str, Recluster]]:
    """The rows re-clustered from the stored features: the baseline, then one change each."""
    variants = {
        "no key actors (actor_weight 0)": replace(default, actor_weight=0.0),
        "no title-and-lead words (lead_weight 0)": replace(default, lead_weight=0.0),
        "whole text only (neither)": replace(default, actor_weight=0.0, lead_weight=0.0),
        "actors weighted 3x": replace(default, actor_weight=3.0),
        "no discount for disjoint people and places": replace(default, disjoint_actors=0.0),
        "no same-outlet discount (same_outlet 0)": replace(default, same_outlet=0.0),
        "same outlet never joins (same_outlet 1)": replace(default, same_outlet=1.0),
        "discount 0.3 for disjoint lead days (disjoint_dates 0.3)": replace(
            default, disjoint_dates=0.3
        ),
        "no discount for disjoint written lead dates (disjoint_written_dates 0)": replace(
            default, disjoint_written_dates=0.0
        ),
        "written dates anywhere in the text (written_dates_chars 0)": replace(
            default, written_dates_chars=0
        ),
        "single linkage (nearest article)": replace(default, linkage="single"),
        "every article a candidate (no index cut-off)": replace(
            default, candidates=10**9, common_share=1.0
        ),
        **{
            f"threshold {threshold}": replace(default, threshold=threshold)
            for threshold in (0.2, 0.24, 0.26, 0.28, 0.3)
        },
    }
    rows: list[tuple[str, Recluster]] = [("issue 4 method, re-clustered", recluster_baseline)]
    return rows + [
        (name, partial(recluster, options=options)) for name, options in variants.items()
    ]

"""Key actors on CNN/DailyMail: how many of the reference summary's named entities the top 5 find.

For each article, the people, organisations and places (spaCy PERSON/ORG/GPE) named in its reference
highlights are the gold actors. A gold actor is found when one of the article's top 5 actors
matches it: one name's words contain the other's ("Locke" ~ "Gary Locke"). `names` scores the
canonical names only; `aliases` lets an actor's aliases match too ("HHN" for Harakat Hezbollah
al-Nujaba). Micro recall is over all gold actors; macro recall averages per article.

`duplicates` is the share of top-5 lists that name one country twice: two of the five names are
forms of the same country (its name, capital, seat of government or demonym, by the country
table of `summaries.actor_countries`), such as "US" and "Washington" or "Iraq" and "Iraqi".

All rankers read the same cleaned text and the same spaCy pass. The baseline is plain spaCy
entity frequency (PERSON/ORG/GPE, ties broken by first mention); a middle row switches off the
referent rules of issue 20 (`BEFORE_ISSUE_20`); `benchmarks.actor_ablation` switches them off one
at a time.

Usage:
    python -m benchmarks.actors_eval [EVAL_DIR] [--top 5]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from benchmarks.quality import read_jsonl
from summaries import Analyzer
from summaries.actor_countries import country_forms, form_key
from summaries.actors import ReferentOptions, find_referents, rank_actors

#: An actor as the metric sees it: its canonical name and its aliases.
NamedActor = tuple[str, tuple[str, ...]]
Ranker = Callable[[Any, dict[str, Any]], list[NamedActor]]

GOLD_LABELS = ("PERSON", "ORG", "GPE")
_WORD = re.compile(r"\w+")


def words(name: str) -> frozenset[str]:
    """Lower-case words of a name, possessives dropped."""
    return frozenset(_WORD.findall(re.sub(r"['’]s\b", "", name.lower())))


def matches(gold: str, name: str) -> bool:
    """One name's words contain the other's."""
    a, b = words(gold), words(name)
    return bool(a and b) and (a <= b or b <= a)


def gold_actors(nlp: Language, reference: str) -> list[str]:
    """Distinct PERSON/ORG/GPE names in a reference summary."""
    seen: dict[frozenset[str], str] = {}
    for ent in nlp(reference.replace("\n", " ")).ents:
        if ent.label_ in GOLD_LABELS and words(ent.text):
            seen.setdefault(words(ent.text), ent.text)
    return list(seen.values())


def baseline_actors(doc: Doc) -> list[NamedActor]:
    """SpaCy entity frequency: PERSON/ORG/GPE texts by count, then by first mention."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for ent in doc.ents:
        if ent.label_ in GOLD_LABELS:
            counts[ent.text] += 1
            first.setdefault(ent.text, ent.start_char)
    ranked = sorted(counts, key=lambda text: (-counts[text], first[text]))
    return [(text, ()) for text in ranked]


def ours(analyzer: Analyzer, record: dict[str, Any]) -> list[NamedActor]:
    """The actors of the digest the product would post (summary presence included)."""
    digest = analyzer.analyze(text=record["text"])
    return [(actor.name, actor.aliases) for actor in digest.actors]


#: The referent rules of issue 20 switched off: country folding, untagged agents, repeated names
#: and the things rule (roles change no name, so recall does not see them).
BEFORE_ISSUE_20 = ReferentOptions(
    countries=False, untagged_agents=False, repeated_names=False, things=False
)


def without_issue_20(analyzer: Analyzer, record: dict[str, Any]) -> list[NamedActor]:
    """Ours with the issue-20 referent rules off, on the same pass and the same summary."""
    article = analyzer.prepare(record["text"])
    chosen = analyzer.choose(article, 3, "newsdigest")
    spans = [(article.units[i].start, article.units[i].end) for i in chosen]
    referents = find_referents(article.doc, BEFORE_ISSUE_20)
    actors = rank_actors(referents, title=article.title, summary_spans=spans)
    return [(actor.name, actor.aliases) for actor in actors]


def baseline(analyzer: Analyzer, record: dict[str, Any]) -> list[NamedActor]:
    """The baseline on the very spaCy pass our pipeline makes of the cleaned text."""
    return baseline_actors(analyzer.prepare(record["text"]).doc)


def evaluate_actors(
    analyzer: Analyzer,
    records: Sequence[dict[str, Any]],
    rank: Ranker = ours,
    top: int = 5,
) -> dict[str, float]:
    """Recall of reference actors among the top actors, by names only and with aliases."""
    found = {"names": 0, "aliases": 0}
    per_article: dict[str, list[float]] = {"names": [], "aliases": []}
    total = doubled = lists = 0
    for record in records:
        # A record may carry its gold actors already (the ablation scores one record many times).
        gold = record.get("gold") or gold_actors(analyzer.nlp, record["reference"])
        actors = rank(analyzer, record)[:top]
        lists += 1
        doubled += names_a_country_twice(name for name, _ in actors)
        if not gold:
            continue
        total += len(gold)
        for mode in found:
            hits = sum(_found(name, actors, with_aliases=mode == "aliases") for name in gold)
            found[mode] += hits
            per_article[mode].append(hits / len(gold))
    return {
        "gold": float(total),
        "duplicates": doubled / max(lists, 1),
        "lists": float(lists),
        **{f"recall_micro_{m}": found[m] / max(total, 1) for m in found},
        **{f"recall_macro_{m}": sum(v) / max(len(v), 1) for m, v in per_article.items()},
    }


def names_a_country_twice(names: Iterable[str]) -> bool:
    """Whether two of these names are forms of one country ("US" and "Washington")."""
    table = country_forms()
    countries = [table[form_key(name)].country for name in names if form_key(name) in table]
    return len(countries) != len(set(countries))


def _found(gold: str, actors: Sequence[NamedActor], *, with_aliases: bool) -> bool:
    for name, aliases in actors:
        candidates = (name, *aliases) if with_aliases else (name,)
        if any(matches(gold, candidate) for candidate in candidates):
            return True
    return False


def table(analyzer: Analyzer, records: Sequence[dict[str, Any]], top: int = 5) -> list[str]:
    """Markdown rows: the baseline and ours on the same articles."""
    rows = [
        f"| ranker | recall@{top} micro (names) | macro (names) | micro (with aliases) "
        "| macro (with aliases) | duplicates |",
        "|---|---|---|---|---|---|",
    ]
    base = evaluate_actors(analyzer, records, baseline, top)
    before = evaluate_actors(analyzer, records, without_issue_20, top)
    mine = evaluate_actors(analyzer, records, ours, top)
    for name, figures in (
        ("spaCy entity frequency", base),
        ("newsdigest without the issue-20 referent rules", before),
        ("newsdigest", mine),
    ):
        rows.append(
            f"| {name} | {figures['recall_micro_names']:.3f} | {figures['recall_macro_names']:.3f} "
            f"| {figures['recall_micro_aliases']:.3f} | {figures['recall_macro_aliases']:.3f} "
            f"| {figures['duplicates']:.1%} |"
        )
    ratio = mine["recall_micro_names"] / max(base["recall_micro_names"], 1e-9)
    rows.append(
        f"\n{int(mine['gold'])} gold actors, {int(mine['lists'])} top-{top} lists; "
        f"ours / baseline (micro, names): {ratio:.3f}; duplicates: lists naming one country twice"
    )
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Print the actor table for the CNN/DM development articles."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", default="../shared/eval", type=Path)
    parser.add_argument("--top", type=int, default=5)
    args = parser.parse_args(argv)
    path = args.eval_dir / "summaries" / "cnndm-dev.jsonl"
    if not path.is_file():
        print(f"evaluation data not found at {path}", file=sys.stderr)
        return 2
    records = read_jsonl(path)
    print("\n".join(table(Analyzer.load(), records, args.top)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Other languages on ../shared/eval/multilingual: French summaries (ROUGE), identification, memory.

- French summaries: OrangeSum's abstracts against every ranker at 3 sentences (LEAD-3 is `lead`),
  on the same sentence split. rouge-score's own tokenizer keeps only [a-z0-9] and stems with
  Porter (English), so French text is tokenised here on letters (accents kept) and stemmed with
  the French Snowball stemmer.
- Language identification: share of the multilingual set's documents identified as their
  language (whole documents, and their first 12 words), and milliseconds per document.
- Memory: resident memory added by loading each language's pipeline, one after another.

Usage:
    python -m benchmarks.multilingual [EVAL_DIR] [--only summaries,languages,memory] [--limit N]
"""

from __future__ import annotations

import argparse
import re
import resource
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from benchmarks.evaldata import read_jsonl
from benchmarks.quality import SummaryItem, summary_text
from summaries import ALGORITHMS, Analyzer
from summaries.language import identify
from summaries.summarise import stem

ROUGE_TYPES = ("rouge1", "rouge2", "rougeLsum")
_WORD = re.compile(r"[^\W_]+")


class FrenchTokenizer:
    """Lower-cased letter and digit runs, each stemmed with the French Snowball stemmer."""

    def tokenize(self, text: str) -> list[str]:
        """Tokens of `text` for ROUGE."""
        return [stem(word, "fr") for word in _WORD.findall(text.lower())]


def french_items(analyzer: Analyzer, path: Path, limit: int | None) -> list[SummaryItem]:
    """OrangeSum articles, prepared once, with their abstracts and the title given."""
    records = read_jsonl(path, limit)
    return [
        SummaryItem(r["id"], analyzer.prepare(r["text"], title=r.get("title")), r["summary"], 3)
        for r in records
    ]


def summaries_section(analyzer: Analyzer, eval_dir: Path, limit: int | None) -> list[str]:
    """ROUGE of every ranker on the French set, with its ratio to LEAD-3."""
    from rouge_score import rouge_scorer  # the `bench` extra

    items = french_items(analyzer, eval_dir / "summaries" / "orangesum_fr.jsonl", limit)
    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), tokenizer=FrenchTokenizer())
    rows = [
        f"### French: OrangeSum abstracts, 3 sentences ({len(items)} articles)\n",
        "| algorithm | ROUGE-1 | ROUGE-2 | ROUGE-Lsum | R-1 / LEAD-3 | seconds |",
        "|---|---|---|---|---|---|",
    ]
    lead = 0.0
    for algorithm in sorted(ALGORITHMS, key=lambda name: name != "lead"):
        started = time.perf_counter()
        totals = dict.fromkeys(ROUGE_TYPES, 0.0)
        for item in items:
            chosen = analyzer.choose(item.article, item.count, algorithm)
            scores = scorer.score(item.reference, summary_text(item, chosen))
            for kind in ROUGE_TYPES:
                totals[kind] += 100 * scores[kind].fmeasure / len(items)
        lead = lead or totals["rouge1"]
        rows.append(
            f"| {algorithm} | {totals['rouge1']:.2f} | {totals['rouge2']:.2f} | "
            f"{totals['rougeLsum']:.2f} | {totals['rouge1'] / lead:.3f} | "
            f"{time.perf_counter() - started:.1f} |"
        )
        print(rows[-1], file=sys.stderr, flush=True)
    return rows


def labelled_texts(eval_dir: Path) -> Iterator[tuple[str, str]]:
    """(language, text) for every document of the multilingual set and 200 English articles."""
    for name in ("summaries/orangesum_fr", "dates/meantime_es", "dates/harem2_tempo_pt"):
        for record in read_jsonl(eval_dir / "multilingual" / f"{name}.jsonl"):
            yield record["lang"], record["text"]
    for record in read_jsonl(eval_dir / "multilingual" / "entities" / "harem2_pt.jsonl"):
        yield "pt", record["text"]
    for name in ("conll2002_es", "conll2002_nl", "germeval2014_de", "kind_wikinews_it"):
        yield from _token_documents(eval_dir / "multilingual" / "entities" / f"{name}.jsonl")
    for name in ("cnndm-dev", "bbc-dev"):
        for record in read_jsonl(eval_dir / "summaries" / f"{name}.jsonl", 100):
            yield "en", record["text"]


def _token_documents(path: Path, per_file: int = 60) -> Iterator[tuple[str, str]]:
    """Runs of ten sentences of a token-per-line NER set, as texts."""
    documents: dict[object, list[str]] = {}
    language = "?"
    for record in read_jsonl(path):
        language = record["lang"]
        documents.setdefault(record["doc"], []).append(" ".join(record["tokens"]))
    chunks = [
        " ".join(sentences[start : start + 10])
        for sentences in documents.values()
        for start in range(0, len(sentences), 10)
    ]
    yield from ((language, chunk) for chunk in chunks[:per_file])


def languages_section(eval_dir: Path) -> list[str]:
    """Identification accuracy on whole texts and on their first 12 words."""
    texts = list(labelled_texts(eval_dir))
    rows = [
        f"### Language identification ({len(texts)} texts: fr, es, pt, nl, de, it, en)\n",
        "| input | accuracy | ms per text |",
        "|---|---|---|",
    ]
    for label, cut in (("whole text", None), ("first 12 words", 12)):
        samples = [(lang, " ".join(text.split()[:cut])) for lang, text in texts]
        started = time.perf_counter()
        # the short texts are identified from the text alone: no declared language to fall on
        right = sum(_identified(text) == lang for lang, text in samples)
        elapsed = 1000 * (time.perf_counter() - started) / len(samples)
        rows.append(f"| {label} | {right / len(samples):.3f} | {elapsed:.2f} |")
    return rows


def _identified(text: str) -> str:
    from summaries.language import _identifier  # the identifier itself, without the fallback

    return identify(text).language if len(text.split()) >= 30 else _identifier().classify(text)[0]


def memory_section(analyzer: Analyzer) -> list[str]:
    """Resident memory added by each language's pipeline, loaded in turn in this process."""
    rows = [
        "### Memory per loaded language\n",
        "| language | added MiB | load seconds |",
        "|---|---|---|",
    ]
    for language in ("fr", "de", "es", "it", "pt", "nl"):
        before, started = _rss_mib(), time.perf_counter()
        analyzer.pipelines.get(language)
        rows.append(
            f"| {language} | {_rss_mib() - before:.0f} | {time.perf_counter() - started:.2f} |"
        )
    return rows


def _rss_mib() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


def main(argv: Sequence[str] | None = None) -> int:
    """Print the chosen sections as Markdown."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", default="../shared/eval", type=Path)
    parser.add_argument("--only", default="memory,languages,summaries")
    parser.add_argument("--limit", type=int, help="French articles read (all by default)")
    args = parser.parse_args(argv)
    chosen = set(args.only.split(","))
    english_before = _rss_mib()
    analyzer = Analyzer.load()
    rows = [f"English pipeline: {_rss_mib() - english_before:.0f} MiB added.\n"]
    if "memory" in chosen:  # first, so that each figure is that language's alone
        rows += memory_section(analyzer)
    if "languages" in chosen:
        rows += ["", *languages_section(args.eval_dir)]
    if "summaries" in chosen:
        rows += ["", *summaries_section(analyzer, args.eval_dir / "multilingual", args.limit)]
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Dates in Spanish (MEANTIME, TIMEX3) and Portuguese (Second HAREM TEMPO): span and value F1.

Mirrors `benchmarks.dates_eval`: a prediction matches a gold expression when their character
spans overlap (each gold matched at most once); its value is right when it also equals the gold
value exactly. Spanish gold is every TIMEX3 DATE, resolved against the document's date. The
Portuguese set has no document date and only a rough ISO reading of HAREM's own normalisation:
its gold is every TEMPO_CALEND of subtype DATA, and a value counts as right only where the gold
has one, so its value figures are a lower bound. The Doc is `spacy.blank(lang)` with a
sentencizer, the pipeline other languages get: no tagger, no NER.

Usage:
    python -m benchmarks.dates_eval_lang [EVAL_DIR] [--language es|pt]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from benchmarks.dates_eval import _f1, _match, _ratio, _row
from summaries.dates import find_dates

FILES = {"es": "meantime_es.jsonl", "pt": "harem2_tempo_pt.jsonl"}


def is_gold(timex: dict[str, Any]) -> bool:
    """Whether a gold expression is a calendar date (TIMEX3 DATE or HAREM TEMPO_CALEND DATA)."""
    return timex["type"] == "DATE" or (
        timex["type"] == "TEMPO_CALEND" and timex.get("harem_subtype") == "DATA"
    )


def blank_pipeline(language: str) -> Language:
    """The tokenizer and sentencizer of a language, as articles without a trained model get."""
    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    return nlp


def _dct(record: dict[str, Any]) -> date | None:
    return date.fromisoformat(record["dct"]) if record.get("dct") else None


def evaluate(nlp: Language, docs: list[dict[str, Any]], language: str) -> dict[str, float]:
    """Span and value precision, recall and F1 of find_dates in `language` on the gold dates."""
    predicted = gold_total = span_tp = value_tp = 0
    for record, doc in zip(docs, nlp.pipe(r["text"] for r in docs), strict=True):
        gold = [t for t in record["timexes"] if is_gold(t)]
        mentions = find_dates(doc, _dct(record), language=language)
        used: set[int] = set()
        for mention in mentions:
            span_ok, value_ok = _match(mention, gold, used)
            span_tp += span_ok
            value_tp += value_ok and mention.value is not None
        predicted += len(mentions)
        gold_total += len(gold)
    figures = {"predicted": float(predicted), "gold": float(gold_total)}
    for kind, hits in (("span", span_tp), ("value", value_tp)):
        p, r = _ratio(hits, predicted), _ratio(hits, gold_total)
        figures |= {f"{kind}_p": p, f"{kind}_r": r, f"{kind}_f1": _f1(p, r)}
    return figures


def load(eval_dir: Path, language: str) -> list[dict[str, Any]]:
    """The records of one language's file under eval_dir/multilingual/dates."""
    path = eval_dir / "multilingual" / "dates" / FILES[language]
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    """Print the figures of each requested language as a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", default="../shared/eval", type=Path)
    parser.add_argument("--language", choices=sorted(FILES), action="append")
    args = parser.parse_args(argv)
    if not (args.eval_dir / "multilingual" / "dates").is_dir():
        print(f"eval data not found under {args.eval_dir}/multilingual/dates", file=sys.stderr)
        return 2
    print("| set | span P | span R | span F1 | value P | value R | value F1 | predicted |")
    print("|---|---|---|---|---|---|---|---|")
    for language in args.language or sorted(FILES):
        docs = load(args.eval_dir, language)
        figures = evaluate(blank_pipeline(language), docs, language)
        gold = int(figures["gold"])
        print(_row(f"{FILES[language]} ({len(docs)} docs, {gold} gold)", figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())

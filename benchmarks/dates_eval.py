"""Temporal expressions on TempEval-3 (TimeBank 1.2 + AQUAINT): span and value F1 on TIMEX3 DATE.

A predicted mention matches a gold DATE timex when their character spans overlap (each gold timex
matched at most once); its value is right when it also equals the gold value exactly. Precision is
over every prediction, recall over every gold DATE. The baseline is spaCy's DATE entities
normalised by dateparser.

Usage:
    python -m benchmarks.dates_eval [EVAL_DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from summaries.dates import find_dates
from summaries.model import DateMention

Finder = Callable[[Doc, date | None], list[DateMention]]

FILES = ("timebank.timexes.jsonl", "aquaint.timexes.jsonl")
_YEAR = re.compile(r"\b(1\d|20)\d\d\b")
_MONTH = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?=\W|$)", re.IGNORECASE
)
_DAY = re.compile(r"\b([0-2]?\d|3[01])(st|nd|rd|th)?\b(?!\d)")


def document_date(doc: dict[str, Any]) -> date | None:
    """The document creation time of one eval record, as a date."""
    value = str((doc.get("dct") or {}).get("value") or "")
    digits = re.sub(r"\D", "", value[:10])
    if len(digits) < 8:
        return None
    return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))


def _granular(text: str, when: datetime) -> str:
    """The ISO value of a parsed date at the granularity of what was written."""
    has_year = bool(_YEAR.search(text))
    has_month = bool(_MONTH.search(text))
    without = _MONTH.sub(" ", _YEAR.sub(" ", text))
    if has_year and not has_month and not _DAY.search(without):
        return f"{when.year:04d}"
    if has_month and not _DAY.search(without):
        return f"{when.year:04d}-{when.month:02d}"
    return when.date().isoformat()


def baseline_dates(doc: Doc, dct: date | None) -> list[DateMention]:
    """SpaCy DATE entities normalised by dateparser (the reference baseline)."""
    import dateparser  # type: ignore[import-untyped]  # the library never depends on it

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past"}
    if dct is not None:
        settings["RELATIVE_BASE"] = datetime.combine(dct, time(12))
    mentions = []
    for ent in doc.ents:
        if ent.label_ != "DATE":
            continue
        parsed = dateparser.parse(ent.text, languages=["en"], settings=settings)
        value = _granular(ent.text, parsed) if parsed is not None else None
        mentions.append(DateMention(ent.text, value, ent.start_char, ent.end_char))
    return mentions


def _match(mention: DateMention, gold: list[dict[str, Any]], used: set[int]) -> tuple[bool, bool]:
    """Match one prediction to an unused overlapping gold DATE: (span match, value match)."""
    candidates = [
        i
        for i, timex in enumerate(gold)
        if i not in used and timex["start"] < mention.end and mention.start < timex["end"]
    ]
    if not candidates:
        return False, False
    same = [i for i in candidates if gold[i]["value"] == mention.value]
    chosen = (same or candidates)[0]
    used.add(chosen)
    return True, bool(same)


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def evaluate_dates(
    nlp: Language, docs: list[dict[str, Any]], find: Finder = find_dates
) -> dict[str, float]:
    """Span and value precision, recall and F1 of `find` against the gold TIMEX3 DATEs.

    Args:
        nlp: The spaCy pipeline (one pass per document).
        docs: Eval records: {"text", "dct": {"value"}, "timexes": [{"type","value","start","end"}]}.
        find: The tagger under test; find_dates by default, baseline_dates for the baseline.

    Returns:
        span_p, span_r, span_f1, value_p, value_r, value_f1, and the counts predicted, gold,
        span_tp and value_tp.
    """
    predicted = gold_total = span_tp = value_tp = 0
    for record, doc in zip(docs, nlp.pipe(r["text"] for r in docs), strict=True):
        gold = [t for t in record["timexes"] if t["type"] == "DATE"]
        mentions = find(doc, document_date(record))
        used: set[int] = set()
        for mention in mentions:
            span_ok, value_ok = _match(mention, gold, used)
            span_tp += span_ok
            value_tp += value_ok
        predicted += len(mentions)
        gold_total += len(gold)
    figures = {"predicted": float(predicted), "gold": float(gold_total)}
    figures |= {"span_tp": float(span_tp), "value_tp": float(value_tp)}
    for kind, hits in (("span", span_tp), ("value", value_tp)):
        p, r = _ratio(hits, predicted), _ratio(hits, gold_total)
        figures |= {f"{kind}_p": p, f"{kind}_r": r, f"{kind}_f1": _f1(p, r)}
    return figures


def load_docs(eval_dir: Path) -> list[dict[str, Any]]:
    """Every record of the TimeBank and AQUAINT files under eval_dir/dates."""
    docs: list[dict[str, Any]] = []
    for name in FILES:
        with (eval_dir / "dates" / name).open(encoding="utf-8") as handle:
            docs += [json.loads(line) for line in handle if line.strip()]
    return docs


def _row(name: str, figures: dict[str, float]) -> str:
    cells = " | ".join(
        f"{figures[k]:.3f}" for k in ("span_p", "span_r", "span_f1", "value_p", "value_r")
    )
    return f"| {name} | {cells} | {figures['value_f1']:.3f} | {int(figures['predicted'])} |"


def main(argv: Sequence[str] | None = None) -> int:
    """Print ours and the baseline side by side as a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", default="../shared/eval", type=Path)
    parser.add_argument("--no-baseline", action="store_true", help="skip the dateparser baseline")
    args = parser.parse_args(argv)
    if not (args.eval_dir / "dates").is_dir():
        print(f"eval data not found: {args.eval_dir / 'dates'} is missing", file=sys.stderr)
        return 2
    from summaries.nlp import load_pipeline

    nlp, docs = load_pipeline(), load_docs(args.eval_dir)
    gold = sum(t["type"] == "DATE" for d in docs for t in d["timexes"])
    print(f"TimeBank + AQUAINT: {len(docs)} documents, {gold} gold TIMEX3 DATE\n")
    print("| system | span P | span R | span F1 | value P | value R | value F1 | predicted |")
    print("|---|---|---|---|---|---|---|---|")
    if not args.no_baseline:
        print(_row("spaCy DATE + dateparser", evaluate_dates(nlp, docs, find=baseline_dates)))
    print(_row("newsdigest find_dates", evaluate_dates(nlp, docs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

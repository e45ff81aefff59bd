"""The English check of `summaries.inputs` on windows of real text, side by side with the old rule.

For each window length, one random window of that many words from every English text (BBC and
CNN/DM articles and titles, AllSides excerpts and headlines) and every non-English one (the
multilingual set's articles and sentences): how many English windows each rule refuses and how
many non-English windows it lets through. The old rule is the English stop-word share alone.

Usage:
    python -m benchmarks.language_check [EVAL_DIR] [--seed N]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from benchmarks.evaldata import read_jsonl
from summaries.inputs import looks_english
from summaries.summarise import stop_words

_WORD = re.compile(r"[^\W\d_]+")
LENGTHS = (8, 12, 20, 30, 40, 60)


def english_texts(root: Path) -> list[str]:
    """Every English article, title and excerpt of the eval set."""
    texts: list[str] = []
    for record in read_jsonl(root / "summaries" / "bbc-dev.jsonl"):
        texts += [record["text"], record["title"]]
    texts += [record["text"] for record in read_jsonl(root / "summaries" / "cnndm-dev.jsonl")]
    for record in read_jsonl(root / "clusters" / "allsides_neus" / "articles.jsonl"):
        texts += [record["text"], record["title"]]
    return texts


def other_texts(root: Path) -> list[str]:
    """Every non-English article or sentence of the multilingual set."""
    texts: list[str] = []
    for path in sorted((root / "multilingual").rglob("*.jsonl")):
        for record in read_jsonl(path):
            texts.append(record.get("text") or " ".join(record.get("tokens", [])))
    return texts


def windows(texts: Iterable[str], length: int, rng: random.Random) -> list[list[str]]:
    """One random run of `length` lower-cased words from each text that has that many."""
    found = []
    for text in texts:
        words = [word.lower() for word in _WORD.findall(text)]
        if len(words) >= length:
            start = rng.randrange(len(words) - length + 1)
            found.append(words[start : start + length])
    return found


def old_rule(words: list[str]) -> bool:
    """The check before issue 15: 12% English stop words at least."""
    common = stop_words()
    return sum(word in common for word in words) / len(words) >= 0.12


def rates(
    rule: Callable[[list[str]], bool], english: list[list[str]], other: list[list[str]]
) -> str:
    """'English refused | other passed' as percentages."""
    refused = sum(not rule(w) for w in english) / len(english)
    passed = sum(rule(w) for w in other) / len(other)
    return f"{refused:7.2%} | {passed:7.2%}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", default="../shared/eval", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if not (args.eval_dir / "multilingual").is_dir():
        print(f"no eval data at {args.eval_dir} (expected ../shared/eval)", file=sys.stderr)
        return 2
    english, other = english_texts(args.eval_dir), other_texts(args.eval_dir)
    print(
        "| words | English windows | other windows | old rule: English refused | other passed"
        " | new rule: English refused | other passed |"
    )
    print("|---|---|---|---|---|---|---|")
    for length in LENGTHS:
        rng = random.Random(args.seed)
        en, ot = windows(english, length, rng), windows(other, length, rng)
        print(
            f"| {length} | {len(en)} | {len(ot)} | {rates(old_rule, en, ot)}"
            f" | {rates(looks_english, en, ot)} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Soak: every article and page of ../shared/eval, and mutated copies, through one analyze batch.

Inputs: the CNN/DM and BBC articles, the TimeBank/AQUAINT documents (with their creation dates),
the CoNLL-2003 documents, every HTML page of the trafilatura evaluation (as HTML), every item
description of every feed in feedparser's test corpus that feedparser can read, the story-cluster
articles and the multilingual set's whole documents (refused as not English, never crashed). Each
input also goes in as mutated copies: UPPER, lower, Title Case, non-breaking spaces, curly quotes.

All of them go through ONE `newsdigest analyze --jsonl` process, as a user's batch would. The
report: inputs, records out (each input must have exactly one, in order), refusals by reason,
internal failures (must be 0), tracebacks on stderr (must be 0), the process's peak memory, and
articles per second. Exit status 1 when any of the three "must" figures fails.

Usage:
    python -m benchmarks.soak [EVAL_DIR] [--limit N] [--no-mutations]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import feedparser

from benchmarks.evaldata import read_jsonl
from bot.feeds.htmltext import html_to_text

Record = dict[str, Any]
MUTATIONS: dict[str, Callable[[str], str]] = {
    "upper": str.upper,
    "lower": str.lower,
    "title": str.title,
    "nbsp": lambda text: text.replace(" ", "\u00a0"),
    "curly": lambda text: re.sub(r'"(\w)', "“\\1", text).replace('"', "”").replace("'", "’"),
}


@dataclass(frozen=True)
class SoakReport:
    """What one soak run found."""

    inputs: int
    records: int
    ids_in_order: bool
    refusals: Counter[str]
    internal: Counter[str]
    tracebacks: int
    exit_code: int
    seconds: float
    peak_mib: float

    @property
    def passed(self) -> bool:
        """Every input one record, no internal failure, no traceback."""
        complete = self.records == self.inputs and self.ids_in_order
        return complete and not self.internal and not self.tracebacks


def summary_records(root: Path) -> Iterator[Record]:
    """CNN/DM and BBC articles as plain text."""
    for record in read_jsonl(root / "summaries" / "cnndm-dev.jsonl"):
        yield {"id": f"cnndm/{record['id']}", "text": record["text"]}
    for record in read_jsonl(root / "summaries" / "bbc-dev.jsonl"):
        yield {"id": f"bbc/{record['id']}", "text": record["text"], "title": record["title"]}


def timeml_records(root: Path) -> Iterator[Record]:
    """TimeBank and AQUAINT documents, published on their creation dates."""
    for name in ("timebank", "aquaint"):
        for record in read_jsonl(root / "dates" / f"{name}.timexes.jsonl"):
            dct = record["dct"]["value"][:10]
            yield {"id": f"{name}/{record['doc_id']}", "text": record["text"], "published": dct}


def conll_records(root: Path) -> Iterator[Record]:
    """CoNLL-2003 documents, their tokens joined back into lines."""
    document: list[list[str]] = []
    number = 0
    lines = (root / "entities" / "conll2003-dev.conll").read_text(encoding="utf-8").splitlines()
    for line in [*lines, "-DOCSTART- -X- -X- O"]:
        if line.startswith("-DOCSTART-"):
            if document:
                number += 1
                text = "\n".join(" ".join(sentence) for sentence in document if sentence)
                yield {"id": f"conll/{number}", "text": text}
            document = [[]]
        elif not line.strip():
            document.append([])
        elif document:
            document[-1].append(line.split(" ", 1)[0])


def page_records(root: Path) -> Iterator[Record]:
    """Every trafilatura evaluation page, as HTML."""
    folder = root / "html" / "trafilatura-eval"
    for path in sorted([*folder.glob("eval/*.gz"), *folder.glob("cache/*.gz")]):
        data = gzip.decompress(path.read_bytes())
        yield {"id": f"page/{path.parent.name}/{path.name}", "html": _decode(data)}


def feed_item_records(root: Path) -> Iterator[Record]:
    """Every item description of every feed in feedparser's corpus that feedparser reads."""
    folder = root / "feeds" / "feedparser-tests" / "tests"
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        try:
            parsed = feedparser.parse(path.read_bytes())
        except Exception:  # a file feedparser cannot read is no input of ours
            continue
        for number, entry in enumerate(parsed.entries):
            text = html_to_text(str(entry.get("summary") or entry.get("description") or ""))
            if text.strip():
                relative = path.relative_to(folder).as_posix()
                yield {"id": f"feed/{relative}#{number}", "text": text}


def cluster_and_foreign_records(root: Path) -> Iterator[Record]:
    """The story-cluster articles, and the non-English articles and sentences."""
    for path in sorted((root / "clusters").rglob("articles.jsonl")):
        for record in read_jsonl(path):
            yield {"id": f"cluster/{record['id']}", "text": record["text"]}
    # whole documents only: the entity sets are single sentences, tens of thousands of them
    for path in sorted((root / "multilingual").rglob("*.jsonl")):
        for record in read_jsonl(path):
            if record.get("text"):
                yield {"id": f"{path.stem}/{record['id']}", "text": record["text"]}


def all_inputs(root: Path, mutations: bool) -> list[Record]:
    """Every input record, each followed by its mutated copies."""
    sources = (
        summary_records,
        timeml_records,
        conll_records,
        page_records,
        feed_item_records,
        cluster_and_foreign_records,
    )
    records: list[Record] = []
    for source in sources:
        for record in source(root):
            records.append(record)
            if mutations:
                records.extend(_mutated(record))
    return records


def _mutated(record: Record) -> Iterator[Record]:
    field = "html" if "html" in record else "text"
    for name, mutate in MUTATIONS.items():
        yield {**record, "id": f"{record['id']}~{name}", field: mutate(record[field])}


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def spread(records: list[Record], limit: int | None) -> list[Record]:
    """At most `limit` records, taken evenly across the whole list (every source is sampled)."""
    if not limit or limit >= len(records):
        return records
    step = len(records) / limit
    return [records[int(i * step)] for i in range(limit)]


def soak(records: list[Record]) -> SoakReport:
    """Run every record through one `newsdigest analyze --jsonl` process and read the outcome."""
    with tempfile.TemporaryDirectory() as folder:
        batch = Path(folder) / "batch.jsonl"
        batch.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
        )
        command = [sys.executable, "-m", "bot.cli", "analyze", "--jsonl", str(batch)]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    errors = [str(line["error"]) for line in out if "error" in line]
    return SoakReport(
        inputs=len(records),
        records=len(out),
        ids_in_order=[line.get("id") for line in out] == [r["id"] for r in records],
        refusals=Counter(_reason(e) for e in errors if not e.startswith("internal error")),
        internal=Counter(e for e in errors if e.startswith("internal error")),
        tracebacks=done.stderr.count("Traceback"),
        exit_code=done.returncode,
        seconds=seconds,
        peak_mib=peak_kib / 1024,
    )


def _reason(error: str) -> str:
    """A refusal's reason without the numbers that differ per record."""
    return re.sub(r"\d+", "N", error)


def print_report(report: SoakReport) -> None:
    """The figures as a Markdown table, then refusals by reason."""
    rate = report.inputs / report.seconds if report.seconds else 0.0
    rows = [
        ("inputs", f"{report.inputs:,}"),
        ("records out", f"{report.records:,} (ids in order: {report.ids_in_order})"),
        ("digests", f"{report.records - sum(report.refusals.values()):,}"),
        ("refusals", f"{sum(report.refusals.values()):,}"),
        ("internal failures", str(sum(report.internal.values()))),
        ("tracebacks", str(report.tracebacks)),
        ("exit code", f"{report.exit_code} (1 when any record was refused)"),
        ("peak memory", f"{report.peak_mib:,.0f} MiB"),
        ("inputs per second", f"{rate:.1f} ({report.seconds:,.0f} s in all)"),
    ]
    print("| measure | value |\n|---|---|")
    print("\n".join(f"| {name} | {value} |" for name, value in rows))
    print("\n| refusal | count |\n|---|---|")
    for reason, count in [*report.refusals.most_common(), *report.internal.most_common()]:
        print(f"| {reason} | {count:,} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", default="../shared/eval", type=Path)
    parser.add_argument("--limit", type=int, help="at most N inputs, spread over every source")
    parser.add_argument("--no-mutations", action="store_true", help="originals only")
    args = parser.parse_args(argv)
    if not (args.eval_dir / "summaries").is_dir():
        print(f"no eval data at {args.eval_dir} (expected ../shared/eval)", file=sys.stderr)
        return 2
    records = spread(all_inputs(args.eval_dir, not args.no_mutations), args.limit)
    report = soak(records)
    print_report(report)
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())

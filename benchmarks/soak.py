"""Soak: every article and page of ../shared/eval, and mutated copies, through one analyze batch.

Inputs: the CNN/DM and BBC articles, the TimeBank/AQUAINT documents (with their creation dates),
the CoNLL-2003 documents, every HTML page of the trafilatura evaluation (as HTML), every item
description of every feed in feedparser's test corpus that feedparser can read, the story-cluster
articles and the multilingual set's whole documents (French, Spanish and Portuguese: digested). Each
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
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
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
    """The story-cluster articles, and the multilingual set's whole documents."""
    for path in sorted((root / "clusters").rglob("articles.jsonl")):
        for record in read_jsonl(path):
            yield {"id": f"cluster/{record['id']}", "text": record["text"]}
    # whole documents only: the entity sets are single sentences, tens of thousands of them
    for path in sorted((root / "multilingual").rglob("*.jsonl")):
        for record in read_jsonl(path):
            if record.get("text"):
                yield {"id": f"{path.stem}/{record['id']}", "text": record["text"]}


def all_inputs(root: Path, mutations: bool) -> Iterator[Record]:
    """Every input record, each followed by its mutated copies (generated, never all in memory)."""
    sources = (
        summary_records,
        timeml_records,
        conll_records,
        page_records,
        feed_item_records,
        cluster_and_foreign_records,
    )
    for source in sources:
        for record in source(root):
            yield record
            if mutations:
                yield from _mutated(record)


def _mutated(record: Record) -> Iterator[Record]:
    field = "html" if "html" in record else "text"
    for name, mutate in MUTATIONS.items():
        yield {**record, "id": f"{record['id']}~{name}", field: mutate(record[field])}


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def write_batch(
    records: Iterable[Record], folder: Path, limit: int | None
) -> tuple[Path, list[str]]:
    """The batch file of at most `limit` records spread evenly over all, and their ids in order.

    Everything is written as it is generated: the whole eval set and its copies are gigabytes.
    """
    every, ids = folder / "all.jsonl", []
    with every.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            ids.append(str(record["id"]))
    if not limit or limit >= len(ids):
        return every, ids
    step = len(ids) / limit
    chosen = {int(i * step) for i in range(limit)}
    batch = folder / "batch.jsonl"
    with every.open(encoding="utf-8") as lines, batch.open("w", encoding="utf-8") as out:
        out.writelines(line for number, line in enumerate(lines) if number in chosen)
    return batch, [ids[number] for number in sorted(chosen)]


def soak(batch: Path, ids: list[str]) -> SoakReport:
    """Run the batch through one `newsdigest analyze --jsonl` process and read the outcome."""
    command = [sys.executable, "-m", "bot.cli", "analyze", "--jsonl", str(batch)]
    out_path, err_path = batch.with_suffix(".out"), batch.with_suffix(".err")
    with out_path.open("w") as out, err_path.open("w") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err)
        peak_kib = _wait_watching_memory(process)
        seconds = time.perf_counter() - start
    with out_path.open(encoding="utf-8") as lines:
        out_records = [json.loads(line) for line in lines if line.strip()]
    errors = [str(line["error"]) for line in out_records if "error" in line]
    return SoakReport(
        inputs=len(ids),
        records=len(out_records),
        ids_in_order=[str(line.get("id")) for line in out_records] == ids,
        refusals=Counter(_reason(e) for e in errors if not e.startswith("internal error")),
        internal=Counter(e for e in errors if e.startswith("internal error")),
        tracebacks=err_path.read_text(encoding="utf-8", errors="replace").count("Traceback"),
        exit_code=process.returncode,
        seconds=seconds,
        peak_mib=peak_kib / 1024,
    )


def _wait_watching_memory(process: subprocess.Popen[bytes]) -> int:
    """Wait for the process; its peak resident memory in KiB (VmHWM, read while it runs).

    The children's rusage would not do: a child forked from this (large) process starts out
    sharing its pages and reports them as its own peak.
    """
    status, peak = Path(f"/proc/{process.pid}/status"), 0
    while process.poll() is None:
        try:
            found = re.search(r"VmHWM:\s+(\d+) kB", status.read_text())
        except OSError:  # it has just ended
            break
        peak = max(peak, int(found.group(1))) if found else peak
        time.sleep(0.2)
    process.wait()
    return peak


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
    with tempfile.TemporaryDirectory() as folder:
        records = all_inputs(args.eval_dir, not args.no_mutations)
        batch, ids = write_batch(records, Path(folder), args.limit)
        report = soak(batch, ids)
    print_report(report)
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())

"""Ingestion robustness and extraction quality on ../shared/eval, through the real HTTP seam.

Feeds: every file of feeds/feedparser-tests/tests is served on a loopback server and fetched and
parsed through HttpFeedSource (guard, pinned address, capped read, feedparser), each bounded by a
timeout. Counted: parsed, refused with a reason (grouped), crashed (any other exception), hung.
Beside it, on the same bytes, plain `feedparser.parse` (no network): how many it reads as a feed.

Pages: every page of html/trafilatura-eval is served on loopback, fetched through the same seam,
decoded and extracted as the bot does (`summaries.extract.extract_article`). Scored against the
"with" snippets (must appear) and "without" snippets (must not), as trafilatura's own evaluation
does, beside plain `trafilatura.extract` on the raw file bytes with default settings.

Usage:
    python -m benchmarks.ingest [EVAL_DIR] [--pages N]
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import sys
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import feedparser
import trafilatura
from aiohttp import web

from bot.feeds.http import FetchOptions
from bot.feeds.source import HttpFeedSource, open_http_feed_source
from bot.ports import FeedEntry, FeedError, Validators
from summaries.extract import extract_article

TIMEOUT = 10.0
TYPES = {".xml": "application/xml", ".json": "application/json", ".html": "text/html"}


@asynccontextmanager
async def loopback(files: Callable[[str], bytes | None]) -> AsyncIterator[str]:
    """Serve `files(path)` on 127.0.0.1; yields the base URL."""

    async def handler(request: web.Request) -> web.Response:
        body = files(request.match_info["path"])
        if body is None:
            return web.Response(status=404)
        kind = TYPES.get(Path(request.match_info["path"]).suffix, "application/octet-stream")
        return web.Response(body=body, headers={"Content-Type": kind})

    app = web.Application()
    app.router.add_get("/{path:.*}", handler)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


@asynccontextmanager
async def seam() -> AsyncIterator[HttpFeedSource]:
    """The bot's feed source, allowed to reach the loopback server."""
    options = FetchOptions(total_timeout=TIMEOUT, connect_timeout=2)
    async with open_http_feed_source("127.0.0.1", options) as source:
        yield source


async def feeds_section(eval_dir: Path) -> list[str]:
    """Fetch and parse every feedparser test file."""
    root = eval_dir / "feeds" / "feedparser-tests" / "tests"
    paths = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    outcomes: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    async with loopback(lambda path: _read(root / path)) as base, seam() as source:
        for path in paths:
            outcome, reason, items = await _poll_one(source, f"{base}/{path}")
            outcomes[outcome] += 1
            outcomes["items"] += items
            if reason:
                reasons[reason] += 1
    plain = [_feedparser_reads(root / path) for path in paths]
    recognised = sum(1 for version, _ in plain if version)
    rows = _feeds_table(len(paths), outcomes, reasons, recognised)
    return rows + _items_rows(outcomes, sum(items for _, items in plain))


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


async def _poll_one(source: HttpFeedSource, url: str) -> tuple[str, str, int]:
    """The outcome of one poll, the refusal's reason (grouped) and the items read."""
    try:
        poll = await asyncio.wait_for(source.fetch(url, Validators()), TIMEOUT * 2)
    except TimeoutError:
        return "hung", "", 0
    except FeedError as error:
        return "refused", _group(error.reason), 0
    except Exception as error:  # a crash is what this benchmark exists to count
        return "crashed", type(error).__name__, 0
    outcome = "parsed" if poll.entries or poll.title else "parsed, empty"
    return outcome, "", len(poll.entries)


def _items_rows(outcomes: Counter[str], plain_items: int) -> list[str]:
    return [
        f"\nItems: newsdigest read {outcomes['items']:,}; plain feedparser sees {plain_items:,}. "
        "The difference is items with no link (and no URL as their id), which the bot drops: "
        "most of the corpus tests one element at a time, in items that have no link.",
    ]


def _group(reason: str) -> str:
    return reason.split(";")[0].split(" (")[0]


def _feedparser_reads(path: Path) -> tuple[bool, int]:
    """Whether plain feedparser recognises a feed in the file, and how many items it sees."""
    parsed = feedparser.parse(path.read_bytes())
    return bool(parsed.get("version")), len(parsed.entries)


def _feeds_table(
    total: int, outcomes: Counter[str], reasons: Counter[str], plain: int
) -> list[str]:
    rows = [
        f"\n### feedparser's test corpus ({total:,} files)\n",
        "| outcome | files |",
        "|---|---|",
        *(f"| {name} | {outcomes[name]:,} |" for name in ("parsed", "parsed, empty", "refused")),
        f"| crashed | {outcomes['crashed']:,} |",
        f"| hung | {outcomes['hung']:,} |",
        f"\nPlain feedparser on the same bytes recognises {plain:,} of them as a feed.\n",
        "| refusal reason | files |",
        "|---|---|",
    ]
    return rows + [f"| {reason} | {count:,} |" for reason, count in reasons.most_common()]


@dataclass
class Snippets:
    """Snippet counts of one extractor."""

    found_with: int = 0
    missed_with: int = 0
    found_without: int = 0
    clean_without: int = 0
    failed_pages: int = 0

    def add(self, text: str, annotation: dict[str, Any]) -> None:
        """Score one page's extracted text."""
        for snippet in annotation["with"]:
            hit = snippet in text
            self.found_with += hit
            self.missed_with += not hit
        for snippet in annotation["without"]:
            hit = snippet in text
            self.found_without += hit
            self.clean_without += not hit

    def row(self, name: str) -> str:
        """Precision, recall, F1 and accuracy, as trafilatura's evaluation reports them."""
        precision = self.found_with / max(self.found_with + self.found_without, 1)
        recall = self.found_with / max(self.found_with + self.missed_with, 1)
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        total = self.found_with + self.missed_with + self.found_without + self.clean_without
        accuracy = (self.found_with + self.clean_without) / max(total, 1)
        return (
            f"| {name} | {precision:.3f} | {recall:.3f} | {f1:.3f} | {accuracy:.3f} "
            f"| {self.failed_pages} |"
        )


def _page_bytes(folder: Path, name: str) -> bytes | None:
    for sub in ("eval", "cache"):
        path = folder / sub / f"{name}.gz"
        if path.is_file():
            return gzip.decompress(path.read_bytes())
    return None


async def pages_section(eval_dir: Path, limit: int | None) -> list[str]:
    """Fetch every annotated page through the seam and score the extraction."""
    folder = eval_dir / "html" / "trafilatura-eval"
    annotations = json.loads((folder / "evaldata.json").read_text(encoding="utf-8"))
    items = list(annotations.items())[:limit]
    ours, plain = Snippets(), Snippets()
    async with loopback(lambda name: _page_bytes(folder, name)) as base, seam() as source:
        for url, annotation in items:
            raw = _page_bytes(folder, annotation["file"]) or b""
            ours_text = await _through_seam(source, f"{base}/{annotation['file']}", url)
            _score(ours, ours_text, annotation)
            _score(plain, trafilatura.extract(raw, url=url) if raw else None, annotation)
    return [
        f"\n### trafilatura's evaluation pages ({len(items)} pages, fetched over loopback)\n",
        "| extractor | precision | recall | F1 | accuracy | pages with no text |",
        "|---|---|---|---|---|---|",
        plain.row("plain trafilatura.extract (file bytes)"),
        ours.row("newsdigest (HTTP seam + extract_article)"),
    ]


async def _through_seam(source: HttpFeedSource, address: str, url: str) -> str | None:
    try:
        body = await source.article(FeedEntry(url=address))
    except FeedError:
        return None
    try:
        return (await asyncio.to_thread(extract_article, body.html or "", url)).text
    except Exception:  # an extraction failure counts as a page with no text
        return None


def _score(snippets: Snippets, text: str | None, annotation: dict[str, Any]) -> None:
    if not text:
        snippets.failed_pages += 1
    snippets.add(text or "", annotation)


async def run(eval_dir: Path, pages: int | None) -> list[str]:
    """Both sections."""
    return [
        "## Ingestion (`python -m benchmarks.ingest ../shared/eval`)",
        *await feeds_section(eval_dir),
        *await pages_section(eval_dir, pages),
    ]


def main(argv: list[str] | None = None) -> int:
    """Print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", default="../shared/eval", type=Path)
    parser.add_argument("--pages", type=int, default=None, help="only the first N pages")
    args = parser.parse_args(argv)
    print("\n".join(asyncio.run(run(args.eval_dir, args.pages))))
    return 0


if __name__ == "__main__":
    sys.exit(main())

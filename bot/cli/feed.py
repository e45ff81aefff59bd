"""`newsdigest feed URL`: a feed's items, each with its digest, with a progress bar."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from typing import Any

from rich.console import Console
from rich.progress import Progress

from bot.cli.analyze import refuse_foreign_url
from bot.render.terminal import render_digest_terminal
from summaries import AnalysisError, Analyzer, ArticleDigest, InputError
from summaries.records import digest_record, error_record

log = logging.getLogger(__name__)

FROM_EXCERPT = "from feed excerpt"


def add_feed_parser(commands: Any) -> None:
    """Register the `feed` subcommand on an argparse subparsers object."""
    parser = commands.add_parser(
        "feed",
        help="print a feed's items with a digest each",
        description="Fetch a feed (RSS, Atom or JSON Feed) or a local feed file, read each "
        "item's page (or the feed's excerpt when the page cannot be had) and digest it.",
    )
    parser.add_argument("url", help="feed URL, or a feed file under NEWSDIGEST_LOCAL_FEED_DIRS")
    parser.add_argument("--items", type=int, default=10, help="at most this many items")
    parser.add_argument("--sentences", type=int, default=3, help="summary length")
    parser.add_argument("--json", action="store_true", help="one JSON record per item")
    parser.add_argument("--model", help="spaCy model to load")
    parser.set_defaults(handler=run_feed)


def run_feed(args: argparse.Namespace) -> int:
    """Run `newsdigest feed`; returns the process exit code."""
    from bot.config import ConfigError, load_settings
    from bot.ports import FeedError

    # file: is the local-feed folders' own scheme (refused outside NEWSDIGEST_LOCAL_FEED_DIRS)
    refuse_foreign_url(args.url, allowed=("http", "https", "file"))
    analyzer = Analyzer.load(args.model)
    try:
        return asyncio.run(_run(load_settings(), args, analyzer))
    except ConfigError as error:
        raise InputError(str(error).replace("\n", " ")) from error
    except FeedError as error:
        raise InputError(f"cannot read {args.url}: {error.reason}") from error


async def _run(settings: Any, args: argparse.Namespace, analyzer: Analyzer) -> int:
    from bot.app.reading import FeedItemText, read_feed_items

    console = Console(stderr=not args.json)
    out = Console() if not args.json else None
    stderr = Console(stderr=True)
    with Progress(console=stderr, transient=True, disable=not stderr.is_terminal) as progress:
        task = progress.add_task("reading the feed", total=None)
        async for item in read_feed_items(
            settings.allow_hosts, settings.feed_dirs, args.url, max(args.items, 0)
        ):
            if not isinstance(item, FeedItemText):
                total = min(len(item.entries), max(args.items, 0))
                progress.update(task, total=total, description=item.title or args.url)
                continue
            record = await asyncio.to_thread(_digest, analyzer, item, args.sentences)
            _show(record, out)
            progress.advance(task)
    console.file.flush()
    return 0


def _digest(analyzer: Analyzer, item: Any, sentences: int) -> ArticleDigest | str:
    entry = item.entry
    try:
        digest = analyzer.analyze(
            text=None if item.html else (item.text or ""),
            html=item.html,
            title=entry.title,
            url=entry.url,
            published=entry.published.date() if entry.published else None,
            sentences=sentences,
        )
    except (InputError, AnalysisError) as error:  # one item's failure is one skipped line
        log.debug("item %s not digested", entry.url, exc_info=error)
        return f"{entry.url}: {error.reason}"
    if item.excerpt:
        return _flagged(digest)
    return digest


def _flagged(digest: ArticleDigest) -> ArticleDigest:
    from dataclasses import replace

    return replace(digest, flags=(*digest.flags, FROM_EXCERPT))


def _show(record: ArticleDigest | str, out: Console | None) -> None:
    if out is None:
        data = digest_record(record) if isinstance(record, ArticleDigest) else None
        line = data if data is not None else error_record(None, str(record))
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    elif isinstance(record, ArticleDigest):
        out.print(render_digest_terminal(record))
    else:
        out.print(f"[yellow]skipped[/yellow] {record}", markup=True, highlight=False)

"""`newsdigest analyze`: digest one article (terminal or JSON) or a JSON-lines batch."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bot.feeds.urls import scheme_refusal, url_scheme
from bot.render.terminal import render_digest_terminal
from bot.texts import cut
from summaries import (
    ALGORITHMS,
    DEFAULT_ALGORITHM,
    AnalysisError,
    Analyzer,
    ArticleDigest,
    InputError,
)
from summaries.explain import SentenceExplanation, explanation_records
from summaries.inputs import decode_bytes
from summaries.records import digest_record, error_record

log = logging.getLogger(__name__)

_HTML_START = re.compile(
    r"\s*(?:<!--.*?-->\s*)*<(?:!doctype|html|head|body|article|div|p)\b", re.I | re.S
)


@dataclass(frozen=True)
class AnalyzeRequest:
    """One article to digest, as read from the command line or a JSON-lines record."""

    text: str | None
    html: str | None
    title: str | None
    url: str | None
    published: date | None
    sentences: int
    language: str | None = None


def add_analyze_parser(commands: Any) -> None:
    """Register the `analyze` subcommand on an argparse subparsers object."""
    parser = commands.add_parser(
        "analyze",
        help="digest one article (text or HTML) or a JSON-lines batch",
        description="Digest a news article: verbatim summary sentences, key actors and dates.",
    )
    parser.add_argument(
        "path", nargs="?", default="-", help="article file, an http(s) URL, or - for stdin"
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print one JSON object")
    output.add_argument("--jsonl", action="store_true", help="batch: one JSON record per line")
    parser.add_argument("--sentences", type=_positive_int, default=3, help="summary length")
    parser.add_argument("--algorithm", choices=ALGORITHMS, default=DEFAULT_ALGORITHM)
    parser.add_argument("--published", type=_date_argument, help="publication date, YYYY-MM-DD")
    parser.add_argument("--title", help="the article's headline")
    parser.add_argument("--url", help="where the article came from")
    parser.add_argument(
        "--language",
        help="the article's declared language (e.g. fr), taken when the text is too short to tell",
    )
    parser.add_argument("--model", help="spaCy model to load (default: the installed English one)")
    parser.add_argument(
        "--explain",
        action="store_true",
        help='show each sentence\'s score components (a table; an "explain" list in JSON)',
    )
    parser.set_defaults(handler=run_analyze)


def run_analyze(args: argparse.Namespace) -> int:
    """Run `newsdigest analyze`; returns the process exit code."""
    refuse_foreign_url(args.path)
    from_web = is_web_address(args.path)
    if args.jsonl and not from_web:
        with _open_input(args.path) as lines:  # streamed: a batch may be larger than memory
            return digest_batch(Analyzer.load(args.model), _decoded(lines), args, sys.stdout)
    if from_web:
        raw = _fetch_page(args.path)
        args.url = args.url or args.path
    else:
        raw = _read_input(args.path)
    analyzer = Analyzer.load(args.model)
    if args.jsonl:
        return digest_batch(analyzer, raw.split("\n"), args, sys.stdout)
    request = _single_request(raw, args, page=from_web)
    digest, explained = _digest_explained(analyzer, request, args.algorithm, args.explain)
    if args.json:
        record = digest_record(digest)
        if args.explain:
            record["explain"] = explanation_records(explained)
        print(json.dumps(record, ensure_ascii=False))
    else:
        console = Console()
        console.print(render_digest_terminal(digest))
        if args.explain:
            console.print(explain_table(explained, width=max(console.width - 58, 20)))
    return 0


def _digest_explained(
    analyzer: Analyzer, request: AnalyzeRequest, algorithm: str, explain: bool
) -> tuple[ArticleDigest, tuple[SentenceExplanation, ...]]:
    if not explain:
        return _digest(analyzer, request, algorithm), ()
    return analyzer.explain(**_arguments(request, algorithm))


def explain_table(explained: Iterable[SentenceExplanation], width: int = 60) -> Table:
    """A rich table of every sentence's score components, the summary's sentences marked.

    Args:
        explained: From `Analyzer.explain`.
        width: Sentences longer than this many characters are shortened.

    Returns:
        The table: index, kept, position prior, centrality, title, actors, penalty, final, text.
    """
    table = Table(
        title="Why these sentences (✓ kept)",
        caption="position prior + centrality + title + actors - penalty = final",
        padding=(0, 1),
    )
    table.add_column("#", justify="right", no_wrap=True, min_width=4)
    for name in ("position", "centrality", "title", "actors", "penalty", "final"):
        table.add_column(name[:5], justify="right", no_wrap=True, min_width=5)
    table.add_column("sentence", no_wrap=True)
    for item in explained:
        style = "bold green" if item.chosen else None
        text = cut(item.text, width)
        table.add_row(
            f"✓{item.index}" if item.chosen else str(item.index),
            f"{item.position:.2f}",
            f"{item.centrality:.2f}",
            f"{item.title:.2f}",
            f"{item.actors:.2f}",
            f"-{item.penalty:.2f}" if item.penalty else "0.00",
            f"{item.total:.2f}",
            escape(text),
            style=style,
        )
    return table


def _digest(analyzer: Analyzer, request: AnalyzeRequest, algorithm: str) -> ArticleDigest:
    return analyzer.analyze(**_arguments(request, algorithm))


def _arguments(request: AnalyzeRequest, algorithm: str) -> dict[str, Any]:
    """The keyword arguments of `Analyzer.analyze` and `Analyzer.explain` for one request."""
    return {
        "text": request.text,
        "html": request.html,
        "title": request.title,
        "url": request.url,
        "published": request.published,
        "sentences": request.sentences,
        "algorithm": algorithm,
        "language": request.language,
    }


def is_web_address(path: str) -> bool:
    """Whether the argument is an http(s) URL rather than a file."""
    return path.lower().startswith(("http://", "https://"))


def refuse_foreign_url(target: str, allowed: tuple[str, ...] = ("http", "https")) -> None:
    """Refuse a `scheme://` URL the command does not fetch, in the bot's own words.

    Raises:
        InputError: For `file:///etc/passwd`, `gopher://...` and any scheme not in `allowed`.
    """
    scheme = url_scheme(target)
    if scheme is not None and scheme not in allowed:
        raise InputError(scheme_refusal(scheme))


def _fetch_page(url: str) -> str:
    # the web stack loads only when a URL is given
    from bot.app.reading import fetch_article_page
    from bot.config import ConfigError, load_settings
    from bot.ports import FeedError

    try:
        return asyncio.run(fetch_article_page(load_settings().allow_hosts, url))
    except ConfigError as error:
        raise InputError(str(error).replace("\n", " ")) from error
    except FeedError as error:
        raise InputError(f"cannot read {url}: {error.reason}") from error


def _read_input(path: str) -> str:
    with _open_input(path) as source:
        return decode_bytes(source.read())


def _open_input(path: str) -> contextlib.AbstractContextManager[IO[bytes]]:
    if path == "-":
        return contextlib.nullcontext(sys.stdin.buffer)  # stdin stays open for the caller
    if not Path(path).is_file():
        raise InputError(f"no such file: {path}")
    return Path(path).open("rb")


def _decoded(lines: Iterable[bytes]) -> Iterator[str]:
    """JSON lines split at newlines only (U+2028 inside a string is no line break)."""
    for number, line in enumerate(lines):
        text = line.decode("utf-8", errors="replace")  # a bad byte spoils one field, not the run
        yield text.removeprefix("\ufeff") if number == 0 else text


def _single_request(raw: str, args: argparse.Namespace, *, page: bool = False) -> AnalyzeRequest:
    is_html = page or bool(_HTML_START.match(raw))  # a fetched page is HTML however it starts
    return AnalyzeRequest(
        text=None if is_html else raw,
        html=raw if is_html else None,
        title=args.title,
        url=args.url,
        published=args.published,
        sentences=args.sentences,
        language=args.language,
    )


def digest_batch(
    analyzer: Analyzer, lines: Iterable[str], args: argparse.Namespace, out: IO[str]
) -> int:
    """Digest every JSON line; a bad record yields an error record and the run goes on.

    Returns:
        The exit code: 1 when any record could not be digested, 0 otherwise.
    """
    failures = 0
    for number, line in _numbered_lines(lines):
        record = _batch_record(analyzer, number, line, args)
        failures += "error" in record
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()
    if failures:
        log.warning("%s record(s) could not be digested", failures)
    return 1 if failures else 0


def _numbered_lines(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield number, line


def _batch_record(
    analyzer: Analyzer, number: int, line: str, args: argparse.Namespace
) -> dict[str, Any]:
    record_id: object = f"line {number}"
    explain = bool(getattr(args, "explain", False))
    try:
        fields = _parse_record(line)
        record_id = fields.get("id", record_id)
        request = _record_request(fields, args)
        digest, explained = _digest_explained(analyzer, request, args.algorithm, explain)
    except InputError as error:
        return error_record(record_id, error.reason)
    except AnalysisError as error:
        log.debug("record %s: %s", record_id, error.reason, exc_info=error)
        return error_record(record_id, error.reason)
    except Exception as error:  # a bug outside the pipeline's steps still costs one record only
        log.debug("record %s failed", record_id, exc_info=error)
        return error_record(record_id, f"internal error ({type(error).__name__})")
    record = digest_record(digest, record_id)
    if explain:
        record["explain"] = explanation_records(explained)
    return record


def _parse_record(line: str) -> dict[str, Any]:
    try:
        fields = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(f"not a JSON object ({error.msg} at column {error.colno})") from error
    if not isinstance(fields, dict):
        raise InputError('a record must be a JSON object like {"id": 1, "text": "..."}')
    return fields


def _record_request(fields: dict[str, Any], args: argparse.Namespace) -> AnalyzeRequest:
    text, html = fields.get("text"), fields.get("html")
    if (text is None) == (html is None):
        raise InputError('a record needs exactly one of "text" or "html"')
    for name in ("text", "html", "title", "url", "published", "language"):
        if fields.get(name) is not None and not isinstance(fields[name], str):
            raise InputError(f'"{name}" must be a string')
    published = fields.get("published")
    sentences = fields.get("sentences", args.sentences)
    if isinstance(sentences, bool) or not isinstance(sentences, int) or sentences < 1:
        raise InputError('"sentences" must be a whole number of at least 1')
    return AnalyzeRequest(
        text=text,
        html=html,
        title=fields.get("title") or args.title,
        url=fields.get("url") or args.url,
        published=parse_published(published) if published else args.published,
        sentences=sentences,
        language=fields.get("language") or args.language,
    )


def parse_published(value: str) -> date:
    """A publication date from `2024-01-05` or a full ISO timestamp.

    Raises:
        InputError: When the value is not an ISO date.
    """
    try:
        return date.fromisoformat(value[:10]) if len(value) <= 10 else _datetime_date(value)
    except ValueError as error:
        raise InputError(f"published must be a date like 2024-01-05, not {value!r}") from error


def _datetime_date(value: str) -> date:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).date()


def _date_argument(value: str) -> date:
    try:
        return parse_published(value)
    except InputError as error:
        raise argparse.ArgumentTypeError(error.reason) from error


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {value!r}")
    return number

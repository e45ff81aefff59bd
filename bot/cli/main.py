"""The `newsdigest` command line: parsing, and the one place that turns errors into exit codes."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from bot.cli.analyze import add_analyze_parser
from bot.cli.chat import add_chat_parsers
from bot.cli.feed import add_feed_parser
from bot.cli.worker import add_worker_parsers, log_format
from bot.observability.logs import configure_logging
from summaries import AnalysisError, InputError

log = logging.getLogger(__name__)

EXIT_BAD_INPUT = 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="newsdigest",
        description="Self-hosted news digests: extractive summaries, key actors, calendar dates.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_analyze_parser(commands)
    add_chat_parsers(commands)
    add_feed_parser(commands)
    add_worker_parsers(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (2 for input that cannot be digested)."""
    args = build_parser().parse_args(argv)
    configure_logging(logging.INFO if args.verbose else logging.WARNING, log_format())
    try:
        return int(args.handler(args))
    except InputError as error:
        print(f"newsdigest: error: {error.reason}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except AnalysisError as error:
        log.debug("analysis failed", exc_info=error)
        print(f"newsdigest: error: {error.reason} (a bug: please report it)", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

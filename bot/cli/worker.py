"""`newsdigest worker`, `newsdigest migrate`, and `run --all`: the scaled mode's command line."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from typing import Any

log = logging.getLogger(__name__)

EXIT_CONFIG = 2


def add_worker_parsers(commands: Any) -> None:
    """Register `worker` and `migrate`, and `--all` on `run` (registered before this)."""
    worker = commands.add_parser(
        "worker",
        help="run a worker: feed polls, article analysis and deliveries from the task queue",
        description="Scaled mode (Postgres): run jobs from the task queue until SIGTERM. "
        "Run `newsdigest migrate` once first; run as many workers as you like.",
    )
    worker.add_argument("--database", metavar="URL", help="overrides NEWSDIGEST_DATABASE_URL")
    worker.set_defaults(handler=run_worker_command)
    migrate = commands.add_parser(
        "migrate",
        help="create or upgrade the database's tables (and the task queue's, on Postgres)",
    )
    migrate.add_argument("--database", metavar="URL", help="overrides NEWSDIGEST_DATABASE_URL")
    migrate.set_defaults(handler=run_migrate_command)
    run = commands.choices.get("run")
    if run is not None:
        run.add_argument(
            "--all",
            action="store_true",
            help="everything in one process (the default on SQLite); on Postgres without it, "
            "`run` serves the chat front-ends and `newsdigest worker` processes do the work",
        )


def run_worker_command(args: argparse.Namespace) -> int:
    """`newsdigest worker`."""
    from bot.app import run_worker
    from bot.config import ConfigError

    try:
        settings = _settings(args)
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(run_worker(settings))
    except ConfigError as error:
        print(f"newsdigest: error: {' '.join(error.problems)}", file=sys.stderr)
        return EXIT_CONFIG
    return 0


def run_migrate_command(args: argparse.Namespace) -> int:
    """`newsdigest migrate`."""
    from bot.app import migrate
    from bot.config import ConfigError

    try:
        done = asyncio.run(migrate(_settings(args)))
    except ConfigError as error:
        print(f"newsdigest: error: {' '.join(error.problems)}", file=sys.stderr)
        return EXIT_CONFIG
    print("; ".join(done))
    return 0


def _settings(args: argparse.Namespace) -> Any:
    from bot.config import load_settings

    overrides = {"database_url": args.database} if args.database else {}
    return load_settings(**overrides)


def log_format() -> str:
    """NEWSDIGEST_LOG_FORMAT from the environment or .env (text when the settings are bad)."""
    from bot.config import ConfigError, load_settings

    try:
        return load_settings().log_format
    except ConfigError:
        return "text"

"""`newsdigest chat` and `newsdigest run`: the bot in the terminal, on embedded defaults."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.config import Settings

log = logging.getLogger(__name__)

EXIT_CONFIG = 2
PROMPT = "newsdigest> "


def add_chat_parsers(commands: Any) -> None:
    """Register the `chat` and `run` subcommands on an argparse subparsers object."""
    chat = commands.add_parser(
        "chat",
        help="chat with the bot in the terminal (no Slack or Discord token needed)",
        description="Type /help, /subscribe examples/feeds/world.xml, /digest ... "
        "Commands come from --script, else from standard input until it ends.",
    )
    _common(chat)
    chat.set_defaults(handler=run_chat)
    run = commands.add_parser(
        "run",
        help="run the bot: the console with the bundled demo feed when no platform token is set",
        description="Run the bot on its settings (NEWSDIGEST_*). Without a Slack or Discord "
        "token it is the console chat, subscribed to the demo feed, showing a digest at once.",
    )
    _common(run)
    run.set_defaults(handler=run_bot)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--script", nargs="+", metavar="COMMAND", help="run these, then exit")
    parser.add_argument("--database", metavar="URL", help="overrides NEWSDIGEST_DATABASE_URL")


def run_chat(args: argparse.Namespace) -> int:
    """`newsdigest chat`: the console adapter."""
    return _console(args, demo=False)


def run_bot(args: argparse.Namespace) -> int:
    """`newsdigest run`: the platform adapters when configured, else the console demo."""
    return _console(args, demo=True)


def _console(args: argparse.Namespace, *, demo: bool) -> int:
    settings = _settings(args)
    if settings is None:
        return EXIT_CONFIG
    if demo and settings.platform_tokens:
        return _platforms(settings)
    from bot.config import ConfigError

    try:
        asyncio.run(_chat(settings, args.script, demo=demo))
    except ConfigError as error:
        print(f"newsdigest: error: {' '.join(error.problems)}", file=sys.stderr)
        return EXIT_CONFIG
    return 0


def _platforms(settings: Settings) -> int:
    """Run the configured chat platform, or say in one line what is missing."""
    problem = _platform_problem(settings)
    if problem:
        print(f"newsdigest: error: {problem}", file=sys.stderr)
        return EXIT_CONFIG
    from bot.app import run_platforms
    from bot.config import ConfigError

    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(run_platforms(settings))
    except ConfigError as error:
        print(f"newsdigest: error: {' '.join(error.problems)}", file=sys.stderr)
        return EXIT_CONFIG
    return 0


def _platform_problem(settings: Settings) -> str | None:
    if settings.slack_oauth:  # many workspaces: the install flow in HTTP mode
        from bot.app.platforms import slack_problem

        return slack_problem(settings)
    slack = (settings.slack_bot_token, settings.slack_app_token, settings.slack_signing_secret)
    if not any(slack):
        return None  # Discord alone
    if settings.slack_bot_token is None:
        return "Slack needs SLACK_BOT_TOKEN (xoxb-...) as well as SLACK_APP_TOKEN"
    if settings.slack_app_token is None and settings.slack_signing_secret is None:
        return (
            "Slack needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) "
            "as well as SLACK_BOT_TOKEN"
        )
    return None


async def _chat(settings: Settings, script: list[str] | None, *, demo: bool) -> None:
    # imported here so that `newsdigest analyze` does not load the database stack
    from bot.app import console_chat

    interactive = script is None and sys.stdin.isatty()
    prompt = PROMPT if interactive else ""
    if interactive:
        print("newsdigest console: /help lists the commands, /quit or Ctrl-D leaves.\n")
    await console_chat(settings, script, sys.stdout, demo=demo, prompt=prompt)


def _settings(args: argparse.Namespace) -> Settings | None:
    from bot.config import ConfigError, load_settings

    overrides: dict[str, object] = {"database_url": args.database} if args.database else {}
    if getattr(args, "all", False):
        overrides["run_all"] = True  # `run --all` (bot/cli/worker.py)
    try:
        return load_settings(**overrides)
    except ConfigError as error:
        print(f"newsdigest: error: {error}", file=sys.stderr)
        return None

"""Terminal chat: lines in (`/subscribe ...`, `/digest`), plain-text results and posts out."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import TextIO

from bot.commands.handlers import CommandRequest, Commands
from bot.commands.opml_files import MAX_OPML_BYTES
from bot.commands.spec import SPECS
from bot.commands.spec_types import ArgumentType
from bot.domain import Destination, Digest, Platform
from bot.feeds.urls import url_scheme
from bot.render.text import render_digest, render_text

log = logging.getLogger(__name__)

CONSOLE = Destination(Platform.CONSOLE, "local", "terminal")
CONSOLE_USER = "console"  # the one person at the terminal
QUIT = {"/quit", "/exit", "quit", "exit"}


class ConsolePublisher:
    """The Publisher port on a text stream: scheduled and live posts appear in the terminal.

    A terminal cannot be asked what it showed, so `lookup` answers None: a post pending at a
    crash is never shown again (at most once).
    """

    def __init__(self, out: TextIO) -> None:
        """Write posts to `out`."""
        self.out = out

    async def publish(self, destination: Destination, digest: Digest, key: str) -> None:
        """Print the digest as plain text."""
        log.debug("posting %s to %s", key, destination)
        self.out.write(render_digest(digest) + "\n\n")
        self.out.flush()

    async def lookup(self, destination: Destination, key: str) -> bool | None:
        """Unknown: the terminal keeps no record."""
        return None


class ConsoleChat:
    """Runs typed (or scripted) command lines against the platform-neutral commands."""

    def __init__(self, commands: Commands, out: TextIO, destination: Destination = CONSOLE) -> None:
        """Answer on `out` as `destination`."""
        self.commands = commands
        self.out = out
        self.destination = destination

    async def run(self, lines: AsyncIterator[str], prompt: str = "") -> None:
        """Handle lines until the input ends or the user types /quit."""
        self._prompt(prompt)
        async for line in lines:
            if line.strip().lower() in QUIT:
                return
            await self.handle(line)
            self._prompt(prompt)

    async def handle(self, line: str) -> None:
        """Answer one line (blank lines and # comments are ignored)."""
        text = line.strip()
        if not text or text.startswith("#"):
            return
        if not text.startswith("/"):
            self._say("Commands start with /, e.g. /help")
            return
        result = await self.commands.handle(
            CommandRequest(self.destination, text, _attachment(text), user=CONSOLE_USER)
        )
        self._say(render_text(result))

    def _say(self, text: str) -> None:
        self.out.write(text + "\n\n")
        self.out.flush()

    def _prompt(self, prompt: str) -> None:
        if prompt:
            self.out.write(prompt)
            self.out.flush()


def _attachment(text: str) -> bytes | None:
    """In the console, a command taking a file (`/import-opml PATH`) attaches the file at PATH.

    A URL is no path: the command fetches it. One byte more than the limit is read, so a huge
    file is refused as too big, not read whole.
    """
    name, _, path = text.partition(" ")
    spec = SPECS.get(name.removeprefix("/").lower())
    takes_file = spec is not None and any(a.type is ArgumentType.FILE for a in spec.arguments)
    if not takes_file or not path.strip() or url_scheme(path.strip()):
        return None
    file = Path(path.strip()).expanduser()
    try:
        with file.open("rb") as opened:
            return opened.read(MAX_OPML_BYTES + 1)
    except OSError as error:
        log.info("cannot read %s: %s", file, error)
        return None


async def script_lines(lines: Iterable[str]) -> AsyncIterator[str]:
    """Scripted commands as an async line source."""
    for line in lines:
        yield line


async def stream_lines(stream: TextIO) -> AsyncIterator[str]:
    """Lines of a blocking stream (stdin), read by a daemon thread so Ctrl-C never hangs on it."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def pump() -> None:
        try:
            for line in stream:
                loop.call_soon_threadsafe(queue.put_nowait, line)
            loop.call_soon_threadsafe(queue.put_nowait, None)
        except RuntimeError:  # the event loop closed first: nobody is listening any more
            return

    threading.Thread(target=pump, name="console-input", daemon=True).start()
    while (line := await queue.get()) is not None:
        yield line

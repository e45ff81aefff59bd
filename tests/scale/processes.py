"""Worker processes for the scale tests, and reading their shared database directly."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg

from tests.scale.conftest import libpq

ROOT = Path(__file__).resolve().parents[2]


@asynccontextmanager
async def workers(
    envs: Sequence[dict[str, str]], logs: Path
) -> AsyncIterator[list[asyncio.subprocess.Process]]:
    """One `newsdigest worker` process per environment, stopped (SIGTERM, then SIGKILL) after.

    Each writes its output to `logs/worker<n>.log`.
    """
    procs = []
    for number, env in enumerate(envs):
        out = (logs / f"worker{number}.log").open("wb")
        procs.append(
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot.cli.main",
                "-v",
                "worker",
                env=env,
                cwd=logs,
                stdout=out,
                stderr=out,
            )
        )
    try:
        yield procs
    finally:
        await _stop(procs)


async def _stop(procs: list[asyncio.subprocess.Process]) -> None:
    for proc in procs:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            await asyncio.wait_for(proc.wait(), 10)
        except TimeoutError:
            proc.kill()
            await proc.wait()


async def fetch(database_url: str, query: str) -> list[asyncpg.Record]:
    """The rows of one query on the test's database."""
    connection = await asyncpg.connect(libpq(database_url))
    try:
        return list(await connection.fetch(query))
    finally:
        await connection.close()

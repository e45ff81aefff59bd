"""Crash safety at full count: the bot SIGKILLed at 50 random points while it delivers 100 digests.

The bot runs as its own process (the production composition: SQLite store, guarded HTTP feeds,
the real analyzer and scheduler, the real SlackPublisher) against feeds and the Slack stand-in on
127.0.0.1; see tests/reliability/crash.py for the harness. Prints the figures docs/reliability.md
quotes. CI runs the same harness with 5 kills (tests/reliability/test_crash.py).

Usage:
    python -m benchmarks.crash [--kills 50] [--digests 100] [--seed 7] [--platform discord]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from tests.reliability.crash import run_crashes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--digests", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--platform", choices=("slack", "discord"), default="slack")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        run = run_crashes(
            Path(workdir), args.kills, args.digests, args.seed, platform=args.platform
        )
        report = asyncio.run(run)
    print(f"platform: {args.platform}")
    print(report.summary())
    if report.lost:
        print("lost:", ", ".join(report.lost))
    allowed = 0 if args.platform == "discord" else report.kills  # Slack: one per crash at most
    ok = not report.lost and report.duplicates <= allowed
    ok = ok and set(report.integrity) == {"ok"}
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()

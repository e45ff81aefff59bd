"""Crash safety in CI: the bot process SIGKILLed 5 times at random points while it delivers.

The harness is tests/reliability/crash.py; benchmarks/crash.py runs it with 50 kills and 100
digests. Each restart loads the NLP model again (~3 s), which is what bounds the count here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.crash import run_crashes

pytestmark = pytest.mark.asyncio

KILLS = 5
DIGESTS = 12


@pytest.mark.slow
async def test_sigkill_at_random_points_loses_no_digest_and_keeps_the_database_sound(
    tmp_path: Path,
) -> None:
    report = await run_crashes(tmp_path, kills=KILLS, digests=DIGESTS, seed=11)
    print(report.summary())
    assert report.lost == [], report.summary()
    assert report.delivered == DIGESTS
    assert report.duplicates <= KILLS  # at most one per crash through Slack
    assert report.integrity == ["ok"] * (KILLS + 1)
    assert len(report.kill_delays) == KILLS


@pytest.mark.slow
async def test_through_discord_no_digest_is_lost_or_shown_twice(tmp_path: Path) -> None:
    # Discord's path: each message carries a nonce with enforce_nonce, a post left pending by a
    # kill is posted again under the same nonces, and Discord (the stand-in) drops the repeats
    report = await run_crashes(tmp_path, kills=KILLS, digests=DIGESTS, seed=13, platform="discord")
    print(report.summary())
    assert report.lost == [], report.summary()
    assert report.delivered == DIGESTS
    assert report.duplicates == 0, report.summary()
    assert report.integrity == ["ok"] * (KILLS + 1)

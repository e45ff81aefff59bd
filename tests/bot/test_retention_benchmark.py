"""`python -m benchmarks.retention` runs end to end on tiny parameters and keeps one day."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import retention


def test_the_benchmark_keeps_only_the_retention_window(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flags = "--days 3 --feeds 5 --channels 5 --retention 1 --tick-budget 30"
    retention.main([*flags.split(), "--database", str(tmp_path / "bench.db")])
    printed = capsys.readouterr().out
    (last,) = [line for line in printed.splitlines() if line.startswith("| 3 |")]
    cells = [cell.strip() for cell in last.strip("|").split("|")]
    articles, stories, posts = (int(cells[i].replace(",", "")) for i in (4, 5, 6))
    assert articles == 5 * 20  # the last day's: the two before it are pruned
    assert stories < articles  # the first articles of two feeds share their stories
    assert posts == 5 * 2  # the day's post and skipped slot per channel; older ones pruned
    assert "Live tick: 5 of 5 channels" in printed
    assert "| store.tenant_stories |" in printed
    assert "Step 3 one destination at a time: 5 of 5 channels" in printed
    assert "Step 3 batched (deliver_all): 5 of 5 channels" in printed
    assert "| store.last_posts_at | 1 |" in printed  # one read for every channel

"""`newsdigest analyze` end to end: the real entry point, real model, files and stdin."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.main import main
from tests.conftest import EXAMPLES

SEED = EXAMPLES / "iraq-us-troops.txt"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_json_output_for_the_seed_article(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["analyze", str(SEED), "--json", "--published", "2024-01-05"], capsys)
    assert code == 0
    record = json.loads(out)
    assert record["published"] == "2024-01-05"
    assert len(record["summary"]) == 3
    assert {"name", "kind", "mentions", "aliases"} <= set(record["actors"][0])
    values = {d["text"]: d["value"] for d in record["dates"]}
    assert values["Thursday"] == "2024-01-04"
    assert "text" not in record  # only HTML input echoes the extracted text


def test_terminal_output_is_readable(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["analyze", str(SEED), "--published", "2024-01-05", "--sentences", "2"], capsys
    )
    assert code == 0
    assert "Iraq Wants to Kick Out US Troops" in out
    assert "Key actors" in out
    assert "2024-01-04" in out
    assert "Traceback" not in out


def test_jsonl_batch_keeps_going_past_bad_records(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seed = SEED.read_text(encoding="utf-8")
    lines = [
        json.dumps({"id": "seed", "text": seed, "published": "2024-01-05", "sentences": 2}),
        "{not json",
        json.dumps({"id": "empty", "text": "   "}),
        json.dumps({"id": "both", "text": "a", "html": "<p>b</p>"}),
        json.dumps({"id": "bad-date", "text": seed, "published": "yesterday"}),
        "",
        json.dumps({"id": 7, "text": seed}),
    ]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("\n".join(lines).encode())))
    code, out, _ = run(["analyze", "--jsonl", "-"], capsys)
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert [r["id"] for r in records] == ["seed", "line 2", "empty", "both", "bad-date", 7]
    assert len(records[0]["summary"]) == 2
    assert "JSON" in records[1]["error"]
    assert "empty" in records[2]["error"]
    assert "exactly one" in records[3]["error"]
    assert "2024-01-05" in records[4]["error"]
    assert len(records[5]["summary"]) == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"caf\xe9 au lait " * 20, "not UTF-8"),
        (b"<html><body><div></div></body></html>", "no article"),
    ],
)
def test_bad_files_get_one_line_and_exit_2(
    tmp_path: Path, content: bytes, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "input"
    path.write_bytes(content)
    code, out, err = run(["analyze", str(path)], capsys)
    assert code == 2
    assert out == ""
    assert err.startswith("newsdigest: error: ") and message in err
    assert err.count("\n") == 1


def test_missing_file_and_bad_options(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(["analyze", str(tmp_path / "nope.txt")], capsys)
    assert code == 2 and "no such file" in err
    with pytest.raises(SystemExit) as exited:
        main(["analyze", str(SEED), "--published", "last week"])
    assert exited.value.code == 2
    assert "2024-01-05" in capsys.readouterr().err


@pytest.mark.slow
def test_console_script_runs_from_stdin() -> None:
    entry = Path(sys.executable).with_name("newsdigest")
    command = [str(entry)] if entry.exists() else [sys.executable, "-m", "bot.cli"]
    result = subprocess.run(
        [*command, "analyze", "-", "--json", "--published", "2024-01-05"],
        input=SEED.read_bytes(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(result.stdout)["title"] == "Iraq Wants to Kick Out US Troops"


def test_explain_in_json_lists_every_sentence_with_its_components(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(["analyze", str(SEED), "--json", "--explain", "--sentences", "2"], capsys)
    assert code == 0
    record = json.loads(out)
    explain = record["explain"]
    assert [item["index"] for item in explain] == list(range(len(explain)))
    assert sum(item["chosen"] for item in explain) == 2
    assert [item["text"] for item in explain if item["chosen"]] == record["summary"]
    for item in explain:
        parts = item["position"] + item["centrality"] + item["title"] + item["actors"]
        assert item["total"] == pytest.approx(parts - item["penalty"], abs=1e-3)
    kept = min(item["total"] for item in explain if item["chosen"])
    assert kept >= max(item["total"] for item in explain if not item["chosen"]) - 1.0


def test_explain_table_in_the_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["analyze", str(SEED), "--explain"], capsys)
    assert code == 0
    assert "Why these sentences" in out
    assert "✓0" in out
    for header in ("posit", "centr", "title", "actor", "penal", "final"):
        assert header in out


def test_without_explain_no_explain_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["analyze", str(SEED), "--json"], capsys)
    assert code == 0
    assert "explain" not in json.loads(out)

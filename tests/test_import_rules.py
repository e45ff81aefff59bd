"""DESIGN.md's import rules, read from the source with ast so that a violation fails CI."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ASYNC_OR_NETWORK = {"asyncio", "aiohttp", "httpx", "requests", "discord", "slack_bolt", "slack_sdk"}


def imported_modules(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def top(module: str) -> str:
    return module.split(".")[0]


def test_packages_exist() -> None:
    assert python_files("summaries"), "summaries/ has no modules"
    assert python_files("bot"), "bot/ has no modules"


@pytest.mark.parametrize("path", python_files("summaries"), ids=lambda p: p.name)
def test_summaries_is_pure(path: Path) -> None:
    bad = {m for m in imported_modules(path) if top(m) == "bot" or top(m) in ASYNC_OR_NETWORK}
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


@pytest.mark.parametrize("path", python_files("bot"), ids=lambda p: str(p.relative_to(ROOT)))
def test_chat_sdks_only_in_their_adapters(path: Path) -> None:
    relative = path.relative_to(ROOT).as_posix()
    for module in imported_modules(path):
        if top(module) in {"slack_bolt", "slack_sdk"}:
            assert relative.startswith("bot/adapters/slack"), f"{relative} imports {module}"
        if top(module) == "discord":
            assert relative.startswith("bot/adapters/discord"), f"{relative} imports {module}"


@pytest.mark.parametrize("path", python_files("bot"), ids=lambda p: str(p.relative_to(ROOT)))
def test_only_app_wires_adapters(path: Path) -> None:
    relative = path.relative_to(ROOT).as_posix()
    if relative == "bot/app.py" or relative.startswith("bot/adapters/"):
        return
    wired = [m for m in imported_modules(path) if m.startswith("bot.adapters")]
    assert not wired, f"{relative} imports adapters {wired}; only bot/app.py wires them"


def test_rule_checker_catches_a_violation(tmp_path: Path) -> None:
    offender = tmp_path / "offender.py"
    offender.write_text(
        "import asyncio\nfrom bot.cli.main import main\nfrom slack_sdk import WebClient\n"
    )
    assert set(imported_modules(offender)) == {"asyncio", "bot.cli.main", "slack_sdk"}

"""Wiring rules read from the source with ast: concrete stores and sources only in bot/app/,
and the CPU-bound analyzer never called inline in async code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.test_import_rules import ROOT, imported_modules, python_files

CONCRETE = {
    "bot.store.sql",
    "bot.store.memory",
    "bot.fakes",
    "bot.feeds.local",
    "bot.feeds.opml",
    "bot.feeds.source",
}


@pytest.mark.parametrize("path", python_files("bot"), ids=lambda p: str(p.relative_to(ROOT)))
def test_only_app_builds_concrete_stores_and_sources(path: Path) -> None:
    relative = path.relative_to(ROOT).as_posix()
    if relative.startswith("bot/app/"):
        return
    wired = {m for m in imported_modules(path) if m in CONCRETE}
    assert not wired, f"{relative} imports {sorted(wired)}; only bot/app/ wires them"


def inline_analyze_calls(source: str) -> list[int]:
    lines = []
    for function in ast.walk(ast.parse(source)):
        if isinstance(function, ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "analyze"
                ):
                    lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("path", python_files("bot"), ids=lambda p: str(p.relative_to(ROOT)))
def test_async_code_never_runs_the_analyzer_inline(path: Path) -> None:
    assert inline_analyze_calls(path.read_text(encoding="utf-8")) == []


def test_the_checker_catches_an_inline_call() -> None:
    bad = "async def f(a):\n    return a.analyze(text='x')\n"
    good = (
        "import asyncio\nasync def f(a):\n    return await asyncio.to_thread(a.analyze, text='x')\n"
    )
    assert inline_analyze_calls(bad) == [2]
    assert inline_analyze_calls(good) == []

"""docs/design.md's import rules, read from the source with ast so that a violation fails CI."""

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
    if relative.startswith(("bot/app/", "bot/adapters/")):
        return
    wired = [m for m in imported_modules(path) if m.startswith("bot.adapters")]
    assert not wired, f"{relative} imports adapters {wired}; only bot/app/ wires them"


def test_rule_checker_catches_a_violation(tmp_path: Path) -> None:
    offender = tmp_path / "offender.py"
    offender.write_text(
        "import asyncio\nfrom bot.cli.main import main\nfrom slack_sdk import WebClient\n"
    )
    assert set(imported_modules(offender)) == {"asyncio", "bot.cli.main", "slack_sdk"}


# --- the engine is the door to the store (docs/design.md, "Import rules") --------------------

#: Who may touch a Store: the engine, the services it composes (ingestion, clustering candidates,
#: delivery), the composition root, the task queue (scaled mode's composition) and the store itself.
STORE_USERS = (
    "bot/engine/",
    "bot/app/",
    "bot/news/ingest.py",
    "bot/news/actions.py",
    "bot/news/candidates.py",
    "bot/news/quotas.py",
    "bot/news/selection.py",
    "bot/delivery/deliverer.py",
    "bot/tasks/",
    "bot/store/",
)


def store_imports(path: Path) -> list[str]:
    return [m for m in imported_modules(path) if m == "bot.store" or m.startswith("bot.store.")]


@pytest.mark.parametrize("path", python_files("bot"), ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_engine_and_its_services_touch_the_store(path: Path) -> None:
    relative = path.relative_to(ROOT).as_posix()
    if relative.startswith(STORE_USERS):
        return
    assert not store_imports(path), f"{relative} imports {store_imports(path)}: go through Engine"


@pytest.mark.parametrize("package", ["bot/adapters", "bot/render", "bot/commands", "bot/delivery"])
def test_adapters_renderers_commands_never_import_the_store(package: str) -> None:
    offenders = {
        path.relative_to(ROOT).as_posix(): store_imports(path)
        for path in sorted((ROOT / package).rglob("*.py"))
        if store_imports(path) and path.relative_to(ROOT).as_posix() not in STORE_USERS
    }
    assert not offenders


# --- layers: no import runs upward --------------------------------------------------------------

#: bot/'s rooms from the top down; a module imports only from its own room or rooms below it.
#: `config` (Settings) is read by the composition roots alone: cli, app and tasks (scaled mode).
LAYERS: tuple[frozenset[str], ...] = tuple(
    frozenset(rooms.split())
    for rooms in (
        "cli",
        "app",
        "config",
        "adapters",
        "tasks",
        "render",
        "commands",
        "delivery",
        "engine",
        "news",
        "feeds store observability",
        "fakes",
        "ports clock texts",
        "domain",
    )
)
CONFIG_READERS = {"cli", "app", "tasks"}


def room_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "bot" and len(parts) > 1 else None


def layer_of(room: str) -> int:
    return next(index for index, rooms in enumerate(LAYERS) if room in rooms)


@pytest.mark.parametrize("path", python_files("bot"), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_import_runs_upward(path: Path) -> None:
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    mine = room_of(module)
    if mine is None or mine == "__init__":
        return
    for imported in imported_modules(path):
        theirs = room_of(imported)
        if theirs is None or theirs == mine:
            continue
        if theirs == "config":
            assert mine in CONFIG_READERS, f"{module} reads Settings; only {CONFIG_READERS} may"
            continue
        assert layer_of(theirs) > layer_of(mine), f"{module} imports {imported}: upward"


def test_every_room_has_a_layer() -> None:
    rooms = {path.name.removesuffix(".py") for path in (ROOT / "bot").iterdir()}
    rooms -= {"__init__", "__pycache__"}
    assert rooms <= set().union(*LAYERS)


def test_bot_has_at_most_eight_modules_at_its_top() -> None:
    modules = [p.name for p in (ROOT / "bot").glob("*.py") if p.name != "__init__.py"]
    assert len(modules) <= 8, sorted(modules)

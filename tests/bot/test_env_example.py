"""`.env.example` documents every setting, and a copy of it is a valid configuration."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.config import Settings, load_settings

EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"


def documented() -> set[str]:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    return {m.group(1) for line in lines if (m := re.match(r"NEWSDIGEST_(\w+)=", line))}


def test_every_setting_is_documented() -> None:
    fields = {name.upper() for name in Settings.model_fields}
    assert fields - documented() == set()
    assert documented() - fields == set()


def test_a_copy_of_the_example_loads_as_the_console_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings == load_settings(_env_file=None)
    assert not settings.platform_tokens

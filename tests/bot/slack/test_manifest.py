"""deploy/slack-manifest.yml asks for exactly the scopes, events and command the app uses."""

from __future__ import annotations

import re
from pathlib import Path

from bot.adapters.slack.translate import SUBCOMMANDS

MANIFEST = Path(__file__).resolve().parents[3] / "deploy" / "slack-manifest.yml"


def items_under(key: str) -> list[str]:
    """The `- item` lines of one YAML list (the file is plain enough to read without a parser)."""
    lines = [line for line in MANIFEST.read_text(encoding="utf-8").splitlines() if line.strip()]
    start = next(n for n, line in enumerate(lines) if line.strip() == f"{key}:")
    found = []
    for line in lines[start + 1 :]:
        text = line.strip()
        if text.startswith("#"):
            continue
        if not text.startswith("- "):
            break
        found.append(text.removeprefix("- ").strip())
    return found


def test_the_manifest_asks_for_exactly_what_the_bot_uses() -> None:
    assert sorted(items_under("bot")) == [
        "channels:history",
        "channels:read",
        "chat:write",
        "commands",
        "files:read",
        "files:write",
        "groups:history",
        "groups:read",
        "im:write",
        "users:read",
    ]
    assert sorted(items_under("bot_events")) == [
        "app_home_opened",
        "app_uninstalled",
        "channel_archive",
        "channel_deleted",
        "group_archive",
        "group_deleted",
        "message.channels",
        "message.groups",
        "tokens_revoked",
    ]
    (command,) = items_under("slash_commands")
    assert command == "command: /digest"
    text = MANIFEST.read_text(encoding="utf-8")
    assert "socket_mode_enabled: true" in text and "home_tab_enabled: true" in text


def test_interactivity_is_on_for_the_digests_buttons() -> None:
    text = MANIFEST.read_text(encoding="utf-8")
    section = text.split("\n  interactivity:\n", 1)[1]
    assert section.split("\n", 1)[0].strip() == "is_enabled: true"


def test_the_usage_hint_names_only_subcommands_the_bot_runs() -> None:
    line = next(x for x in MANIFEST.read_text(encoding="utf-8").splitlines() if "usage_hint" in x)
    hint = line.split(":", 1)[1].strip().strip('"')
    # alternatives are split at " | " outside <...> and [...] ("<feed-url | topic>" is one)
    alternatives = re.split(r" \| (?![^<\[]*[>\]])", hint)
    words = [part.split()[0] for part in alternatives]
    assert words[0] == "[topic]"  # the digest itself comes first
    for word in words[1:]:
        assert word in SUBCOMMANDS, f"the hint names {word!r}, which /digest does not run"
    assert {"subscribe", "list", "schedule", "help"} <= set(words)

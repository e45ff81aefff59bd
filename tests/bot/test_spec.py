"""The command spec is whole, and the README's command tables and prose agree with it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.adapters.discord.translate import discord_line, discord_usage
from bot.adapters.slack.translate import SUBCOMMANDS, slack_line, slack_usage
from bot.commands.spec import SPECS, command_line, invoke, on
from bot.commands.spec_types import ArgumentType, CommandSpec, Invocation
from bot.domain import Platform

README = Path(__file__).parents[2] / "README.md"
SECTIONS = {
    Platform.CONSOLE: "The console chat",
    Platform.SLACK: "Slack",
    Platform.DISCORD: "Discord",
}
USAGE: dict[Platform, Callable[[CommandSpec], str]] = {
    Platform.CONSOLE: lambda spec: f"/{spec.usage}",
    Platform.SLACK: slack_usage,
    Platform.DISCORD: discord_usage,
}
LINE: dict[Platform, Callable[[Invocation], str]] = {
    Platform.CONSOLE: command_line,
    Platform.SLACK: slack_line,
    Platform.DISCORD: discord_line,
}
DISCORD_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
NOT_COMMANDS = {"quit", "invite", "slack", "feed", "rss", "atom", "index"}  # words after a slash


def section(title: str) -> str:
    """The README's `## title` section, up to the next `## ` heading."""
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def table_commands(text: str) -> list[str]:
    """The first column of the section's first `| command |` table, code marks and escapes off."""
    table = text[text.index("| command |") :].split("\n\n")[0]  # up to the table's end
    rows = table.split("\n")[2:]
    cells = [row.split(" | ")[0] for row in rows if row.startswith("| `")]
    return [cell.removeprefix("| ").strip("`").replace("\\|", "|") for cell in cells]


@pytest.mark.parametrize("platform", list(SECTIONS), ids=str)
def test_each_platforms_readme_table_lists_exactly_its_spec_commands(platform: Platform) -> None:
    listed = table_commands(section(SECTIONS[platform]))
    assert listed == [USAGE[platform](spec) for spec in on(platform)]


@pytest.mark.parametrize("platform", list(SECTIONS), ids=str)
def test_readme_examples_are_written_in_the_platforms_syntax(platform: Platform) -> None:
    text = section(SECTIONS[platform])
    if platform is Platform.CONSOLE:  # the console's table has no example column
        return
    for spec in on(platform):
        example = LINE[platform](spec.example).replace("|", "\\|")
        assert f"`{example}`" in text, spec.name


def test_readme_names_no_command_the_spec_lacks() -> None:
    console = set(re.findall(r"`/([a-z][a-z-]*)", section(SECTIONS[Platform.CONSOLE])))
    assert console - NOT_COMMANDS <= set(SPECS)
    slack = set(re.findall(r"/digest ([a-z][a-z-]*)(?=[\s`])", section(SECTIONS[Platform.SLACK])))
    assert slack <= set(SUBCOMMANDS)
    discord = set(re.findall(r"`/([a-z][a-z-]*)", section(SECTIONS[Platform.DISCORD])))
    assert discord <= {spec.name for spec in on(Platform.DISCORD)}


@pytest.mark.parametrize("spec", list(SPECS.values()), ids=lambda spec: spec.name)
def test_every_spec_fits_every_platform(spec: CommandSpec) -> None:
    assert DISCORD_NAME.match(spec.name) and 1 <= len(spec.brief) <= 100
    assert spec.platforms and not spec.summary.endswith(".")
    required = [arg.required for arg in spec.arguments]
    assert required == sorted(required, reverse=True), "required arguments come first"
    for arg in spec.arguments:
        assert DISCORD_NAME.match(arg.name) and 1 <= len(arg.description) <= 100
        assert arg.example.strip() and arg.invalid != arg.example
        assert invoke(spec.name, **{arg.name: arg.example}).values == ((arg.name, arg.example),)


@pytest.mark.parametrize("spec", list(SPECS.values()), ids=lambda spec: spec.name)
def test_example_values_are_of_their_type(spec: CommandSpec) -> None:
    for arg in spec.arguments:
        if arg.type is ArgumentType.INTEGER:
            assert arg.minimum is not None and arg.maximum is not None
            assert arg.minimum <= int(arg.example) <= arg.maximum
        if arg.type is ArgumentType.CHOICE:
            assert arg.example in arg.choices
        if arg.type is ArgumentType.SUBSCRIPTION_ID:
            assert arg.example.isdigit()
        if arg.type is ArgumentType.COMMAND:
            assert arg.example in SPECS


def test_invocations_name_only_spec_arguments() -> None:
    with pytest.raises(KeyError):
        invoke("schedule", hour="09:00")
    with pytest.raises(KeyError):
        SPECS["schedule"].argument("hour")
    schedule = invoke("schedule", max="8", time="09:00")
    assert schedule.values == (("time", "09:00"), ("max", "8")), "in the spec's order"
    assert [command_line(bad) for bad in SPECS["mode"].invalid_examples()] == ["/mode live 99"]

"""Discord's words to the bot's and back: pure translation, no network."""

from __future__ import annotations

from dataclasses import replace

from bot.adapters.discord import BOT_PERMISSIONS, invite_url
from bot.adapters.discord.publisher import nonce
from bot.adapters.discord.translate import (
    MAX_MESSAGES,
    answer_text,
    discord_line,
    discord_usage,
    help_text,
    links_in,
    options_line,
    subscription_id,
    text_messages,
    thread_name,
)
from bot.commands.replies import SPECS, CommandError
from bot.commands.spec import invoke
from bot.domain import Platform
from tests.bot.discord.standin import APP_ID


def test_options_become_the_neutral_command_line() -> None:
    options = {"time": "09:00", "timezone": None, "weekdays": " mon-fri ", "max": 8}
    assert options_line(SPECS["schedule"], options) == "/schedule 09:00 mon-fri max=8"
    assert options_line(SPECS["schedule"], {"max": 0, "time": "9"}) == "/schedule 9 max=0"
    assert options_line(SPECS["digest"], {}) == "/digest"
    assert options_line(SPECS["digest"], {"topic": "", "since": None}) == "/digest"
    assert options_line(SPECS["unsubscribe"], {"subscription": "#3 feed: x"}) == "/unsubscribe 3"


def test_a_chosen_subscription_label_is_its_id() -> None:
    assert subscription_id("#3 feed: https://a.example/x.xml") == "3"
    assert subscription_id(" 12 ") == "12"
    assert subscription_id("#7") == "7"
    assert subscription_id("bridge") == "bridge"


def test_errors_show_the_example_as_a_discord_user_types_it() -> None:
    text = answer_text(CommandError("the time must be HH:MM", invoke("schedule", time="09:00")))
    assert text == "Error: the time must be HH:MM. Example: /schedule time:09:00"
    assert discord_line(SPECS["schedule"].example) == (
        "/schedule time:09:00 timezone:Europe/Berlin weekdays:mon-fri max:8 layout:inline"
    )


def test_help_lists_discord_usage() -> None:
    text = help_text([SPECS["subscribe"], SPECS["import-opml"]])
    assert "**/subscribe target:<feed-url | site [N] | topic> [only:<topic>]**" in text
    assert "`/subscribe target:https://" in text
    assert "**/import-opml [file:<attachment>] [url:<URL>]**" in text
    assert "`/import-opml url:https://example.com/subs.opml`" in text and "/digest" not in text
    assert discord_usage(SPECS["mode"]) == "/mode mode:<quiet | live> [limit:<N>]"
    elsewhere = replace(SPECS["help"], platforms=frozenset({Platform.CONSOLE}))
    assert "**/digest" in help_text([elsewhere]), "none of them: all of Discord's"


def test_long_text_is_split_within_limits_and_inert() -> None:
    lines = [f"line {n} @everyone <@123>" for n in range(2000)]
    messages = text_messages("\n".join(lines))
    assert 1 < len(messages) <= MAX_MESSAGES
    assert all(len(message) <= 2000 for message in messages)
    assert not any("@everyone" in message or "<@123>" in message for message in messages)
    assert text_messages("") == ["(nothing to show)"]


def test_links_in_a_message() -> None:
    text = (
        "see https://a.example/x, and <https://b.example/y> (https://c.example/z) "
        "https://a.example/x again, https://discord.com/channels/1/2/3 https://d.example/4"
    )
    assert links_in(text) == ["https://a.example/x", "https://b.example/y", "https://c.example/z"]
    assert links_in("https://cdn.discordapp.com/a.png and discord.gg/abc") == []
    assert links_in("no links") == []


def test_thread_names_fit_and_are_inert() -> None:
    name = thread_name("  @everyone   big   news ")
    assert "@everyone" not in name and name.endswith("everyone big news")
    assert len(thread_name("word " * 100)) == 100
    assert thread_name("") == "Digest"


def test_the_invite_link_asks_for_exactly_the_permissions_used() -> None:
    url = invite_url(APP_ID)
    assert f"client_id={APP_ID}" in url
    assert f"permissions={BOT_PERMISSIONS.value}" in url
    assert "scope=bot+applications.commands" in url
    assert not BOT_PERMISSIONS.administrator and not BOT_PERMISSIONS.mention_everyone
    assert not BOT_PERMISSIONS.manage_messages and not BOT_PERMISSIONS.manage_channels


def test_nonces_are_stable_and_within_discords_length() -> None:
    assert nonce("a", 0) == nonce("a", 0) != nonce("a", 1) != nonce("b", 1)
    assert len(nonce("x" * 500, 3)) == 25

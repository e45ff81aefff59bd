"""Slack's words to the bot's and back: pure functions over Slack payloads."""

from __future__ import annotations

import pytest

from bot.adapters.slack.translate import (
    RecentMessages,
    command_line,
    from_a_person,
    in_a_channel,
    is_retry,
    links_in,
    slack_commands,
    unsupported,
    wants_shared_file,
)


@pytest.mark.parametrize(
    ("typed", "neutral"),
    [
        ("", "/digest"),
        ("  ", "/digest"),
        ("list", "/subscriptions"),
        ("LIST", "/subscriptions"),
        ("schedule 09:00 Europe/Berlin", "/schedule 09:00 Europe/Berlin"),
        ("help schedule", "/help schedule"),
        ("unsubscribe 3", "/unsubscribe 3"),
        ("48h", "/digest 48h"),
        ('actor:"Ilse Brandt"', '/digest actor:"Ilse Brandt"'),
        ("import-opml https://a.example/s.opml", "/import-opml https://a.example/s.opml"),
        ("subscribe https://x.example/f only:bridge", "/subscribe https://x.example/f only:bridge"),
        ("links off", "/links off"),
    ],
)
def test_subcommands_become_neutral_command_lines(typed: str, neutral: str) -> None:
    assert command_line(typed) == neutral


def test_every_subcommand_runs_on_slack_and_a_bare_import_reads_a_shared_file() -> None:
    assert unsupported("import-opml") is None and unsupported("export-opml") is None
    assert wants_shared_file(command_line("import-opml"))
    assert not wants_shared_file(command_line("import-opml https://a.example/s.opml"))
    assert not wants_shared_file(command_line("export-opml"))


def test_neutral_command_names_are_written_as_slack_users_type_them() -> None:
    text = "Example: /subscribe https://example.com/feed. /subscriptions lists them; see /help."
    assert slack_commands(text) == (
        "Example: /digest subscribe https://example.com/feed. /digest list lists them; "
        "see /digest help."
    )


def test_paths_and_urls_containing_command_words_are_left_alone() -> None:
    text = "feed: https://x.example/subscribe (ok), examples/help, /help.md, /digest 24h"
    assert slack_commands(text) == text


def test_links_are_read_from_slack_link_tokens() -> None:
    text = (
        "see <https://a.example/x?a=1&amp;b=2|this> and <http://b.example/y> "
        "and <https://a.example/x?a=1&amp;b=2> <mailto:me@x.example|me> <@U1> <#C1|general> "
        "<https://team.slack.com/archives/C1/p1> <https://slack.com/help> "
        "<https://c.example/1> <https://d.example/2>"
    )
    assert links_in(text) == [
        "https://a.example/x?a=1&b=2",
        "http://b.example/y",
        "https://c.example/1",
    ]
    assert links_in("plain https://e.example/ text") == []


@pytest.mark.parametrize(
    ("headers", "retry"),
    [
        ({}, False),
        ({"x-slack-retry-num": ["0"]}, False),
        ({"x-slack-retry-num": ["1"]}, True),
        ({"x-slack-retry-num": ["3"], "x-slack-retry-reason": ["http_timeout"]}, True),
    ],
)
def test_retries_are_recognised(headers: dict[str, list[str]], retry: bool) -> None:
    assert is_retry(headers) is retry


def test_only_peoples_new_channel_messages_count() -> None:
    person = {"user": "U1", "text": "hi", "channel_type": "channel"}
    assert from_a_person(person) and in_a_channel(person)
    assert in_a_channel(person | {"channel_type": "group"})
    assert not in_a_channel(person | {"channel_type": "im"})
    assert not from_a_person(person | {"bot_id": "B1"})
    assert not from_a_person(person | {"subtype": "channel_join"})
    assert not from_a_person({"text": "no sender"})


def test_recent_messages_remember_a_bounded_few() -> None:
    recent = RecentMessages(size=2)
    assert recent.first_time("C1", "1") and not recent.first_time("C1", "1")
    assert recent.first_time("C2", "1") and recent.first_time("C1", "2")
    assert recent.first_time("C1", "1")  # forgotten: the oldest fell out

"""Discord embed rendering: within Discord's limits, every story kept, nothing can ping."""

from __future__ import annotations

import json
from typing import Any

from bot.render.embeds import LIMITS, embed_chars, escape, render_digest_embeds
from tests.support.digests import digest, story

ATTACKS = ("@everyone", "@here", "<@123>", "<@!123>", "<@&456>", "<#789>")


def assert_within_limits(message: dict[str, Any]) -> None:
    assert message["allowed_mentions"] == {"parse": []}
    assert len(message["content"]) <= LIMITS.content_chars
    embeds = message["embeds"]
    assert len(embeds) <= LIMITS.embeds
    assert len(message.get("components", [])) <= 5, "Discord's most action rows"
    assert sum(embed_chars(embed) for embed in embeds) <= LIMITS.message_chars
    for embed in embeds:
        assert len(embed.get("title", "")) <= LIMITS.title_chars
        assert len(embed["description"]) <= LIMITS.description_chars
        assert len(embed.get("footer", {}).get("text", "")) <= LIMITS.footer_chars


def test_a_40_story_digest_is_split_within_limits_keeping_every_story() -> None:
    messages = render_digest_embeds(digest(*(story(n) for n in range(1, 41)), more=2))
    assert len(messages) == 8, "five stories a message: each brings a row of actions"
    for message in messages:
        assert_within_limits(message)
        rows = [row["components"][0]["custom_id"] for row in message["components"]]
        stories = [int(embed["title"].split()[1].rstrip(":")) for embed in message["embeds"]]
        assert rows == [f"newsdigest:story:{n}" for n in stories]
    titles = [embed["title"] for message in messages for embed in message["embeds"]]
    assert titles == [f"Story {n}: budget passes" for n in range(1, 41)]
    assert messages[0]["content"].startswith("Daily digest, Fri 5 Jan 2024 (42 stories)")
    assert "and 2 more" in messages[-1]["content"]


def test_long_stories_split_on_the_6000_character_budget() -> None:
    messages = render_digest_embeds(digest(*(story(n, "word " * 900) for n in range(1, 6))))
    assert len(messages) > 1
    for message in messages:
        assert_within_limits(message)


def test_article_text_can_never_ping() -> None:
    hostile = "Breaking " + " ".join(ATTACKS) + " [click](https://evil.example) **bold**"
    messages = render_digest_embeds(digest(story(1, hostile)))
    payload = json.dumps(messages, ensure_ascii=False)
    for attack in ATTACKS:
        assert attack not in payload
    description = messages[0]["embeds"][0]["description"]
    assert "\\[click\\](https://evil.example)" in description
    assert messages[0]["allowed_mentions"] == {"parse": []}


def test_dates_sources_and_links() -> None:
    embed = render_digest_embeds(digest(story(7)))[0]["embeds"][0]
    assert "Thursday (<t:1704369600:D>)" in embed["description"]
    assert "next year (2025)" in embed["description"]
    assert "• [a.example](https://a.example/7)" in embed["description"]
    assert "• [b.example](https://b.example/7) (from feed excerpt)" in embed["description"]
    assert (embed["url"], embed["footer"]["text"]) == (
        "https://a.example/7",
        "Covered by 2 sources",
    )
    assert embed["timestamp"] == "2024-01-05T00:00:00+00:00"


def test_escape_and_an_empty_digest() -> None:
    assert escape("a_b *c* @here") == "a\\_b \\*c\\* @\u200bhere"
    (message,) = render_digest_embeds(digest())
    assert message["embeds"] == [] and "/subscribe" in message["content"]

"""Slack Block Kit rendering: within Slack's limits, every story kept, nothing can ping."""

from __future__ import annotations

import json
from typing import Any

from bot.domain import DigestEntry
from bot.render.blocks import LIMITS, escape, link, render_digest_blocks
from tests.support.digests import digest
from tests.support.digests import story as plain_story

ATTACKS = ("<!channel>", "<!here>", "@here", "@everyone", "<@U024BE7LH>", "<#C1>")


def story(number: int, sentence: str = "The council approved the budget.") -> DigestEntry:
    """A story whose first source URL carries a query (`&` must be escaped for Slack)."""
    return plain_story(number, sentence, query="?x=1&y=2")


def texts(block: dict[str, Any]) -> list[str]:
    inner = [block["text"]["text"]] if "text" in block else []
    return inner + [_text(element.get("text", "")) for element in block.get("elements", [])]


def _text(text: str | dict[str, Any]) -> str:
    """A context element's text, or a button's label (a plain_text object)."""
    return text if isinstance(text, str) else str(text["text"])


def assert_within_limits(message: dict[str, Any]) -> None:
    blocks = message["blocks"]
    assert message["text"] and len(message["text"]) <= LIMITS.fallback_chars
    assert 0 < len(blocks) <= LIMITS.blocks
    for block in blocks:
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= LIMITS.header_chars
            assert block["text"]["type"] == "plain_text"
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= LIMITS.section_chars
        if block["type"] == "context":
            assert 0 < len(block["elements"]) <= LIMITS.context_elements
    assert sum(len(t) for block in blocks for t in texts(block)) <= LIMITS.message_chars + 200


def test_a_40_story_digest_is_split_within_limits_keeping_every_story() -> None:
    messages = render_digest_blocks(digest(*(story(n) for n in range(1, 41)), more=3))
    assert len(messages) > 1
    for message in messages:
        assert_within_limits(message)
    sections = [b for m in messages for b in m["blocks"] if b["type"] == "section"]
    headlines = [f"Story {n}: budget passes" for n in range(1, 41)]
    positions = [
        next(i for i, s in enumerate(sections) if h in s["text"]["text"]) for h in headlines
    ]
    assert positions == sorted(positions) and len(sections) == 40
    assert "and 3 more" in json.dumps(messages[-1])
    assert messages[0]["blocks"][0]["type"] == "header"


def test_article_text_can_never_ping_or_break_markup() -> None:
    hostile = "Breaking " + " ".join(ATTACKS) + " <https://evil.example|click> *bold* & more"
    entry = story(1, hostile)
    messages = render_digest_blocks(digest(entry))
    payload = json.dumps(messages, ensure_ascii=False)
    for attack in ATTACKS:
        assert attack not in payload
    assert "<https://evil.example" not in payload
    section = messages[0]["blocks"][1]["text"]["text"]
    assert "&lt;\u200b!channel&gt;" in section and "&amp; more" in section


def test_day_dates_become_date_tokens_and_links_are_safe() -> None:
    context = json.dumps(render_digest_blocks(digest(story(7)))[0]["blocks"][2])
    assert "Thursday (<!date^1704369600^{date_short}|2024-01-04>)" in context
    assert "next year (2025)" in context
    sources = json.dumps(render_digest_blocks(digest(story(7)))[0]["blocks"][3])
    assert "<https://a.example/7?x=1&amp;y=2|a.example>" in sources
    assert "<https://b.example/7|b.example> (from feed excerpt)" in sources


def test_links_cannot_break_out_of_their_token() -> None:
    assert link("https://x.example/a|b>c", "<@U1> | x") == (
        "<https://x.example/a%7Cb%3Ec|&lt;\u200b@U1&gt; | x>"
    )
    assert escape("a & <b>") == "a &amp; &lt;b&gt;"


def test_an_overlong_sentence_is_cut_inside_the_section_limit() -> None:
    message = render_digest_blocks(digest(story(1, "word " * 2000)))[0]
    assert_within_limits(message)
    assert message["blocks"][1]["text"]["text"].endswith("…")


def test_an_empty_digest_says_how_to_start() -> None:
    (message,) = render_digest_blocks(digest())
    assert_within_limits(message)
    assert "/subscribe" in json.dumps(message)

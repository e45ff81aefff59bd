"""Links posted in a channel get a threaded digest: real AsyncApp, signed events, the stand-in."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest

from bot.ports import ArticleBody
from tests.bot.slack.conftest import HttpSlack
from tests.bot.slack.signing import event_body, message, signed, slash
from tests.bot.test_render_blocks import assert_within_limits
from tests.support.samples import BRIDGE_A, CHOIR_A

pytestmark = pytest.mark.asyncio

BRIDGE = "https://lindmoor-post.example/bridge"
CHOIR = "https://halden-news.example/choir"


def serve_pages(slack: HttpSlack) -> None:
    slack.source.pages[BRIDGE] = ArticleBody(text=BRIDGE_A)
    slack.source.pages[CHOIR] = ArticleBody(text=CHOIR_A)


def replies(slack: HttpSlack) -> list[dict[str, Any]]:
    return slack.standin.posts("chat.postMessage")


async def test_a_link_gets_its_digest_in_the_thread(http_slack: HttpSlack) -> None:
    serve_pages(http_slack)
    text = f"Have you seen this? <{BRIDGE}|the bridge story>"
    assert await http_slack.send(event_body(message(text, ts="100.1"))) == 200
    await http_slack.standin.called("chat.postMessage")
    (reply,) = replies(http_slack)
    assert reply["channel"] == "C1" and reply["thread_ts"] == "100.1"
    assert_within_limits(reply)
    assert reply["blocks"][0]["type"] == "header"
    shown = json.dumps(reply["blocks"])
    assert "Esker River" in shown and "Hanna Vogt" in shown and f"<{BRIDGE}|" in shown


async def test_a_link_inside_a_thread_is_answered_in_that_thread(http_slack: HttpSlack) -> None:
    serve_pages(http_slack)
    event = message(f"<{BRIDGE}>", ts="101.5", thread_ts="100.1")
    assert await http_slack.send(event_body(event)) == 200
    await http_slack.standin.called("chat.postMessage")
    assert replies(http_slack)[0]["thread_ts"] == "100.1"


async def test_bots_edits_direct_messages_and_plain_text_get_no_reply(
    http_slack: HttpSlack,
) -> None:
    serve_pages(http_slack)
    ignored = [
        message(f"<{CHOIR}>", ts="1.1", bot_id="BOTHER"),
        message(f"<{CHOIR}>", ts="1.2", user="UBOT", bot_id="BBOT"),
        message(f"<{CHOIR}>", ts="1.3", subtype="message_changed"),
        message(f"<{CHOIR}>", ts="1.4", channel_type="im"),
        message("no link here", ts="1.5"),
    ]
    for number, event in enumerate(ignored):
        assert await http_slack.send(event_body(event, f"Ev{number}")) == 200
    assert await http_slack.send(event_body(message(f"<{BRIDGE}>", ts="2.0"), "EvLast")) == 200
    await http_slack.standin.called("chat.postMessage")
    assert [reply["thread_ts"] for reply in replies(http_slack)] == ["2.0"]
    assert http_slack.standin.posts("chat.postEphemeral") == []


async def test_slacks_retries_and_repeats_are_answered_once(http_slack: HttpSlack) -> None:
    serve_pages(http_slack)
    retried = event_body(message(f"<{CHOIR}>", ts="3.0"), "EvRetry")
    assert await http_slack.send(retried, {"X-Slack-Retry-Num": "1"}) == 200
    first = event_body(message(f"<{BRIDGE}>", ts="4.0"), "EvFirst")
    again = event_body(message(f"<{BRIDGE}>", ts="4.0"), "EvAgain")
    assert await http_slack.send(first) == 200
    assert await http_slack.send(again) == 200
    await http_slack.standin.called("chat.postMessage")
    later = event_body(message(f"<{BRIDGE}>", ts="5.0"), "EvLater")
    assert await http_slack.send(later) == 200
    await http_slack.standin.called("chat.postMessage", 2)
    assert [reply["thread_ts"] for reply in replies(http_slack)] == ["4.0", "5.0"]


async def test_an_unreadable_link_is_explained_to_its_poster_only(http_slack: HttpSlack) -> None:
    missing = "https://lindmoor-post.example/gone"
    assert await http_slack.send(event_body(message(f"<{missing}>", ts="6.0"))) == 200
    await http_slack.standin.called("chat.postEphemeral")
    (note,) = http_slack.standin.posts("chat.postEphemeral")
    assert note["user"] == "U1" and note["thread_ts"] == "6.0"
    assert note["text"] == f"I could not digest {missing}: HTTP 404"
    assert replies(http_slack) == []


async def test_a_hostile_page_reaches_the_thread_inert(http_slack: HttpSlack) -> None:
    hostile = BRIDGE_A.replace("Buses between", "<!channel> @here <@U024BE7LH> Buses between")
    http_slack.source.pages[BRIDGE] = ArticleBody(text=hostile)
    assert await http_slack.send(event_body(message(f"<{BRIDGE}>", ts="7.0"))) == 200
    await http_slack.standin.called("chat.postMessage")
    payload = json.dumps(replies(http_slack), ensure_ascii=False)
    for attack in ("<!channel>", "@here", "<@U024BE7LH>"):
        assert attack not in payload


async def test_a_429_storm_delays_the_reply_and_loses_nothing(http_slack: HttpSlack) -> None:
    serve_pages(http_slack)
    await until_authorised(http_slack)
    http_slack.standin.throttle_next = 4
    text = f"<{BRIDGE}> and <{CHOIR}>"
    assert await http_slack.send(event_body(message(text, ts="8.0"))) == 200
    await http_slack.standin.called("chat.postMessage", 2)
    first, second = replies(http_slack)
    assert "Esker River" in json.dumps(first) and "Halden" in json.dumps(second)
    assert http_slack.standin.throttled == 4


async def until_authorised(slack: HttpSlack) -> None:
    """Bolt asks auth.test on its first request; get that done before throttling."""
    assert await slack.send(event_body(message("hello", ts="0.1"), "EvWarm")) == 200
    await slack.standin.called("auth.test")


async def test_the_events_url_answers_slacks_verification_challenge(http_slack: HttpSlack) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "unused"})
    async with (
        aiohttp.ClientSession() as session,
        session.post(http_slack.url, data=body, headers=signed(body)) as answer,
    ):
        assert answer.status == 200
        assert "c-123" in await answer.text()


async def links(slack: HttpSlack, state: str, answers: int) -> None:
    """`/digest links <state>` typed in C1; waits for its (ephemeral) answer."""
    assert await slack.send(slash(f"links {state}")) == 200
    await slack.standin.called("chat.postEphemeral", answers)
    said = slack.standin.posts("chat.postEphemeral")[-1]["text"]
    assert f"link replies {state}" in said


async def test_a_channel_with_links_off_gets_no_reply_and_on_again_does(
    http_slack: HttpSlack,
) -> None:
    serve_pages(http_slack)
    await links(http_slack, "off", answers=1)
    silenced = event_body(message(f"<{BRIDGE}>", ts="9.0"), "EvOff")
    elsewhere = event_body(message(f"<{CHOIR}>", ts="9.1", channel="C2"), "EvElsewhere")
    assert await http_slack.send(silenced) == 200
    assert await http_slack.send(elsewhere) == 200  # C2 never chose: Slack's default, on
    await http_slack.standin.called("chat.postMessage")
    assert [(r["channel"], r["thread_ts"]) for r in replies(http_slack)] == [("C2", "9.1")]
    await links(http_slack, "on", answers=2)
    assert await http_slack.send(event_body(message(f"<{BRIDGE}>", ts="9.2"), "EvOn")) == 200
    await http_slack.standin.called("chat.postMessage", 2)
    assert [(r["channel"], r["thread_ts"]) for r in replies(http_slack)][1] == ("C1", "9.2")

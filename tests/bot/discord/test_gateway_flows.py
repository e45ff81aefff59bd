"""The flows that go through the gateway: real discord.py, the REST and gateway stand-in."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.commands.limits import RateLimits
from bot.domain import SubscriptionKind
from bot.engine import Quotas
from bot.ports import ArticleBody
from tests.bot.discord.conftest import (
    CHANNEL,
    NOW,
    LiveDiscord,
    message_payload,
    option,
    slash_payload,
)
from tests.bot.discord.standin import CHANNEL_ID, EVERYONE_PERMISSIONS, GUILD_ID
from tests.bot.test_render_embeds import assert_within_limits
from tests.support.samples import BRIDGE_A, CHOIR_A, entry
from tests.support.waiting import wait_until

pytestmark = pytest.mark.asyncio

FEED = "https://lindmoor-post.example/feed.xml"
BRIDGE = "https://lindmoor-post.example/bridge"
CHOIR = "https://halden-news.example/choir"
EPHEMERAL = 64


async def run_command(live: LiveDiscord, payload: dict[str, object], answers: int = 1) -> None:
    """Send an interaction and wait for `answers` more webhook or callback calls."""
    standin = live.standin
    before = len(standin.calls)
    await standin.dispatch("INTERACTION_CREATE", payload)
    await wait_until(lambda: len(standin.calls) >= before + answers + 1, "the bot's answer")


async def subscribe(live: LiveDiscord) -> None:
    live.source.put(FEED, [entry("bridge", BRIDGE_A, NOW)])
    await run_command(live, slash_payload("subscribe", [option("target", FEED)]))
    assert "Subscribed (#" in live.standin.made("POST", "/webhooks/")[-1].body["content"]


async def test_the_client_identifies_and_sees_the_server(live_discord: LiveDiscord) -> None:
    client = live_discord.running.client
    assert client.is_ready()
    assert [guild.id for guild in client.guilds] == [GUILD_ID]
    (identify,) = live_discord.standin.identified
    assert identify["intents"] & (1 << 15), "link watching asks for Message Content"
    (synced,) = live_discord.standin.made("PUT", "/applications/")
    assert synced.path.endswith("/commands") and "/guilds/" not in synced.path
    names = sorted(command["name"] for command in synced.body)
    assert names == [
        "digest",
        "export-opml",
        "help",
        "import-opml",
        "links",
        "mode",
        "schedule",
        "subscribe",
        "subscriptions",
        "unsubscribe",
    ]
    managing = {c["name"]: c.get("default_member_permissions") for c in synced.body}
    assert int(managing["subscribe"]) == int(managing["schedule"]) == 1 << 4
    assert int(managing["import-opml"]) == 1 << 4 and managing["export-opml"] is None
    assert int(managing["links"]) == 1 << 4
    assert managing["digest"] is None
    options = {c["name"]: {o["name"]: o for o in c.get("options", [])} for c in synced.body}
    assert options["import-opml"]["file"]["type"] == 11, "an attachment"
    assert options["import-opml"]["url"]["type"] == 3 and not options["import-opml"]["url"].get(
        "required"
    )
    assert [c["value"] for c in options["links"]["state"]["choices"]] == ["on", "off"]
    assert options["subscribe"]["only"]["type"] == 3 and options["subscribe"]["target"]["required"]


async def test_digest_is_deferred_then_followed_up_with_embeds(live_discord: LiveDiscord) -> None:
    await subscribe(live_discord)
    await run_command(live_discord, slash_payload("digest"))
    standin = live_discord.standin
    defer = standin.made("POST", "/interactions/")[-1]
    assert defer.body["type"] == 5 and defer.body["data"]["flags"] & EPHEMERAL, "only the asker"
    follow_up = standin.made("POST", "/webhooks/")[-1].body
    assert_within_limits(follow_up)
    assert "Esker River" in str(follow_up["embeds"]) and "<t:" in str(follow_up["embeds"])
    assert follow_up["flags"] & EPHEMERAL


async def test_a_bad_argument_is_answered_only_to_the_asker(live_discord: LiveDiscord) -> None:
    payload = slash_payload("schedule", [option("time", "25:00")])
    await run_command(live_discord, payload, answers=2)
    standin = live_discord.standin
    assert standin.made("DELETE", "/webhooks/"), "the public 'thinking' message is removed"
    answer = standin.made("POST", "/webhooks/")[-1].body
    assert answer["flags"] & EPHEMERAL
    assert (
        answer["content"].startswith("Error:")
        and "Example: /schedule time:09:00" in answer["content"]
    )
    assert answer["allowed_mentions"] == {"parse": []}


async def test_changing_subscriptions_needs_manage_channels(live_discord: LiveDiscord) -> None:
    payload = slash_payload("subscribe", [option("target", FEED)], permissions=EVERYONE_PERMISSIONS)
    await run_command(live_discord, payload, answers=0)
    refusal = live_discord.standin.made("POST", "/interactions/")[-1].body
    assert refusal["type"] == 4 and refusal["data"]["flags"] & EPHEMERAL
    assert "Manage Channels" in refusal["data"]["content"]
    channel = await live_discord.stack.engine.destination(CHANNEL)
    assert await live_discord.stack.store.subscriptions(channel.id) == []


async def test_unsubscribe_completes_the_channels_subscriptions(
    live_discord: LiveDiscord,
) -> None:
    await subscribe(live_discord)
    focused = [option("subscription", "feed", focused=True)]
    await run_command(live_discord, slash_payload("unsubscribe", focused, kind=4), answers=0)
    choices = live_discord.standin.made("POST", "/interactions/")[-1].body
    assert choices["type"] == 8
    (choice,) = choices["data"]["choices"]
    assert choice["name"].startswith("#") and FEED in choice["name"]
    await run_command(
        live_discord, slash_payload("unsubscribe", [option("subscription", choice["value"])])
    )
    assert "Unsubscribed" in live_discord.standin.made("POST", "/webhooks/")[-1].body["content"]


async def test_completions_and_listings_keep_to_the_invoking_channel(
    live_discord: LiveDiscord,
) -> None:
    store, other = live_discord.stack.store, CHANNEL_ID + 1
    elsewhere = await live_discord.stack.channel(replace(CHANNEL, channel=str(other)))
    await store.add_subscription(elsewhere.id, SubscriptionKind.TOPIC, "Merger talks", None, NOW)
    await subscribe(live_discord)
    focused = [option("subscription", "", focused=True)]
    await run_command(live_discord, slash_payload("unsubscribe", focused, kind=4), answers=0)
    (choice,) = live_discord.standin.made("POST", "/interactions/")[-1].body["data"]["choices"]
    assert FEED in choice["name"]
    payload = slash_payload("unsubscribe", focused, kind=4, channel=other)
    await run_command(live_discord, payload, answers=0)
    (choice,) = live_discord.standin.made("POST", "/interactions/")[-1].body["data"]["choices"]
    assert "Merger talks" in choice["name"]
    await run_command(live_discord, slash_payload("subscriptions", channel=other))
    listing = live_discord.standin.made("POST", "/webhooks/")[-1].body["content"]
    assert "Merger talks" in listing and FEED not in listing


async def test_help_and_subscriptions_answer_privately(live_discord: LiveDiscord) -> None:
    await run_command(live_discord, slash_payload("help"))
    defer = live_discord.standin.made("POST", "/interactions/")[-1].body
    assert defer["type"] == 5 and defer["data"]["flags"] & EPHEMERAL
    answer = live_discord.standin.made("POST", "/webhooks/")[-1].body["content"]
    assert "/subscribe target:" in answer and "/mode mode:" in answer


async def links(live: LiveDiscord, state: str) -> None:
    """`/links state: <state>` in the test channel, answered publicly."""
    await run_command(live, slash_payload("links", [option("state", state)]))
    answer = live.standin.made("POST", "/webhooks/")[-1].body["content"]
    assert f"link replies {state}" in answer and "does not read messages" not in answer


async def test_a_posted_link_gets_its_digest_in_a_thread(live_discord: LiveDiscord) -> None:
    live_discord.source.pages[BRIDGE] = ArticleBody(text=BRIDGE_A)
    await links(live_discord, "on")
    standin = live_discord.standin
    message = message_payload(f"Have you seen this? {BRIDGE}")
    await standin.dispatch("MESSAGE_CREATE", message)
    await wait_until(lambda: len(standin.made("POST", "/channels/")) >= 2, "the link reply")
    thread_call, post_call = standin.made("POST", "/channels/")
    assert thread_call.path == f"/channels/{CHANNEL_ID}/messages/{message['id']}/threads"
    name, headline = thread_call.body["name"], post_call.body["embeds"][0]["title"]
    assert len(name) <= 100 and headline.startswith(name.removesuffix("…"))
    assert headline.startswith("The old swing bridge")
    thread_id = post_call.path.split("/")[2]
    assert thread_id != str(CHANNEL_ID)
    assert_within_limits(post_call.body)
    assert "Hanna Vogt" in str(post_call.body["embeds"])


async def test_bots_and_plain_messages_get_no_reply(live_discord: LiveDiscord) -> None:
    live_discord.source.pages[BRIDGE] = ArticleBody(text=BRIDGE_A)
    live_discord.source.pages[CHOIR] = ArticleBody(text=CHOIR_A)
    await links(live_discord, "on")
    standin = live_discord.standin
    await standin.dispatch("MESSAGE_CREATE", message_payload(BRIDGE, author_bot=True))
    await standin.dispatch("MESSAGE_CREATE", message_payload("no links here, @everyone"))
    await standin.dispatch("MESSAGE_CREATE", message_payload(f"<{CHOIR}>"))
    await wait_until(lambda: len(standin.made("POST", "/channels/")) >= 2, "the one link reply")
    posted = standin.made("POST", "/channels/")
    assert len(posted) == 2
    assert "Halden" in str(posted[1].body["embeds"]) and "Esker" not in str(posted[1].body)


async def test_subscribe_takes_an_only_option(live_discord: LiveDiscord) -> None:
    live_discord.source.put(FEED, [entry("bridge", BRIDGE_A, NOW)])
    options = [option("target", FEED), option("only", "Esker -sport")]
    await run_command(live_discord, slash_payload("subscribe", options))
    answer = live_discord.standin.made("POST", "/webhooks/")[-1].body["content"]
    assert "only items matching Esker AND -sport" in answer
    bad = [option("target", FEED), option("only", "(Esker")]
    await run_command(live_discord, slash_payload("subscribe", bad), answers=2)
    error = live_discord.standin.made("POST", "/webhooks/")[-1].body
    assert error["flags"] & EPHEMERAL and "a bracket is not closed" in error["content"]
    example = "Example: /subscribe target:https://example.com/world.xml only:climate -sport"
    assert error["content"].endswith(example), "the spec's example, as Discord users type it"


async def test_links_are_answered_only_after_links_on(live_discord: LiveDiscord) -> None:
    live_discord.source.pages[BRIDGE] = ArticleBody(text=BRIDGE_A)
    live_discord.source.pages[CHOIR] = ArticleBody(text=CHOIR_A)
    standin = live_discord.standin
    await standin.dispatch("MESSAGE_CREATE", message_payload(BRIDGE))  # Discord's default: off
    await links(live_discord, "on")
    await standin.dispatch("MESSAGE_CREATE", message_payload(CHOIR))
    await wait_until(lambda: len(standin.made("POST", "/channels/")) >= 2, "the link reply")
    posted = standin.made("POST", "/channels/")
    assert len(posted) == 2
    assert "Halden" in str(posted[1].body["embeds"]) and "Esker" not in str(posted[1].body)
    await links(live_discord, "off")
    await standin.dispatch("MESSAGE_CREATE", message_payload(BRIDGE))
    await links(live_discord, "on")  # a marker: the message before it has been seen by now
    await standin.dispatch("MESSAGE_CREATE", message_payload(CHOIR))
    await wait_until(lambda: len(standin.made("POST", "/channels/")) >= 4, "the second reply")
    assert "Esker" not in str(standin.made("POST", "/channels/"))


async def test_a_discord_user_over_the_command_limit_is_told_privately(
    live_discord: LiveDiscord,
) -> None:
    stack = live_discord.stack
    stack.commands.rates = RateLimits.of(Quotas(commands_per_minute=1), stack.engine.clock)
    for _ in range(2):
        await run_command(live_discord, slash_payload("help"))
    answer = live_discord.standin.made("POST", "/webhooks/")[-1].body
    assert answer["flags"] & EPHEMERAL
    assert "too many commands: 1 a minute at most; try again in 60 seconds" in answer["content"]


async def test_mode_live_posts_each_new_story_to_the_channel(live_discord: LiveDiscord) -> None:
    await subscribe(live_discord)
    payload = slash_payload("mode", [option("mode", "live"), option("limit", 5, kind=4)])
    await run_command(live_discord, payload)
    answer = live_discord.standin.made("POST", "/webhooks/")[-1].body["content"]
    assert "mode live (a digest instead above 5 stories an hour)" in answer
    clock = live_discord.stack.engine.clock
    assert isinstance(clock, FakeClock)
    clock.set(NOW + timedelta(minutes=20))
    live_discord.source.put(
        FEED, [entry("bridge", BRIDGE_A, NOW), entry("choir", CHOIR_A, clock.now())]
    )
    report = await live_discord.stack.scheduler.tick()
    assert [post.key.split(":")[0] for post in report.posts] == ["live"]
    (posted,) = live_discord.standin.made("POST", f"/channels/{CHANNEL_ID}/messages")
    assert "Halden" in str(posted.body["embeds"]) and "Esker" not in str(posted.body["embeds"])


async def test_schedule_completes_timezones(live_discord: LiveDiscord) -> None:
    focused = [option("time", "09:00"), option("timezone", "berl", focused=True)]
    await run_command(live_discord, slash_payload("schedule", focused, kind=4), answers=0)
    choices = live_discord.standin.made("POST", "/interactions/")[-1].body
    assert choices["type"] == 8
    assert [c["value"] for c in choices["data"]["choices"]] == ["Europe/Berlin"]

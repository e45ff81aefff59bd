"""The Home tab manages channels: signed `block_actions` and `view_submission`, on the stand-in."""

from __future__ import annotations

import json
from datetime import time
from typing import Any
from urllib.parse import parse_qs, urlencode

import aiohttp
import pytest

from bot.adapters.slack.home import NOT_YOURS
from bot.adapters.slack.publisher import SlackPublisher
from bot.adapters.slack.runner import SlackOptions, open_slack, slack_client
from bot.clock import FakeClock
from bot.domain import Destination, DigestMode, Platform, SubscriptionKind
from bot.fakes import FakePublisher, MemoryFeedSource
from bot.render.slack_schedule import (
    FIELD,
    MAX_BLOCK,
    SCHEDULE_CALLBACK,
    TIME_BLOCK,
    TIMEZONE_BLOCK,
    WEEKDAYS_BLOCK,
)
from bot.store.memory import MemoryStore
from summaries import Analyzer
from tests.bot.slack.conftest import NOW, HttpSlack
from tests.bot.slack.signing import event_body, signed, slash
from tests.bot.slack.standin import APP_TOKEN, TOKEN, slack_standin
from tests.support.stack import build

pytestmark = pytest.mark.asyncio

C1 = Destination(Platform.SLACK, "T1", "C1")


def _payload(kind: str, user: str, team: str, **fields: Any) -> str:
    payload = {
        "type": kind,
        "team": {"id": team, "domain": "test"},
        "user": {"id": user, "team_id": team},
        "api_app_id": "A1",
        "token": "unused",
        "trigger_id": "7.8.9",
        **fields,
    }
    return urlencode({"payload": json.dumps(payload)})


def home_click(value: str, user: str = "U1", team: str = "T1") -> str:
    """A click on a Home tab button (no channel, no response URL: the view is the container)."""
    action = {"type": "button", "action_id": "newsdigest-home.x", "block_id": "b", "value": value}
    view = {"id": "VHOME", "type": "home"}
    container = {"type": "view", "view_id": "VHOME"}
    return _payload("block_actions", user, team, actions=[action], view=view, container=container)


def payload_of(body: str) -> dict[str, Any]:
    """The JSON payload of a form-encoded interaction body (what Socket Mode carries as is)."""
    found: dict[str, Any] = json.loads(parse_qs(body)["payload"][0])
    return found


def submission(
    channel: str = "C1",
    at: str | None = "08:30",
    zone: str = "Europe/Paris",
    days: tuple[str, ...] = ("mon", "fri"),
    count: str = "8",
    user: str = "U1",
    team: str = "T1",
) -> str:
    """The schedule modal submitted with these values."""
    values = {
        TIME_BLOCK: {FIELD: {"type": "timepicker", "selected_time": at}},
        TIMEZONE_BLOCK: {FIELD: {"type": "static_select", "selected_option": {"value": zone}}},
        WEEKDAYS_BLOCK: {
            FIELD: {"type": "checkboxes", "selected_options": [{"value": d} for d in days]}
        },
        MAX_BLOCK: {FIELD: {"type": "number_input", "value": count}},
    }
    view = {
        "id": "VMODAL",
        "type": "modal",
        "callback_id": SCHEDULE_CALLBACK,
        "private_metadata": channel,
        "state": {"values": values},
    }
    return _payload("view_submission", user, team, view=view)


async def submit(slack: HttpSlack, body: str) -> dict[str, Any]:
    """Send a signed submission; Slack's view of the answer (empty: the modal closes)."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(slack.url, data=body, headers=signed(body)) as answer,
    ):
        assert answer.status == 200
        text = await answer.text()
    return dict(json.loads(text)) if text else {}


async def publishes(slack: HttpSlack, body: str) -> str:
    """Send a signed click; the Home tab published next, as JSON."""
    before = len(slack.standin.posts("views.publish"))
    assert await slack.send(body) == 200
    await slack.standin.called("views.publish", before + 1)
    return json.dumps(slack.standin.posts("views.publish")[-1]["view"]["blocks"])


async def follows(slack: HttpSlack, *topics: str) -> list[int]:
    """C1 follows the topics (typed by U1); their subscription ids."""
    for number, topic in enumerate(topics, 1):
        assert await slack.send(slash(f"subscribe {topic}")) == 200
        await slack.standin.called("chat.postEphemeral", number)
    record = await slack.stack.channel(C1)
    return [sub.id for sub in await slack.stack.store.subscriptions(record.id)]


async def open_home(slack: HttpSlack, user: str = "U1") -> list[str]:
    """Open the Home tab; its buttons' values."""
    body = event_body({"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"})
    shown = await publishes(slack, body)
    return [e["value"] for b in json.loads(shown) for e in b.get("elements", []) if "value" in e]


async def topics_of(slack: HttpSlack, where: Destination = C1) -> list[str]:
    record = await slack.stack.channel(where)
    return [sub.target for sub in await slack.stack.store.subscriptions(record.id)]


async def test_the_home_tab_offers_each_channels_buttons(http_slack: HttpSlack) -> None:
    http_slack.standin.memberships["U1"] = ["C1"]
    first, second = await follows(http_slack, "Vogt", "Lindmoor")
    offered = await open_home(http_slack)
    assert offered == [
        "schedule:C1",
        "mode:C1:live",
        f"unsubscribe:C1:{first}",
        f"unsubscribe:C1:{second}",
    ]


async def test_unsubscribe_removes_it_and_republishes(http_slack: HttpSlack) -> None:
    http_slack.standin.memberships["U1"] = ["C1"]
    first, _ = await follows(http_slack, "Vogt", "Lindmoor")
    shown = await publishes(http_slack, home_click(f"unsubscribe:C1:{first}"))
    assert f"Unsubscribed #{first} (Vogt)" in shown
    assert await topics_of(http_slack) == ["Lindmoor"]
    again = await publishes(http_slack, home_click(f"unsubscribe:C1:{first}"))
    assert f"this channel has no subscription {first}" in again, "a deleted subscription"
    assert await topics_of(http_slack) == ["Lindmoor"]


async def test_mode_switches_and_the_button_flips(http_slack: HttpSlack) -> None:
    http_slack.standin.memberships["U1"] = ["C1"]
    await follows(http_slack, "Vogt")
    shown = await publishes(http_slack, home_click("mode:C1:live"))
    assert (await http_slack.stack.channel(C1)).settings.mode is DigestMode.LIVE
    assert "mode:C1:quiet" in shown and "Switch to quiet" in shown


async def test_the_schedule_modal_opens_filled_in_and_saves(http_slack: HttpSlack) -> None:
    http_slack.standin.memberships["U1"] = ["C1"]
    await follows(http_slack, "Vogt")
    assert await http_slack.send(home_click("schedule:C1")) == 200
    await http_slack.standin.called("views.open")
    (opened,) = http_slack.standin.posts("views.open")
    assert opened["trigger_id"] == "7.8.9"
    modal = opened["view"]
    assert modal["callback_id"] == SCHEDULE_CALLBACK and modal["private_metadata"] == "C1"
    elements = {block["block_id"]: block["element"] for block in modal["blocks"]}
    assert elements[TIME_BLOCK]["initial_time"] == "09:00"
    assert elements[TIMEZONE_BLOCK]["initial_option"]["value"] == "UTC"
    assert len(elements[TIMEZONE_BLOCK]["options"]) <= 100
    assert len(elements[WEEKDAYS_BLOCK]["initial_options"]) == 7
    assert elements[MAX_BLOCK]["initial_value"] == "10"
    before = len(http_slack.standin.posts("views.publish"))
    assert await submit(http_slack, submission()) == {}
    settings = (await http_slack.stack.channel(C1)).settings
    assert (settings.digest_time, settings.timezone) == (time(8, 30), "Europe/Paris")
    assert settings.weekdays == frozenset({0, 4}) and settings.max_stories == 8
    await http_slack.standin.called("views.publish", before + 1)
    assert "digest at 08:30 Europe/Paris, mon,fri" in json.dumps(
        http_slack.standin.posts("views.publish")[-1]
    )


@pytest.mark.parametrize(
    ("fields", "block", "says"),
    [
        ({"count": "0"}, MAX_BLOCK, "max must be a whole number from 1 to 50"),
        ({"count": "eight"}, MAX_BLOCK, "Type a whole number"),
        ({"zone": "Mars/Olympus"}, TIMEZONE_BLOCK, "not an IANA timezone"),
        ({"zone": "UTC max=1"}, TIMEZONE_BLOCK, "Pick a timezone"),
        ({"days": ()}, WEEKDAYS_BLOCK, "Tick at least one day"),
        ({"at": "25:00"}, TIME_BLOCK, "not a 24-hour time"),
        ({"at": None}, TIME_BLOCK, "Pick a time"),
    ],
)
async def test_invalid_values_are_shown_in_the_modal(
    http_slack: HttpSlack, fields: dict[str, Any], block: str, says: str
) -> None:
    http_slack.standin.memberships["U1"] = ["C1"]
    await follows(http_slack, "Vogt")
    answer = await submit(http_slack, submission(**fields))
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == [block] and says in answer["errors"][block]
    settings = (await http_slack.stack.channel(C1)).settings
    assert (settings.digest_time, settings.max_stories) == (time(9, 0), 10)


async def test_a_guest_is_refused_every_change(http_slack: HttpSlack) -> None:
    http_slack.standin.memberships["U1"] = ["C1"]
    http_slack.standin.memberships["U9"] = ["C1"]
    http_slack.standin.guests.add("U9")
    (first,) = await follows(http_slack, "Vogt")
    shown = await publishes(http_slack, home_click(f"unsubscribe:C1:{first}", user="U9"))
    assert "only people who may manage this channel" in shown
    shown = await publishes(http_slack, home_click("mode:C1:live", user="U9"))
    assert "only people who may manage this channel" in shown
    answer = await submit(http_slack, submission(user="U9"))
    assert "only people who may manage this channel" in answer["errors"][TIME_BLOCK]
    record = await http_slack.stack.channel(C1)
    assert await topics_of(http_slack) == ["Vogt"]
    assert record.settings.mode is DigestMode.QUIET and record.settings.max_stories == 10


async def test_forged_and_stale_values_change_nothing(http_slack: HttpSlack) -> None:
    http_slack.standin.memberships["U1"] = ["C1"]
    (mine,) = await follows(http_slack, "Vogt")
    elsewhere = Destination(Platform.SLACK, "T2", "C1")  # another workspace's channel C1
    other = await http_slack.stack.channel(elsewhere)
    theirs = await http_slack.stack.store.add_subscription(
        other.id, SubscriptionKind.TOPIC, "Merger talks", None, NOW
    )
    hidden = await http_slack.stack.channel(Destination(Platform.SLACK, "T1", "G2SECRET"))
    secret = await http_slack.stack.store.add_subscription(
        hidden.id, SubscriptionKind.TOPIC, "Secret", None, NOW
    )
    shown = await publishes(http_slack, home_click(f"unsubscribe:C1:{theirs.id}"))
    assert f"this channel has no subscription {theirs.id}" in shown
    assert await topics_of(http_slack, elsewhere) == ["Merger talks"]
    for forged in (f"unsubscribe:G2SECRET:{secret.id}", "mode:G2SECRET:live", "unsubscribe:C1:x"):
        shown = await publishes(http_slack, home_click(forged))
        assert NOT_YOURS.split(",")[0] in shown and "Secret" not in shown
    assert await submit(http_slack, submission(channel="G2SECRET")) == {
        "response_action": "errors",
        "errors": {TIME_BLOCK: NOT_YOURS},
    }
    assert await http_slack.send(home_click("schedule:G2SECRET")) == 200
    assert not http_slack.standin.posts("views.open")
    assert await topics_of(http_slack, hidden.destination) == ["Secret"]
    assert (await http_slack.stack.channel(hidden.destination)).settings.mode is DigestMode.QUIET
    assert await topics_of(http_slack) == ["Vogt"] and mine


async def test_in_socket_mode_the_errors_come_back_in_the_ack(analyzer: Analyzer) -> None:
    stack = build(MemoryStore(), MemoryFeedSource(), analyzer, FakeClock(NOW), FakePublisher())
    record = await stack.channel(C1)
    await stack.store.add_subscription(record.id, SubscriptionKind.TOPIC, "Vogt", None, NOW)
    async with slack_standin() as standin:
        standin.memberships["U1"] = ["C1"]
        options = SlackOptions(TOKEN, app_token=APP_TOKEN, api_url=standin.url)
        async with open_slack(stack.commands, SlackPublisher(slack_client(options)), options):
            sent = await standin.push("interactive", payload_of(submission(count="0")))
            ack = await standin.acked(sent)
            assert ack["payload"]["response_action"] == "errors"
            assert "max must be" in ack["payload"]["errors"][MAX_BLOCK]
            sent = await standin.push("interactive", payload_of(submission()))
            assert not (await standin.acked(sent)).get("payload")
            await standin.called("views.publish")
    assert (await stack.channel(C1)).settings.max_stories == 8

"""The "Change schedule" button and modal through the gateway stand-in: open, save, refusals."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest

from bot.adapters.discord.schedule import NEEDS_MANAGE, NOT_HERE, PREFIX
from bot.domain import Destination, Platform
from tests.bot.discord.conftest import CHANNEL, LiveDiscord, slash_payload
from tests.bot.discord.standin import EVERYONE_PERMISSIONS, MANAGE_CHANNELS
from tests.bot.discord.test_gateway_flows import EPHEMERAL, run_command, subscribe

pytestmark = pytest.mark.asyncio

MODAL = 9


def interaction(
    kind: int, data: dict[str, Any], *, permissions: int = EVERYONE_PERMISSIONS | MANAGE_CHANNELS
) -> dict[str, Any]:
    """A component click (3) or a modal submission (5) in the test channel."""
    payload = slash_payload("schedule", permissions=permissions, kind=kind)
    payload["data"] = data
    return payload


def submission(custom_id: str, **fields: str) -> dict[str, Any]:
    """A MODAL_SUBMIT's data: each text input in its own row, as Discord sends them."""
    rows = [
        {"type": 1, "components": [{"type": 4, "custom_id": name, "value": value}]}
        for name, value in fields.items()
    ]
    return {"custom_id": custom_id, "components": rows}


VALID = {"time": "07:30", "timezone": "Europe/Paris", "weekdays": "mon,fri", "max": "5"}


async def schedule_button(live: LiveDiscord) -> str:
    """Subscribe, ask for /subscriptions; its "Change schedule" button's custom_id."""
    await subscribe(live)
    await run_command(live, slash_payload("subscriptions"))
    body = live.standin.made("POST", "/webhooks/")[-1].body
    (button,) = body["components"][0]["components"]
    assert button["label"] == "Change schedule"
    custom_id: str = button["custom_id"]
    return custom_id


def last_callback(live: LiveDiscord) -> dict[str, Any]:
    calls = [c for c in live.standin.calls if c.path.endswith("/callback")]
    body: dict[str, Any] = calls[-1].body
    return body


def last_answer(live: LiveDiscord) -> str:
    """The latest ephemeral answer, a callback message or a follow-up."""
    latest = live.standin.calls[-1]
    body = latest.body if latest.path.startswith("/webhooks/") else latest.body["data"]
    assert body["flags"] & EPHEMERAL, "only the submitter sees it"
    assert body["allowed_mentions"] == {"parse": []}
    content: str = body["content"]
    return content


def inputs(modal: dict[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    pending = list(modal["components"])
    while pending:
        item = pending.pop()
        pending += item.get("components") or []
        pending += [item["component"]] if "component" in item else []
        if item["type"] == 4:
            found[item["custom_id"]] = item.get("value", "")
    return found


async def test_the_button_opens_a_modal_filled_with_the_current_schedule(
    live_discord: LiveDiscord,
) -> None:
    opener = await schedule_button(live_discord)
    assert opener == f"{PREFIX}open:{CHANNEL.workspace}:{CHANNEL.channel}"
    await run_command(
        live_discord, interaction(3, {"custom_id": opener, "component_type": 2}), answers=0
    )
    callback = last_callback(live_discord)
    assert callback["type"] == MODAL
    assert callback["data"]["custom_id"] == f"{PREFIX}save:{CHANNEL.workspace}:{CHANNEL.channel}"
    record = await live_discord.stack.channel(CHANNEL)
    settings = record.settings
    assert inputs(callback["data"]) == {
        "time": f"{settings.digest_time:%H:%M}",
        "timezone": settings.timezone,
        "weekdays": "daily",
        "max": str(settings.max_stories),
    }


async def test_a_valid_submission_changes_the_schedule(live_discord: LiveDiscord) -> None:
    opener = await schedule_button(live_discord)
    saver = opener.replace(":open:", ":save:")
    await run_command(live_discord, interaction(5, submission(saver, **VALID)))
    answer = last_answer(live_discord)
    assert "07:30" in answer and "Europe/Paris" in answer
    settings = (await live_discord.stack.channel(CHANNEL)).settings
    assert settings.digest_time == time(7, 30) and settings.timezone == "Europe/Paris"
    assert settings.weekdays == frozenset({0, 4}) and settings.max_stories == 5


async def test_invalid_submissions_are_refused_with_an_example(live_discord: LiveDiscord) -> None:
    saver = (await schedule_button(live_discord)).replace(":open:", ":save:")
    before = (await live_discord.stack.channel(CHANNEL)).settings
    smuggled = {**VALID, "timezone": "Europe/Paris max=99"}
    await run_command(live_discord, interaction(5, submission(saver, **smuggled)), answers=0)
    answer = last_answer(live_discord)
    assert answer.startswith("Error: Timezone (IANA) must look like Europe/Berlin")
    assert "Example: /schedule" in answer and "\n" not in answer
    for field, wrong in (("time", "25:00"), ("timezone", "Mars/Olympus")):
        payload = interaction(5, submission(saver, **{**VALID, field: wrong}))
        await run_command(live_discord, payload)
        answer = last_answer(live_discord)
        assert answer.startswith("Error:") and "Example: /schedule" in answer, answer
    assert (await live_discord.stack.channel(CHANNEL)).settings == before


async def test_a_member_without_manage_channels_is_refused(live_discord: LiveDiscord) -> None:
    opener = await schedule_button(live_discord)
    before = (await live_discord.stack.channel(CHANNEL)).settings
    click = interaction(3, {"custom_id": opener, "component_type": 2}, permissions=0)
    await run_command(live_discord, click, answers=0)
    assert last_answer(live_discord) == NEEDS_MANAGE
    saver = opener.replace(":open:", ":save:")
    submit = interaction(5, submission(saver, **VALID), permissions=EVERYONE_PERMISSIONS)
    await run_command(live_discord, submit, answers=0)
    assert last_answer(live_discord) == NEEDS_MANAGE
    assert (await live_discord.stack.channel(CHANNEL)).settings == before


async def test_a_forged_custom_id_naming_another_servers_channel_is_refused(
    live_discord: LiveDiscord,
) -> None:
    await schedule_button(live_discord)
    before = (await live_discord.stack.channel(CHANNEL)).settings
    for step in ("open", "save"):
        forged = f"{PREFIX}{step}:77:{CHANNEL.channel}"
        data = (
            submission(forged, **VALID)
            if step == "save"
            else {"custom_id": forged, "component_type": 2}
        )
        await run_command(live_discord, interaction(5 if step == "save" else 3, data), answers=0)
        assert last_answer(live_discord) == NOT_HERE
    assert (await live_discord.stack.channel(CHANNEL)).settings == before
    other = await live_discord.stack.engine.destination(
        Destination(Platform.DISCORD, "77", CHANNEL.channel)
    )
    assert other.settings.timezone == before.timezone

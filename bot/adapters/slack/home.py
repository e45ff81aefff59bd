"""The Home tab's buttons and schedule modal: unsubscribe, switch mode, change the schedule.

Translation only: a click or a modal submission becomes the same neutral `CommandRequest` as the
typed command (`unsubscribe 5`, `mode live`, `schedule 08:30 Europe/Paris mon,fri max=8`), so
validation and permission are the commands' own (guests are refused, see `is_full_member`).

Nothing in a payload is trusted. The channel a value names must be one the viewer is a member of
(`ChannelMemberships`, asked of Slack for the clicker's workspace) and one that workspace's store
knows; the subscription id is looked up within that channel's record only, so another workspace's
id, a channel the viewer is not in, or a subscription deleted since the tab was drawn all change
nothing and say so. After a click the Home tab is published again with the answer at its top; a
submission's refusal is shown in the modal under the field it concerns.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackClientError

from bot.adapters.slack.actions import clicked_value
from bot.adapters.slack.listeners import (
    FAILED,
    SlackServices,
    home_view,
    is_full_member,
    reply_text,
)
from bot.adapters.slack.translate import slack_line
from bot.commands.handlers import CommandError, CommandRequest, CommandResult
from bot.delivery.timing import DAY_NAMES
from bot.domain import Destination, DestinationRecord, Platform
from bot.render.blocks import escape
from bot.render.slack_home import HOME_PREFIX, HomeActionKind, parse_home_action
from bot.render.slack_schedule import (
    FIELD,
    MAX_BLOCK,
    SCHEDULE_CALLBACK,
    TIME_BLOCK,
    TIMEZONE_BLOCK,
    WEEKDAYS_BLOCK,
    schedule_modal,
)
from bot.render.text import render_error

log = logging.getLogger(__name__)

NOT_YOURS = (
    "That channel or subscription is not one you can manage here (it may have been removed), "
    "so nothing was changed. Example: /digest subscriptions lists what a channel follows."
)
MAX_ERROR = 300
_ZONE = re.compile(r"^[A-Za-z0-9_+\-/]{1,64}$")
_TIME = re.compile(r"^\d{1,2}:\d{2}$")
# which field a schedule refusal concerns, by what its message names (first match wins)
_FIELDS = (("timezone", TIMEZONE_BLOCK), ("weekday", WEEKDAYS_BLOCK), ("max", MAX_BLOCK))


def register_home_actions(app: AsyncApp, services: SlackServices) -> None:
    """The Home tab's buttons and the schedule modal's submission."""

    @app.action(re.compile("^" + re.escape(HOME_PREFIX)))
    async def act(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()  # first: Slack must see the ack within 3 s
        try:
            await _act(services, body)
        except Exception:
            log.exception("a Home tab action failed for %s", _who(body)[1])
            await _publish(services, *_who(body), said=escape(FAILED))

    @app.view(SCHEDULE_CALLBACK)
    async def submit(ack: AsyncAck, body: dict[str, Any]) -> None:
        # the refusal goes back in the ack itself, so the work comes first (one command: quick)
        try:
            errors, result = await _submit(services, body)
        except Exception:
            log.exception("a schedule submission failed for %s", _who(body)[1])
            errors, result = {TIME_BLOCK: FAILED}, None
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()  # closes the modal
        await _publish(services, *_who(body), said=reply_text(result) if result else None)


def _who(body: dict[str, Any]) -> tuple[str, str]:
    """The clicker's workspace and user id."""
    user = body.get("user") or {}
    team = (body.get("team") or {}).get("id") or user.get("team_id") or ""
    return str(team), str(user.get("id") or "")


async def _act(services: SlackServices, body: dict[str, Any]) -> None:
    team, user = _who(body)
    action = parse_home_action(clicked_value(body))
    record = await _checked(services, team, user, action.channel) if action else None
    if action is None or record is None:
        await _publish(services, team, user, said=escape(NOT_YOURS))
        return
    if action.kind is HomeActionKind.SCHEDULE:
        await _open_modal(services, team, str(body.get("trigger_id") or ""), record)
        return
    line = f"{action.kind} {action.argument}"
    result = await _run(services, team, user, record.destination, line)
    await _publish(services, team, user, said=reply_text(result))


async def _checked(
    services: SlackServices, team: str, user: str, channel: str
) -> DestinationRecord | None:
    """The channel's record, if the viewer is a member and the workspace's store knows it."""
    members = await services.members.channels(team, user)
    if members is None or channel not in members:
        return None
    found = await services.commands.engine.overview(Platform.SLACK, team, {channel})
    return found[0].record if found else None


async def _run(
    services: SlackServices, team: str, user: str, where: Destination, line: str
) -> CommandResult:
    allowed = await is_full_member(services, team, user)
    request = CommandRequest(where, line, None, may_manage=allowed, user=user)
    return await services.commands.handle(request)


async def _open_modal(
    services: SlackServices, team: str, trigger: str, record: DestinationRecord
) -> None:
    view = schedule_modal(record, f"#{record.destination.channel}")
    try:
        await services.client.views_open(trigger_id=trigger, view=view, **await services.auth(team))
    except SlackClientError as error:
        log.warning("schedule modal not opened in %s: %s", team, error)


async def _publish(services: SlackServices, team: str, user: str, said: str | None) -> None:
    try:
        view = await home_view(services, team, user, said)
        await services.client.views_publish(user_id=user, view=view, **await services.auth(team))
    except SlackClientError as error:
        log.warning("Home tab not published for %s: %s", user, error)


async def _submit(
    services: SlackServices, body: dict[str, Any]
) -> tuple[dict[str, str], CommandResult | None]:
    """Errors by block id (empty when the schedule changed), and the command's answer."""
    team, user = _who(body)
    view = body.get("view") or {}
    record = await _checked(services, team, user, str(view.get("private_metadata") or ""))
    if record is None:
        return {TIME_BLOCK: NOT_YOURS}, None
    line = schedule_line((view.get("state") or {}).get("values") or {})
    if isinstance(line, dict):
        return line, None
    result = await _run(services, team, user, record.destination, line)
    if isinstance(result, CommandError):
        return {_field(result.message): _error_text(result)}, None
    return {}, result


def schedule_line(values: dict[str, Any]) -> str | dict[str, str]:
    """The submitted fields as a `schedule` command line, or errors by block id.

    Only the shape is checked here (one token per field, so a value cannot smuggle in another
    option); what the values mean is the `schedule` command's to judge.
    """
    time = str(_field_of(values, TIME_BLOCK).get("selected_time") or "")
    zone = str((_field_of(values, TIMEZONE_BLOCK).get("selected_option") or {}).get("value", ""))
    chosen = _field_of(values, WEEKDAYS_BLOCK).get("selected_options") or []
    days = [str(option.get("value", "")) for option in chosen]
    count = str(_field_of(values, MAX_BLOCK).get("value") or "")
    errors = {
        TIME_BLOCK: "Pick a time like 09:00." if not _TIME.match(time) else "",
        TIMEZONE_BLOCK: "Pick a timezone like Europe/Berlin." if not _ZONE.match(zone) else "",
        WEEKDAYS_BLOCK: "Tick at least one day." if not days or set(days) - set(DAY_NAMES) else "",
        MAX_BLOCK: "Type a whole number like 10." if not count.isdigit() else "",
    }
    refused = {block: text for block, text in errors.items() if text}
    return refused or f"schedule {time} {zone} {','.join(days)} max={count}"


def _field_of(values: dict[str, Any], block: str) -> dict[str, Any]:
    found = (values.get(block) or {}).get(FIELD) or {}
    return found if isinstance(found, dict) else {}


def _field(message: str) -> str:
    lowered = message.lower()
    return next((block for word, block in _FIELDS if word in lowered), TIME_BLOCK)


def _error_text(error: CommandError) -> str:
    text = render_error(error, slack_line(error.example))
    return text if len(text) <= MAX_ERROR else text[: MAX_ERROR - 1] + "…"
